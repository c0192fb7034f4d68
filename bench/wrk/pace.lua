-- wrk script for the benchmark (bench/run.sh).
--
-- PACE_RATE (requests per second, whole run; 0 or unset = unpaced): spaces requests so the
--   run sends that many per second across all connections of wrk's one thread. Each call to
--   delay() reserves the next slot of a 1/RATE grid; a connection that is free early waits for
--   its slot, and idle time is never banked into a burst.
-- PACE_PATHS (a file, one request path per line): the paths are sent round-robin, and each
--   response counts as ok when it is a 200 whose body holds "probe_success 1" (blackbox
--   exporter's answer); done() prints "driver_ok=N driver_failed=M". Without it, wrk sends its
--   URL's path with no Lua per request or response, the cheapest client wrk can be.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } pace_timespec;
int clock_gettime(int clock_id, pace_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("pace_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local rate = tonumber(os.getenv("PACE_RATE") or "0") or 0
local gap_ms = (rate > 0) and (1000 / rate) or 0
local due = nil

if gap_ms > 0 then
  function delay()
    local t = now_ms()
    if due == nil or due < t then due = t end
    local wait = due - t
    due = due + gap_ms
    return math.floor(wait) -- wrk's timers take whole milliseconds; the grid keeps the average
  end
end

local paths_file = os.getenv("PACE_PATHS")
if paths_file then
  local paths = {}
  for line in io.lines(paths_file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  local next_path = 0
  ok, failed = 0, 0 -- globals, so done() can read them through thread:get()

  function request()
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
  end

  function response(status, headers, body)
    if status == 200 and body and body:find("probe_success 1", 1, true) then
      ok = ok + 1
    else
      failed = failed + 1
    end
  end

  local threads = {}
  function setup(thread)
    threads[#threads + 1] = thread
  end

  function done(summary, latency, requests)
    local total_ok, total_failed = 0, 0
    for _, thread in ipairs(threads) do
      total_ok = total_ok + (thread:get("ok") or 0)
      total_failed = total_failed + (thread:get("failed") or 0)
    end
    io.write(string.format("driver_ok=%d driver_failed=%d\n", total_ok, total_failed))
  end
end
