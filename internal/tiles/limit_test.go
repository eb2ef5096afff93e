package tiles_test

import (
	"sort"
	"testing"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/tiles"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// TestTileLimit checks a tile with more cells than the limit keeps the
// best-ranked ones and reports how many it left out, and that Tile keeps
// to MaxFeatures.
func TestTileLimit(t *testing.T) {
	cells := disk(t, birmingham, 6) // 127 cells ranked 1..127
	ix, err := tiles.NewIndex(cells)
	if err != nil {
		t.Fatal(err)
	}
	tile := maptile.At(birmingham, 13)
	all, dropped, err := ix.TileLimit(tile, 0)
	if err != nil || dropped != 0 {
		t.Fatalf("no limit: dropped %d, err %v", dropped, err)
	}
	n := features(t, all)
	if n < 50 {
		t.Fatalf("only %d cells in the tile", n)
	}
	const max = 20
	b, dropped, err := ix.TileLimit(tile, max)
	if err != nil {
		t.Fatal(err)
	}
	if dropped != n-max {
		t.Fatalf("dropped %d, want %d", dropped, n-max)
	}
	want := ranks(t, all)[:max] // the best ranks of the unlimited tile
	got := ranks(t, b)
	if len(got) != max {
		t.Fatalf("%d features, want %d", len(got), max)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("kept ranks %v, want %v", got, want)
		}
	}
	if _, dropped, _ := ix.TileLimit(tile, n); dropped != 0 {
		t.Fatalf("limit equal to the count dropped %d", dropped)
	}

	// Tile keeps to MaxFeatures: 11k res-11 cells in the middle of a z12 tile.
	bt := maptile.At(birmingham, 12)
	mid := bt.Center()
	c, err := geo.CellAt(mid[0], mid[1], 11)
	if err != nil {
		t.Fatal(err)
	}
	var many []hotgrid.CellScore
	for i, id := range geo.Disk(c, 60) { // 10981 cells, about 5.5 km across
		many = append(many, hotgrid.CellScore{Cell: id, H3: geo.String(id), Rank: i + 1, Count: 1})
	}
	big, err := tiles.NewIndex(many)
	if err != nil {
		t.Fatal(err)
	}
	_, over, err := big.TileLimit(bt, 0)
	if err != nil || over != 0 {
		t.Fatalf("no limit: dropped %d, err %v", over, err)
	}
	b, err = big.Tile(bt)
	if err != nil {
		t.Fatal(err)
	}
	unlimited, _, _ := big.TileLimit(bt, 0)
	shown := features(t, unlimited)
	if shown <= tiles.MaxFeatures {
		t.Fatalf("test tile shows only %d cells; it must exceed %d", shown, tiles.MaxFeatures)
	}
	if got := features(t, b); got != tiles.MaxFeatures {
		t.Fatalf("Tile has %d features, want the limit %d", got, tiles.MaxFeatures)
	}
	if _, dropped, _ := big.TileLimit(bt, tiles.MaxFeatures); dropped != shown-tiles.MaxFeatures {
		t.Fatalf("dropped %d, want %d", dropped, shown-tiles.MaxFeatures)
	}
}

// ranks returns the sorted rank properties of a tile's features.
func ranks(t *testing.T, b []byte) []int {
	t.Helper()
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, f := range layers[0].Features {
		out = append(out, int(f.Properties["rank"].(float64)))
	}
	sort.Ints(out)
	return out
}

func features(t *testing.T, b []byte) int {
	t.Helper()
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return len(layers[0].Features)
}
