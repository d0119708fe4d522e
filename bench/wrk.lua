-- wrk script for the benchmark.
-- Without BENCH_REQUESTS: wrk's own GET of the URL. With it: a file of request lines,
-- "METHOD<TAB>PATH<TAB>BODY<TAB>Header: value<TAB>...", sent round-robin, each thread
-- starting at a different line (POSTs with a session cookie and a CSRF token).
-- done() prints one line of JSON for the harness, latencies in microseconds.

local requests = {}
local position = 0
local threads = 0

local function split(line)
  local fields, start = {}, 1
  while true do
    local i = string.find(line, "\t", start, true)
    if not i then
      table.insert(fields, string.sub(line, start))
      return fields
    end
    table.insert(fields, string.sub(line, start, i - 1))
    start = i + 1
  end
end

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  local path = os.getenv("BENCH_REQUESTS")
  if path == nil or path == "" then
    return
  end
  for line in io.lines(path) do
    if line ~= "" then
      local fields = split(line)
      local headers = {}
      for i = 4, #fields do
        local colon = string.find(fields[i], ": ", 1, true)
        if colon then
          headers[string.sub(fields[i], 1, colon - 1)] = string.sub(fields[i], colon + 2)
        end
      end
      local body = fields[3]
      if body == "" then
        body = nil
      end
      table.insert(requests, wrk.format(fields[1], fields[2], headers, body))
    end
  end
  position = ((thread_number or 1) * 7919) % #requests
end

function request()
  if #requests == 0 then
    return wrk.request()
  end
  position = position % #requests + 1
  return requests[position]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
