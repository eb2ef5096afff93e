package geo

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/twpayne/go-geom"
	"github.com/uber/h3-go/v4"
)

func TestParentMatchesH3(t *testing.T) {
	for i := 0; i < 200; i++ {
		lon := -2.2 + float64(i)*0.004
		lat := 52.35 + float64(i%37)*0.008
		c, err := CellAt(lon, lat, 11)
		if err != nil {
			t.Fatal(err)
		}
		for res := 0; res <= 11; res++ {
			want, err := h3.Cell(c).Parent(res)
			if err != nil {
				t.Fatal(err)
			}
			if got := Parent(c, res); got != uint64(want) {
				t.Fatalf("Parent(%s,%d) = %x, want %x", String(c), res, got, uint64(want))
			}
		}
		if Parent(Parent(c, 9), 10) != 0 {
			t.Fatal("finer parent should be 0")
		}
	}
}

func TestTileCells(t *testing.T) {
	cases := []struct {
		name     string
		tile     maptile.Tile
		res      int
		min, max int
	}{
		// z14 tile over Birmingham is about 1.5 km square: ~20 res-9 cells plus edge cells.
		{"z14 res9", maptile.At(orb.Point{-1.8998, 52.4814}, 14), 9, 20, 60},
		// z18 tile (~100 m) is smaller than one res-9 cell.
		{"z18 res9", maptile.At(orb.Point{-1.8998, 52.4814}, 18), 9, 1, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cs, err := TileCells(c.tile, c.res)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) < c.min || len(cs) > c.max {
				t.Fatalf("%d cells, want %d..%d", len(cs), c.min, c.max)
			}
			b := TileBound(c.tile)
			for i, cell := range cs {
				if i > 0 && cell <= cs[i-1] {
					t.Fatal("not sorted and distinct")
				}
				if !Boundary(cell).Bound().Intersects(b) {
					t.Fatalf("cell %s does not touch the tile", String(cell))
				}
			}
			// every point of the tile lies in some returned cell
			for _, f := range []float64{0.01, 0.3, 0.5, 0.77, 0.99} {
				p := orb.Point{b.Min[0] + f*(b.Max[0]-b.Min[0]), b.Min[1] + (1-f)*(b.Max[1]-b.Min[1])}
				c9, _ := CellAt(p[0], p[1], c.res)
				if !contains(cs, c9) {
					t.Fatalf("point %v in cell %s not covered", p, String(c9))
				}
			}
		})
	}
}

func contains(cs []uint64, c uint64) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func TestToGeom(t *testing.T) {
	c, _ := CellAt(-1.8998, 52.4814, 9)
	poly := Boundary(c)
	cases := []struct {
		name  string
		in    orb.Geometry
		kind  string
		coord int
	}{
		{"point", orb.Point{1, 2}, "*geom.Point", 1},
		{"line", orb.LineString{{0, 0}, {1, 1}}, "*geom.LineString", 2},
		{"polygon", poly, "*geom.Polygon", 7},
		{"multipolygon", orb.MultiPolygon{poly, poly}, "*geom.MultiPolygon", 14},
		{"bound", orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}, "*geom.Polygon", 5},
		{"multiline", orb.MultiLineString{{{0, 0}, {1, 1}}}, "*geom.MultiLineString", 2},
		{"collection", orb.Collection{orb.Point{1, 1}, poly}, "*geom.GeometryCollection", 8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ToGeom(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(g); got != tc.kind {
				t.Fatalf("type %s, want %s", got, tc.kind)
			}
			if n := countCoords(g); n != tc.coord {
				t.Fatalf("%d coords, want %d", n, tc.coord)
			}
		})
	}
	p, _ := ToGeom(poly)
	if got := p.(*geom.Polygon).Coord(0); got[0] != poly[0][0][0] || got[1] != poly[0][0][1] {
		t.Fatalf("first coord %v, want %v", got, poly[0][0])
	}
	if _, err := ToGeom(nil); err == nil {
		t.Fatal("want error for nil")
	}
}

func typeName(g geom.T) string {
	switch g.(type) {
	case *geom.Point:
		return "*geom.Point"
	case *geom.LineString:
		return "*geom.LineString"
	case *geom.Polygon:
		return "*geom.Polygon"
	case *geom.MultiPolygon:
		return "*geom.MultiPolygon"
	case *geom.MultiLineString:
		return "*geom.MultiLineString"
	case *geom.GeometryCollection:
		return "*geom.GeometryCollection"
	}
	return "other"
}

func countCoords(g geom.T) int {
	if c, ok := g.(*geom.GeometryCollection); ok {
		n := 0
		for _, sub := range c.Geoms() {
			n += countCoords(sub)
		}
		return n
	}
	return len(g.FlatCoords()) / 2
}
