package mapsvg

import (
	"io"
	"testing"

	"github.com/paulmach/orb"

	"github.com/hotgrid/hotgrid/geo"
)

// BenchmarkWrite draws a force-wide first view: every resolution-8 cell of
// a 50 × 30 km box (about 2,000) in six paints, with 80 badges.
func BenchmarkWrite(b *testing.B) {
	box := orb.Bound{Min: orb.Point{-2.2, 52.35}, Max: orb.Point{-1.5, 52.65}}
	cells, err := geo.BoundCells(box, 8)
	if err != nil {
		b.Fatal(err)
	}
	ramp, _ := Palette()
	p := Picture{View: Fit(box, 1020, 860, Padding{40, 40, 40, 40}, 7, 18), Outlines: true,
		Units: []Unit{{Name: "Force", Geometry: orb.MultiPolygon{geo.BoundPolygon(box)}}}}
	for i, c := range cells {
		p.Cells = append(p.Cells, Cell{Cell: c, Fill: ramp[i%len(ramp)], Opacity: 0.82})
		if i%25 == 0 {
			p.Grids = append(p.Grids, Grid{Cell: c, Rank: i/25%10 + 1, Unit: "F", H3: geo.String(c)})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Cells)), "cells")
}
