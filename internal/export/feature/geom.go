package feature

import (
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
)

// GeomPolygon converts an orb polygon to a 2D go-geom polygon, the form the
// go-geom WKB, WKT and KML encoders take. (A local adapter: geo.ToGeom does
// the same for any orb geometry once the engine package provides it.)
func GeomPolygon(p orb.Polygon) *geom.Polygon {
	flat, ends := appendPolygon(nil, nil, p)
	return geom.NewPolygonFlat(geom.XY, flat, ends)
}

// GeomMultiPolygon converts an orb multipolygon to a 2D go-geom one.
func GeomMultiPolygon(mp orb.MultiPolygon) *geom.MultiPolygon {
	var flat []float64
	endss := make([][]int, 0, len(mp))
	for _, p := range mp {
		var ends []int
		flat, ends = appendPolygon(flat, nil, p)
		endss = append(endss, ends)
	}
	return geom.NewMultiPolygonFlat(geom.XY, flat, endss)
}

func appendPolygon(flat []float64, ends []int, p orb.Polygon) ([]float64, []int) {
	for _, r := range p {
		for _, pt := range r {
			flat = append(flat, pt[0], pt[1])
		}
		ends = append(ends, len(flat))
	}
	return flat, ends
}
