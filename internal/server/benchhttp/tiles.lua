-- wrk script: GET random vector tiles at zoom 12..15 over the West Midlands
-- force area (lon -2.21..-1.42, lat 52.36..52.66).
local minlon, maxlon, minlat, maxlat = -2.21, -1.42, 52.36, 52.66

local function tile(lon, lat, z)
  local n = 2 ^ z
  local x = math.floor((lon + 180) / 360 * n)
  local r = math.rad(lat)
  local y = math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
  return x, y
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed * 7919)
end

function request()
  local z = math.random(12, 15)
  local lon = minlon + math.random() * (maxlon - minlon)
  local lat = minlat + math.random() * (maxlat - minlat)
  local x, y = tile(lon, lat, z)
  return wrk.format("GET", "/tiles/" .. z .. "/" .. x .. "/" .. y .. ".mvt")
end

local codes = {}
function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("tiles: %d requests, %.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
