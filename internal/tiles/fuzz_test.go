package tiles_test

import (
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// FuzzTile fuzzes tile coordinates against an index of cells round
// Birmingham. Properties: no panic; Valid accepts exactly the tiles of the
// pyramid (0 <= z <= MaxZoom, 0 <= x, y < 2^z) and names the coordinate at
// fault otherwise; Tile refuses what Valid refuses; an accepted tile is nil
// or a decodable MVT whose one "cells" layer holds polygons inside the
// buffered extent, each with an h3 property of a cell of the index.
func FuzzTile(f *testing.F) {
	f.Add(12, 2017, 1349)
	f.Add(0, 0, 0)
	f.Add(22, 1<<22-1, 0)
	f.Add(23, 0, 0)
	f.Add(-1, 0, 0)
	f.Add(31, 1<<30, 1<<30)
	f.Add(63, -1, -1)
	f.Add(14, 8070, 5394)
	cells := disk(f, birmingham, 6)
	ix, err := tiles.NewIndex(cells)
	if err != nil {
		f.Fatal(err)
	}
	known := map[string]bool{}
	for _, c := range cells {
		known[c.H3] = true
	}
	f.Fuzz(func(t *testing.T, z, x, y int) {
		inRange := z >= 0 && z <= tiles.MaxZoom && x >= 0 && y >= 0 && x < 1<<z && y < 1<<z
		err := tiles.Valid(z, x, y)
		if (err == nil) != inRange {
			t.Fatalf("Valid(%d,%d,%d) = %v, want ok %v", z, x, y, err, inRange)
		}
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "zoom") && !strings.HasPrefix(msg, "x") && !strings.HasPrefix(msg, "y") {
				t.Fatalf("error %q names no coordinate", msg)
			}
		}
		// The same numbers as the uint32/zoom a maptile carries.
		mt := maptile.New(uint32(x), uint32(y), maptile.Zoom(uint32(z)))
		b, terr := ix.Tile(mt)
		tileOK := int(mt.Z) <= tiles.MaxZoom && uint64(mt.X) < uint64(1)<<mt.Z && uint64(mt.Y) < uint64(1)<<mt.Z
		if (terr == nil) != tileOK {
			t.Fatalf("Tile(%v) err = %v, want ok %v", mt, terr, tileOK)
		}
		if terr != nil || b == nil {
			return
		}
		checkTile(t, b, known)
	})
}

// checkTile decodes an MVT and checks its features.
func checkTile(t *testing.T, b []byte, known map[string]bool) {
	t.Helper()
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatalf("tile does not decode: %v", err)
	}
	if len(layers) != 1 || layers[0].Name != tiles.LayerName || len(layers[0].Features) == 0 {
		t.Fatalf("layers %v, want one non-empty %q", layers, tiles.LayerName)
	}
	for _, ft := range layers[0].Features {
		poly, ok := ft.Geometry.(orb.Polygon)
		if !ok || len(poly) == 0 || len(poly[0]) < 3 {
			t.Fatalf("feature geometry %T %v, want a polygon", ft.Geometry, ft.Geometry)
		}
		for _, p := range poly[0] {
			if p[0] < -64 || p[0] > tiles.Extent+64 || p[1] < -64 || p[1] > tiles.Extent+64 {
				t.Fatalf("point %v outside the buffered tile", p)
			}
		}
		if h, _ := ft.Properties["h3"].(string); !known[h] {
			t.Fatalf("feature h3 %v is not a cell of the index", ft.Properties["h3"])
		}
	}
}

// FuzzNewIndex fuzzes the cell identifiers an index is built from: a bad
// H3 string is an error naming the cell, never a panic, and a good one
// gives an index whose bound holds the cell.
func FuzzNewIndex(f *testing.F) {
	f.Add("89195da49b7ffff", uint64(0))
	f.Add("", uint64(0x89195da49b7ffff))
	f.Add("not-a-cell", uint64(0))
	f.Add("ffffffffffffffff", uint64(0))
	f.Add("", uint64(1))
	f.Fuzz(func(t *testing.T, h3 string, id uint64) {
		ix, err := tiles.NewIndex([]hotgrid.CellScore{{H3: h3, Cell: id, Rank: 1, Count: 1}})
		if err != nil {
			if !strings.Contains(err.Error(), "cell") {
				t.Fatalf("error %q does not say which cell", err)
			}
			return
		}
		if ix.Len() != 1 {
			t.Fatalf("Len = %d", ix.Len())
		}
		bd := ix.Bound()
		if bd.Min[0] < -180 || bd.Max[0] > 180 || bd.Min[1] < -90 || bd.Max[1] > 90 {
			t.Fatalf("bound %v outside the world", bd)
		}
		for z := 0; z <= tiles.MaxZoom; z += 7 {
			if _, err := ix.Tile(maptile.At(bd.Center(), maptile.Zoom(z))); err != nil {
				t.Fatalf("tile at z%d: %v", z, err)
			}
		}
	})
}
