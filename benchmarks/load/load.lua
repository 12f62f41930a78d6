-- wrk script for the twitchcheck load test (used for every route, so the Lua cost is the same).
--
-- Environment:
--   LOAD_METHOD   GET or POST (default GET)
--   LOAD_PATH     request path (default /hello)
--   LOAD_LABEL    name printed in the RESULT line (default LOAD_PATH)
--   LOAD_RATE     total requests/s to pace to; 0 or unset = closed loop, as fast as possible
--   LOAD_THREADS  the wrk -t value (the rate is split evenly between threads)
--
-- POST bodies rotate through bodies.lua (a different start per thread), so consecutive
-- requests carry different ages, sexes and evidence.
--
-- Pacing (Debian's wrk 4.1 has no -R and Debian has no wrk2): each thread keeps a fixed
-- schedule of send times, one every LOAD_THREADS/LOAD_RATE s, and delay() holds each request
-- until its slot (sending at once when behind, so the schedule catches up). wrk still times a
-- request from when it is written, not from its scheduled slot: there is no coordinated-omission
-- correction as in wrk2. The achieved rate is printed so a run that fell behind shows.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } load_timespec;
  int clock_gettime(int clk_id, load_timespec *tp);
]]
local ts = ffi.new("load_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bodies = dofile(here .. "bodies.lua")

local method = os.getenv("LOAD_METHOD") or "GET"
local path = os.getenv("LOAD_PATH") or "/hello"
local label = os.getenv("LOAD_LABEL") or path
local rate = tonumber(os.getenv("LOAD_RATE") or "0") or 0
local nthreads = tonumber(os.getenv("LOAD_THREADS") or "1") or 1
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }

-- main state: number the threads
local created = 0
function setup(thread)
  thread:set("tid", created)
  created = created + 1
end

-- thread state
local counter = 0
function init(args)
  counter = (tid or 0) * 5
end

function request()
  counter = counter + 1
  if method == "POST" then
    return wrk.format("POST", path, headers, bodies[(counter % #bodies) + 1])
  end
  return wrk.format("GET", path)
end

if rate > 0 then
  local interval = 1000.0 * nthreads / rate
  local next_slot = nil
  function delay()
    local now = now_ms()
    if next_slot == nil then
      next_slot = now + interval * ((tid or 0) / nthreads) -- stagger threads
    end
    local slot = next_slot
    next_slot = next_slot + interval
    local wait = slot - now
    if wait < 0 then return 0 end
    return math.floor(wait + 0.5)
  end
end

-- main state: one machine-readable line
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT label=%s method=%s path=%s target_rps=%s requests=%d seconds=%.2f rps=%.1f " ..
    "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f mean_ms=%.2f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    label, method, path, rate > 0 and string.format("%.1f", rate) or "max",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
