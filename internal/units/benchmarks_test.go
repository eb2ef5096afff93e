package units

import (
	"math/rand/v2"
	"testing"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/paulmach/orb"
)

// benchPoints returns a million random points over the West Midlands force
// area's bounding box (about half fall inside an NPU).
func benchPoints(b *testing.B, s *Set) []orb.Point {
	b.Helper()
	return randomPoints(rand.New(rand.NewPCG(7, 8)), s.index.all, 1_000_000)
}

// benchLocate times locate over pts, one point per iteration.
func benchLocate(b *testing.B, pts []orb.Point, locate func(lon, lat float64) string) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pts[i%len(pts)]
		locate(p[0], p[1])
	}
}

// defaultSet loads the embedded West Midlands NPUs.
func defaultSet(b *testing.B) *Set {
	s, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkLocate(b *testing.B) {
	s := defaultSet(b)
	benchLocate(b, benchPoints(b, s), s.Locate)
}

// BenchmarkLocateCell is Locate given the point's res-11 cell, as ingest has.
func BenchmarkLocateCell(b *testing.B) {
	s := defaultSet(b)
	pts := benchPoints(b, s)
	cells := make([]uint64, len(pts))
	for i, p := range pts {
		cells[i], _ = geo.CellAt(p[0], p[1], 11)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(pts)
		s.LocateCell(cells[k], pts[k][0], pts[k][1])
	}
}

func BenchmarkLocateExact(b *testing.B) {
	s := defaultSet(b)
	benchLocate(b, benchPoints(b, s), s.LocateExact)
}

func BenchmarkLocateForces(b *testing.B) {
	s, err := DefaultForces()
	if err != nil {
		b.Fatal(err)
	}
	benchLocate(b, randomPoints(rand.New(rand.NewPCG(9, 10)), s.index.all, 1_000_000), s.Locate)
}

func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}
