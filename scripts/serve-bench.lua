-- wrk script for scripts/serve-bench: every request is a course-style POST /next/<user> with
-- {"track": t, "time": f}; users and tracks rotate so calls spread over many open sessions.
-- Each wrk thread starts at a different offset so threads do not send the same users.
local counter = 0
local users = tonumber(os.getenv("BENCH_USERS") or "10000")
local tracks = tonumber(os.getenv("BENCH_TRACKS") or "2000")
local headers = { ["Content-Type"] = "application/json" }

function setup(thread)
  thread:set("offset", math.random(0, 1000000))
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  local user = counter % users
  local track = (counter * 7919) % tracks
  local body = string.format('{"track": %d, "time": %.2f}', track, (counter % 100) / 100)
  return wrk.format("POST", "/next/" .. user, headers, body)
end

function done(summary, latency, requests)
  io.write(string.format("BENCH requests=%d errors_status=%d errors_other=%d seconds=%.3f p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50), latency:percentile(99), latency.max))
end
