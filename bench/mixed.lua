-- mixed.lua: wrk script of the requests a map user makes, mixed:
--   40% vector tiles at zoom 11..15 over the West Midlands force area,
--   25% hot grids (/api/v1/hotgrids) for a random unit, band and metric,
--   20% cell details (/api/v1/cells/{h3}) of hot grid cells,
--   10% knife-point robbery hotspots, 5% legend summaries.
-- The unit codes, band names and cells come from the file named by the
-- first script argument (written by bench/load.sh from the running server):
--   unit <code> / band <name> / cell <h3>
-- A response that is not 2xx or 3xx counts as an error; done() prints one
-- line:  mixed: <requests> requests, <r/s>, p50, p99, max, errors N (non-2xx/3xx, connect, read, write, timeout)
-- (load.sh and soak.sh run wrk with --timeout 10s: a slower answer counts as a timeout error)
local minlon, maxlon, minlat, maxlat = -2.21, -1.42, 52.36, 52.66
local metrics = { "harm", "count", "recency" }
local units, bands, cells = {}, {}, {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  math.randomseed(id * 7919)
  bad = 0
  local f = assert(io.open(args[1], "r"), "mixed.lua: cannot open " .. tostring(args[1]))
  for line in f:lines() do
    local kind, v = line:match("^(%a+) (.+)$")
    if kind == "unit" then table.insert(units, v)
    elseif kind == "band" then table.insert(bands, v)
    elseif kind == "cell" then table.insert(cells, v) end
  end
  f:close()
  assert(#units > 0 and #bands > 0 and #cells > 0, "mixed.lua: no units, bands or cells in " .. args[1])
end

local function pick(t) return t[math.random(1, #t)] end

local function tile(lon, lat, z)
  local n = 2 ^ z
  local x = math.floor((lon + 180) / 360 * n)
  local r = math.rad(lat)
  local y = math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
  return x, y
end

function request()
  local r = math.random(1, 100)
  if r <= 40 then
    local z = math.random(11, 15)
    local x, y = tile(minlon + math.random() * (maxlon - minlon), minlat + math.random() * (maxlat - minlat), z)
    return wrk.format("GET", "/tiles/" .. z .. "/" .. x .. "/" .. y .. ".mvt?band=" .. pick(bands))
  elseif r <= 65 then
    return wrk.format("GET", "/api/v1/hotgrids?unit=" .. pick(units) .. "&band=" .. pick(bands) .. "&metric=" .. pick(metrics))
  elseif r <= 85 then
    return wrk.format("GET", "/api/v1/cells/" .. pick(cells))
  elseif r <= 95 then
    return wrk.format("GET", "/api/v1/knife-robbery-hotspots?unit=" .. pick(units))
  end
  return wrk.format("GET", "/api/v1/summary?band=" .. pick(bands))
end

function response(status, headers, body)
  if status < 200 or status >= 400 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("mixed.lua: HTTP " .. status .. ": " .. string.sub(body or "", 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local nonok = 0
  for _, t in ipairs(threads) do nonok = nonok + (t:get("bad") or 0) end
  local e = summary.errors
  local sock = e.connect + e.read + e.write + e.timeout
  io.write(string.format("mixed: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.0f ms, errors %d (non-2xx/3xx %d, connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    nonok + sock, nonok, e.connect, e.read, e.write, e.timeout))
end
