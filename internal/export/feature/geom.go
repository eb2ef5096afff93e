package feature

import (
	"fmt"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
)

// GeomPolygon converts an orb polygon to a 2D go-geom polygon, the form the
// go-geom WKB, WKT and KML encoders take.
func GeomPolygon(p orb.Polygon) (*geom.Polygon, error) {
	g, err := geo.ToGeom(p)
	if err != nil {
		return nil, err
	}
	gp, ok := g.(*geom.Polygon)
	if !ok {
		return nil, fmt.Errorf("polygon converted to %T", g)
	}
	return gp, nil
}

// GeomMultiPolygon converts an orb multipolygon to a 2D go-geom one.
func GeomMultiPolygon(mp orb.MultiPolygon) (*geom.MultiPolygon, error) {
	g, err := geo.ToGeom(mp)
	if err != nil {
		return nil, err
	}
	gm, ok := g.(*geom.MultiPolygon)
	if !ok {
		return nil, fmt.Errorf("multipolygon converted to %T", g)
	}
	return gm, nil
}
