-- wrk script for bench/run.py --mix: readers across many pages, a long tail.
-- Arguments (after --): a file of paths, most read first, and optionally a file of
-- signed-in readers ("Cookie<TAB>csrf<TAB>pk" per line) to read as, at random.

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local paths, cookies = {}, {}
local report_setup = setup
local made = 0

function setup(thread)
  made = made + 1
  thread:set("seed", made)
  report_setup(thread)
end

function init(args)
  non2xx = 0
  for line in io.lines(args[1]) do
    table.insert(paths, line)
  end
  if args[2] then
    for line in io.lines(args[2]) do
      table.insert(cookies, (line:match("^([^\t]+)")))
    end
  end
  math.randomseed(os.time() * 100 + seed)
end

function request()
  -- u^3 puts most requests on the first paths and leaves a long tail.
  local u = math.random()
  local path = paths[math.floor(#paths * u * u * u) + 1]
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  if #cookies > 0 then
    headers["Cookie"] = cookies[math.random(#cookies)]
  end
  return wrk.format("GET", path, headers)
end
