-- Replays the requests of a file, one per line: METHOD <tab> PATH <tab> COOKIE <tab> BODY.
--
--   wrk -t1 -c8 -d10s -s replay.lua http://127.0.0.1:8000 -- requests.tsv [once]
--
-- Without "once" the list is sent round and round for the whole run (pages, add to
-- basket). With "once" every line is sent exactly once (each line is a different buyer's
-- checkout, ready to place its order): the thread stops when all have been answered and
-- prints "ALL-ANSWERED", and the harness then ends the run (wrk itself would sleep on
-- until -d). At the end one line "WRK-JSON {...}" carries the numbers the harness reads.

local prepared = {}
once = false
sent = 0
answered = 0
statuses = {}
server_ms = {}

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   for line in io.lines(args[1]) do
      local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      if cookie ~= "" then headers["Cookie"] = cookie end
      if method == "POST" then
         headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      if body == "" then body = nil end
      table.insert(prepared, wrk.format(method, path, headers, body))
   end
   once = args[2] == "once"
end

function request()
   sent = sent + 1
   if once and sent > #prepared then
      -- Nothing left to send: a connection that asks again gets the last line, whose
      -- answer is not counted (the thread stops at the answer to the last real line).
      return prepared[#prepared]
   end
   return prepared[((sent - 1) % #prepared) + 1]
end

function response(status, headers, body)
   answered = answered + 1
   statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
   local ms = headers["X-Bench-Ms"]
   if ms then table.insert(server_ms, tonumber(ms)) end
   if once and answered == #prepared then
      io.write("ALL-ANSWERED\n")
      io.flush()
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local codes = {}
   local times = {}
   for _, thread in ipairs(threads) do
      local seen = thread:get("statuses")
      for code, count in pairs(seen) do
         codes[code] = (codes[code] or 0) + count
      end
      for _, ms in ipairs(thread:get("server_ms")) do
         table.insert(times, ms)
      end
   end
   table.sort(times)
   local function at(p)
      if #times == 0 then return -1 end
      return times[math.max(1, math.ceil(#times * p))]
   end
   local parts = {}
   for code, count in pairs(codes) do
      table.insert(parts, string.format('"%s": %d', code, count))
   end
   local e = summary.errors
   io.write(string.format(
      'WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"server_ms": {"p50": %.2f, "p95": %.2f, "count": %d}, "statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.max, latency.mean,
      e.connect, e.read, e.write, e.status, e.timeout,
      at(0.5), at(0.95), #times,
      table.concat(parts, ", ")))
end
