package demo

import (
	"io"
	"testing"

	"github.com/hotgrid/hotgrid/internal/units"
)

// BenchmarkGenerate generates 10% of the year per iteration.
func BenchmarkGenerate(b *testing.B) {
	npus, err := units.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Write(io.Discard, Config{Seed: 1, Units: npus, Scale: 0.1}); err != nil {
			b.Fatal(err)
		}
	}
}
