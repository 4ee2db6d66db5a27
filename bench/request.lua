-- Requests for wrk: each line of the file named by BENCH_REQUESTS is
-- METHOD <tab> PATH <tab> ACCESS TOKEN <tab> JSON BODY (token and body may be empty).
-- The lines are sent in turn, so one run rotates over users, records and bodies.
-- done() prints one machine-readable line for bench/loadgen.py.

local requests = {}
local counter = 0

function init(args)
   local file = assert(os.getenv("BENCH_REQUESTS"), "BENCH_REQUESTS is not set")
   for line in io.lines(file) do
      local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      if method then
         local headers = { ["Accept"] = "application/json" }
         if token ~= "" then
            headers["Authorization"] = "Bearer " .. token
         end
         if body == "" then
            body = nil
         else
            headers["Content-Type"] = "application/json"
         end
         requests[#requests + 1] = wrk.format(method, path, headers, body)
      end
   end
   assert(#requests > 0, "no requests in " .. file)
end

function request()
   counter = counter % #requests + 1
   return requests[counter]
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
