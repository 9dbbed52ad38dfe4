-- wrk script for bench/run.py --mix: signed-in readers writing, each write followed by
-- the writer's next request, which must show it. Arguments (after --):
--   kind ("comment", "rating" or "follow"), the readers file ("Cookie<TAB>csrf<TAB>pk"),
--   the targets file ("pk<TAB>path<TAB>author's username"), the rating labels file,
--   milliseconds between writes. A follow follows the article's author, or unfollows
--   when this reader already follows them; the check is the article's follow button.
-- Run with as many connections as threads, so each thread's requests alternate.
-- Each write's own latency (request written to response read, as wrk times it) is
-- kept apart from the check's, by the monotonic clock (LuaJIT's ffi).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } kw_timespec;
int clock_gettime(int clock, kw_timespec *spec);
]]
local CLOCK_MONOTONIC = 1
local clock_now = ffi.new("kw_timespec")

local sentences = {
  "Terima kasih atas tulisannya, saya setuju dengan catatan ini.",
  "Tulisan yang bagus, semoga pemerintah daerah membaca ini.",
  "Di kampung kami juga begitu, pasar pagi ramai sejak subuh.",
  "Data yang disajikan membantu saya memahami persoalannya.",
}

function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock_now)
  return tonumber(clock_now.tv_sec) * 1000 + tonumber(clock_now.tv_nsec) / 1e6
end

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local readers, targets, labels = {}, {}, {}
local report_setup = setup
local report_done = done
local made = 0
local all = {}

function setup(thread)
  made = made + 1
  thread:set("seed", made)
  table.insert(all, thread)
  report_setup(thread)
end

local function lines(file, pattern)
  local found = {}
  for line in io.lines(file) do
    table.insert(found, { line:match(pattern) })
  end
  return found
end

function init(args)
  non2xx, writes, refused, lost, verified = 0, 0, 0, 0, 0
  kind, pause = args[1], tonumber(args[5])
  readers = lines(args[2], "^([^\t]+)\t([^\t]+)\t([^\t]+)$")
  targets = lines(args[3], "^([^\t]+)\t([^\t]+)\t([^\t]+)$")
  labels = lines(args[4], "^(%S+)$")
  math.randomseed(os.time() * 100 + seed)
  turn, step, expected = seed, "write", nil
  write_ms, sent_at, following = {}, 0, {}
end

local function headers_with(cookie, extra)
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Cookie"] = cookie
  for name, value in pairs(extra or {}) do
    headers[name] = value
  end
  return headers
end

function delay()
  return step == "write" and pause or 0
end

function request()
  if step == "verify" then
    return wrk.format("GET", verify_path, headers_with(reader[1]))
  end
  -- Each thread its own readers in turn (two threads: odd and even lines), so each
  -- reader writes about once a minute, well past the comment flood limit.
  turn = turn + 2
  reader = readers[(turn % #readers) + 1]
  local target = targets[math.random(#targets)]
  local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  sent_at = now_ms()
  if kind == "comment" then
    -- A reader's sentence (the spam classifier holds bare numbers), then a mark of its own.
    local text = sentences[turn % #sentences + 1] .. " Catatan pembaca " .. os.time() .. "-" ..
      seed .. "-" .. turn
    expected = text
    verify_path = target[2] .. "?urutan=terbaru"
    return wrk.format("POST", "/komentar/artikel/" .. target[1] .. "/",
      headers_with(reader[1], form),
      "body=" .. text:gsub(" ", "+") .. "&csrfmiddlewaretoken=" .. reader[2])
  end
  if kind == "follow" then
    local key = reader[3] .. ":" .. target[3]
    following[key] = not following[key]
    if following[key] then
      expected = 'class="follow-button is-following"'
    else
      expected = 'class="follow-button" aria-label'
    end
    verify_path = target[2]
    return wrk.format("POST", "/penulis/" .. target[3] .. "/ikuti/", headers_with(reader[1], form),
      "action=" .. (following[key] and "follow" or "unfollow") ..
      "&csrfmiddlewaretoken=" .. reader[2])
  end
  local label = labels[math.random(#labels)][1]
  expected = 'value="' .. label .. '" class="rating-button" aria-pressed="true"'
  verify_path = target[2]
  return wrk.format("POST", "/nilai/" .. target[1] .. "/", headers_with(reader[1], form),
    "label=" .. label .. "&csrfmiddlewaretoken=" .. reader[2])
end

function response(status, headers, body)
  if step == "write" then
    writes = writes + 1
    table.insert(write_ms, now_ms() - sent_at)
    if status ~= 302 then
      refused = refused + 1
      return  -- refused (a limit, a form error): nothing to look for
    end
    step = "verify"
    return
  end
  step = "write"
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  elseif body:find(expected, 1, true) then
    verified = verified + 1
  else
    lost = lost + 1
  end
end

function done(summary, latency, requests)
  local totals = { writes = 0, refused = 0, lost = 0, verified = 0 }
  local latencies = {}
  for _, thread in ipairs(all) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    for _, ms in ipairs(thread:get("write_ms")) do
      table.insert(latencies, ms)
    end
  end
  table.sort(latencies)
  local function percentile(share)
    if #latencies == 0 then
      return 0
    end
    return latencies[math.min(#latencies, math.floor(share * #latencies) + 1)]
  end
  io.write(string.format('MIX_JSON {"writes": %d, "refused": %d, "lost": %d, "verified": %d, ' ..
    '"write_p50_ms": %.1f, "write_p99_ms": %.1f, "write_max_ms": %.1f}\n',
    totals.writes, totals.refused, totals.lost, totals.verified,
    percentile(0.5), percentile(0.99), latencies[#latencies] or 0))
  report_done(summary, latency, requests)
end
