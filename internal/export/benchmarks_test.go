package export_test

import (
	"context"
	"io"
	"testing"

	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
)

// benchmarkFormat exports the synthetic West Midlands input (every res-9
// cell of a box around the force, about the default data's size) to
// io.Discard. Targets: GeoJSON under 150 ms, GeoPackage under 1 s.
func benchmarkFormat(b *testing.B, format string) {
	in := exporttest.Synthetic()
	b.ReportAllocs()
	b.ReportMetric(float64(len(in.Cells)), "cells")
	b.ResetTimer()
	for b.Loop() {
		if err := export.Write(context.Background(), io.Discard, format, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSyntheticGeoJSON(b *testing.B) { benchmarkFormat(b, "geojson") }
func BenchmarkSyntheticGPKG(b *testing.B)    { benchmarkFormat(b, "gpkg") }
func BenchmarkSyntheticKML(b *testing.B)     { benchmarkFormat(b, "kml") }
func BenchmarkSyntheticCSV(b *testing.B)     { benchmarkFormat(b, "csv") }
