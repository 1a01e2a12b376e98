-- A mix of requests for wrk, read from the file named by BENCH_MIX (one request per line:
-- METHOD<TAB>PATH<TAB>HEADER: VALUE|HEADER: VALUE<TAB>BODY). Each thread walks the list
-- from a different place, and counts the answers by status class for bench/load.py.

local requests = {}
local threads = {}
local position = 0
c2xx, c3xx, c4xx, c5xx, first_bad = 0, 0, 0, 0, ""

local function split(text, separator)
  local parts = {}
  for part in (text .. separator):gmatch("(.-)" .. separator) do
    table.insert(parts, part)
  end
  return parts
end

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_MIX")) do
    local fields = split(line, "\t")
    local headers = {}
    for _, header in ipairs(split(fields[3], "|")) do
      local name, value = header:match("^([^:]+): (.*)$")
      if name then headers[name] = value end
    end
    local body = fields[4]
    if body == "" then body = nil end
    table.insert(requests, wrk.format(fields[1], fields[2], headers, body))
  end
  position = (id * 7919) % #requests
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status < 300 then c2xx = c2xx + 1
  elseif status < 400 then c3xx = c3xx + 1
  else
    if status < 500 then c4xx = c4xx + 1 else c5xx = c5xx + 1 end
    if first_bad == "" then first_bad = tostring(status) .. " " .. body:sub(1, 300) end
  end
end

function done(summary, latency, requests)
  local totals = {c2xx = 0, c3xx = 0, c4xx = 0, c5xx = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    local bad = thread:get("first_bad")
    if bad ~= "" then io.write("first_bad ", bad:gsub("\n", " "), "\n") end
  end
  io.write("status 2xx ", totals.c2xx, "\n")
  io.write("status 3xx ", totals.c3xx, "\n")
  io.write("status 4xx ", totals.c4xx, "\n")
  io.write("status 5xx ", totals.c5xx, "\n")
end
