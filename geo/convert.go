package geo

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
)

// ToGeom converts an orb geometry to its go-geom form (XY layout, SRID 4326
// left to the caller), for writers built on go-geom such as KML and WKB.
// A Bound becomes a Polygon and a Ring a one-ring Polygon.
func ToGeom(g orb.Geometry) (geom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return geom.NewMultiPointFlat(geom.XY, flatPoints(g)), nil
	case orb.LineString:
		return geom.NewLineStringFlat(geom.XY, flatPoints(g)), nil
	case orb.MultiLineString:
		m := geom.NewMultiLineString(geom.XY)
		for _, ls := range g {
			if err := m.Push(geom.NewLineStringFlat(geom.XY, flatPoints(ls))); err != nil {
				return nil, fmt.Errorf("multilinestring: %w", err)
			}
		}
		return m, nil
	case orb.Ring:
		return polygon(orb.Polygon{g}), nil
	case orb.Polygon:
		return polygon(g), nil
	case orb.Bound:
		return polygon(BoundPolygon(g)), nil
	case orb.MultiPolygon:
		m := geom.NewMultiPolygon(geom.XY)
		for _, p := range g {
			if err := m.Push(polygon(p)); err != nil {
				return nil, fmt.Errorf("multipolygon: %w", err)
			}
		}
		return m, nil
	case orb.Collection:
		c := geom.NewGeometryCollection()
		for i, sub := range g {
			t, err := ToGeom(sub)
			if err != nil {
				return nil, fmt.Errorf("collection member %d: %w", i, err)
			}
			if err := c.Push(t); err != nil {
				return nil, fmt.Errorf("collection member %d: %w", i, err)
			}
		}
		return c, nil
	case nil:
		return nil, fmt.Errorf("nil geometry")
	}
	return nil, fmt.Errorf("unsupported geometry %T", g)
}

func polygon(p orb.Polygon) *geom.Polygon {
	flat := make([]float64, 0, 16)
	ends := make([]int, 0, len(p))
	for _, r := range p {
		flat = append(flat, flatPoints(r)...)
		ends = append(ends, len(flat))
	}
	return geom.NewPolygonFlat(geom.XY, flat, ends)
}

func flatPoints[P ~[]orb.Point](ps P) []float64 {
	out := make([]float64, 0, 2*len(ps))
	for _, p := range ps {
		out = append(out, p[0], p[1])
	}
	return out
}
