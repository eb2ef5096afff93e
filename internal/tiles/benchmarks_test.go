package tiles_test

import (
	"math/rand/v2"
	"testing"

	"github.com/hotgrid/hotgrid/internal/tiles"
	"github.com/paulmach/orb/maptile"
)

// BenchmarkTile cuts random z12..z15 tiles over a 60-ring disk (10,981
// res-9 cells, about the size of a West Midlands NPU set).
func BenchmarkTile(b *testing.B) {
	ix, err := tiles.NewIndex(disk(b, birmingham, 60))
	if err != nil {
		b.Fatal(err)
	}
	bd := ix.Bound()
	r := rand.New(rand.NewPCG(1, 2))
	var ts []maptile.Tile
	for range 256 {
		z := maptile.Zoom(12 + r.IntN(4))
		lo, hi := maptile.At(bd.Min, z), maptile.At(bd.Max, z)
		ts = append(ts, maptile.New(lo.X+uint32(r.IntN(int(hi.X-lo.X+1))), hi.Y+uint32(r.IntN(int(lo.Y-hi.Y+1))), z))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.Tile(ts[i%len(ts)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewIndex projects 10,981 cells.
func BenchmarkNewIndex(b *testing.B) {
	cells := disk(b, birmingham, 60)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tiles.NewIndex(cells); err != nil {
			b.Fatal(err)
		}
	}
}
