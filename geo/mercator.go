package geo

import "math"

// MaxMercatorLat is the latitude where Web Mercator maps end (the world is
// square there).
const MaxMercatorLat = 85.051129

// WorldPixel returns where lon/lat falls on a Web Mercator world map
// worldSize pixels square, from its top left corner: the pixel space
// MapLibre draws in, where worldSize is 512 × 2^zoom. Latitudes beyond
// MaxMercatorLat are clamped to it.
func WorldPixel(lon, lat, worldSize float64) (x, y float64) {
	lat = math.Max(-MaxMercatorLat, math.Min(MaxMercatorLat, lat))
	s := math.Sin(lat * math.Pi / 180)
	x = (lon + 180) / 360 * worldSize
	y = (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)) * worldSize
	return x, y
}

// WorldLonLat is the inverse of WorldPixel.
func WorldLonLat(x, y, worldSize float64) (lon, lat float64) {
	lon = x/worldSize*360 - 180
	n := math.Pi * (1 - 2*y/worldSize)
	lat = math.Atan(math.Sinh(n)) * 180 / math.Pi
	return lon, lat
}
