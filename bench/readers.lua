-- wrk script for bench/run.py's "article_readers" row: report.lua's counting, with
-- every request sent as a new reader (its own User-Agent, so its own view-count
-- fingerprint): the view counter of one hot article under many distinct readers.

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local threads_made = 0
local report_setup = setup

function setup(thread)
  threads_made = threads_made + 1
  thread:set("reader_thread", threads_made)  -- a global in that thread's state
  report_setup(thread)
end

-- The run's start in each reader's name: a reader of an earlier run within the
-- counting window would rightly not be counted again.
local run = os.time()
local sent = 0

function request()
  sent = sent + 1
  wrk.headers["User-Agent"] =
    "Mozilla/5.0 (X11; Linux x86_64) BenchReader/" .. run .. "." .. reader_thread .. "." .. sent
  return wrk.format()
end
