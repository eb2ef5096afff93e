package score

import (
	"math"

	"github.com/paulmach/orb"
)

// kmDist is the equirectangular distance in km between two lon/lat points.
func kmDist(a, b orb.Point) float64 {
	const r = 6371.0088
	lat := (a[1] + b[1]) / 2 * math.Pi / 180
	dx := (b[0] - a[0]) * math.Pi / 180 * math.Cos(lat) * r
	dy := (b[1] - a[1]) * math.Pi / 180 * r
	return math.Hypot(dx, dy)
}

// orbOffset moves p east and north by kilometres.
func orbOffset(p orb.Point, eastKm, northKm float64) orb.Point {
	const r = 6371.0088
	dLat := northKm / r * 180 / math.Pi
	dLon := eastKm / (r * math.Cos(p[1]*math.Pi/180)) * 180 / math.Pi
	return orb.Point{p[0] + dLon, p[1] + dLat}
}
