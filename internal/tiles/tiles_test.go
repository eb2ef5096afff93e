package tiles_test

import (
	"testing"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
)

// birmingham is Birmingham city centre.
var birmingham = orb.Point{-1.8904, 52.4862}

// disk returns scored cells of a disk of k rings round p at res 9, ranked
// by distance from the centre.
func disk(t testing.TB, p orb.Point, k int) []hotgrid.CellScore {
	t.Helper()
	c, err := geo.CellAt(p[0], p[1], 9)
	if err != nil {
		t.Fatal(err)
	}
	var out []hotgrid.CellScore
	for i, id := range geo.Disk(c, k) {
		out = append(out, hotgrid.CellScore{Cell: id, H3: geo.String(id), Unit: "BE", Rank: i + 1,
			Count: float64(100 - i), Harm: float64(1000 - i), Class: hotgrid.ClassHot95, PeakBand: "late"})
	}
	return out
}

func TestValid(t *testing.T) {
	tests := []struct {
		z, x, y int
		ok      bool
	}{
		{0, 0, 0, true},
		{12, 2017, 1349, true},
		{22, 1<<22 - 1, 0, true},
		{-1, 0, 0, false},
		{23, 0, 0, false},
		{1, 2, 0, false},
		{1, 0, 2, false},
		{3, -1, 0, false},
	}
	for _, tt := range tests {
		if err := tiles.Valid(tt.z, tt.x, tt.y); (err == nil) != tt.ok {
			t.Errorf("Valid(%d,%d,%d) = %v, want ok %v", tt.z, tt.x, tt.y, err, tt.ok)
		}
	}
}

func TestTile(t *testing.T) {
	cells := disk(t, birmingham, 3) // 37 cells
	ix, err := tiles.NewIndex(cells)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 37 {
		t.Fatalf("Len = %d, want 37", ix.Len())
	}
	if !ix.Bound().Contains(birmingham) {
		t.Fatalf("bound %v does not hold the centre", ix.Bound())
	}

	tests := []struct {
		name   string
		tile   maptile.Tile
		min    int // fewest features expected
		max    int
		hasTop bool // rank 1 cell is in the tile
	}{
		{"whole disk at z12", maptile.At(birmingham, 12), 1, 37, true},
		{"zoom 8 holds all", maptile.At(birmingham, 8), 37, 37, true},
		{"sub-unit cells at zoom 0 are dropped", maptile.New(0, 0, 0), 0, 0, false},
		{"far away", maptile.At(orb.Point{0.12, 51.5}, 12), 0, 0, false},
		{"deep zoom centre", maptile.At(birmingham, 18), 1, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ix.Tile(tt.tile)
			if err != nil {
				t.Fatal(err)
			}
			if tt.max == 0 {
				if b != nil {
					t.Fatalf("want no tile, got %d bytes", len(b))
				}
				return
			}
			layers, err := mvt.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if len(layers) != 1 || layers[0].Name != tiles.LayerName {
				t.Fatalf("layers = %v, want one %q", layers, tiles.LayerName)
			}
			fs := layers[0].Features
			if len(fs) < tt.min || len(fs) > tt.max {
				t.Fatalf("%d features, want %d..%d", len(fs), tt.min, tt.max)
			}
			top := false
			for _, f := range fs {
				poly, ok := f.Geometry.(orb.Polygon)
				if !ok {
					t.Fatalf("geometry %T, want polygon", f.Geometry)
				}
				for _, p := range poly[0] {
					if p[0] < -64 || p[0] > tiles.Extent+64 || p[1] < -64 || p[1] > tiles.Extent+64 {
						t.Fatalf("point %v outside the buffered tile", p)
					}
				}
				// MVT exterior rings have positive area in tile coordinates
				// (y down), which orb reports as clockwise... after flipping:
				// the signed area in tile space must be positive.
				if a := planar.Area(poly); a <= 0 {
					t.Fatalf("cell %v has area %v", f.Properties["h3"], a)
				}
				if f.Properties["rank"] == float64(1) {
					top = true
					if f.Properties["h3"] != cells[0].H3 || f.Properties["class"] != "hot-95" ||
						f.Properties["count"] != float64(100) || f.Properties["unit"] != "BE" {
						t.Fatalf("rank 1 properties = %v", f.Properties)
					}
				}
			}
			if top != tt.hasTop {
				t.Fatalf("rank 1 present = %v, want %v", top, tt.hasTop)
			}
		})
	}
}

// TestTileEdges checks that every cell shows up in the tiles covering it and
// that a cell straddling a tile edge is clipped into both.
func TestTileEdges(t *testing.T) {
	cells := disk(t, birmingham, 6)
	ix, err := tiles.NewIndex(cells)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	z := maptile.Zoom(15)
	min, max := maptile.At(ix.Bound().Min, z), maptile.At(ix.Bound().Max, z)
	for x := min.X; x <= max.X; x++ {
		for y := max.Y; y <= min.Y; y++ {
			b, err := ix.Tile(maptile.New(x, y, z))
			if err != nil {
				t.Fatal(err)
			}
			layers, err := mvt.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range layers {
				for _, f := range l.Features {
					seen[f.Properties["h3"].(string)]++
				}
			}
		}
	}
	if len(seen) != len(cells) {
		t.Fatalf("%d of %d cells appear in some tile", len(seen), len(cells))
	}
	split := 0
	for _, n := range seen {
		if n > 1 {
			split++
		}
	}
	if split == 0 {
		t.Fatal("no cell straddles a tile edge at z15; the test area is too small")
	}
}

func TestNewIndexBadCell(t *testing.T) {
	_, err := tiles.NewIndex([]hotgrid.CellScore{{H3: "nothex"}})
	if err == nil {
		t.Fatal("want error for a bad cell")
	}
}
