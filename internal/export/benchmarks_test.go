package export_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

// benchmarkWrite exports in as format to io.Discard. Besides wall time it
// reports the process CPU time per export (cpu-ms/op), a figure that holds
// on a machine shared with other work.
func benchmarkWrite(b *testing.B, format string, in export.Input) {
	b.ReportAllocs()
	b.ResetTimer()
	before := cpuTime()
	n := 0
	for b.Loop() {
		if err := export.Write(context.Background(), io.Discard, format, in); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(n), "cpu-ms/op")
	b.ReportMetric(float64(len(in.Cells)), "cells")
}

func cpuTime() time.Duration { return testenv.CPUTime() }

// The synthetic input is every res-9 cell of a box around the West
// Midlands (-2.2..-1.42, 52.35..52.66: about 19,000 cells, twice the
// default data's scored cells) with a patrol area per 100 cells. Targets
// for the default data: GeoJSON under 150 ms, GeoPackage under 1 s.
func BenchmarkSyntheticGeoJSON(b *testing.B) { benchmarkWrite(b, "geojson", exporttest.Synthetic()) }
func BenchmarkSyntheticGPKG(b *testing.B)    { benchmarkWrite(b, "gpkg", exporttest.Synthetic()) }
func BenchmarkSyntheticKML(b *testing.B)     { benchmarkWrite(b, "kml", exporttest.Synthetic()) }
func BenchmarkSyntheticCSV(b *testing.B)     { benchmarkWrite(b, "csv", exporttest.Synthetic()) }

// The demo benchmarks export every res-9 cell of the embedded demo data
// (Service.Cells, 9,813 cells) with the 8 unit boundaries; ingesting and
// scoring happen once, before the timer.
func BenchmarkDemoGeoJSON(b *testing.B) { benchmarkWrite(b, "geojson", demoData(b).in) }
func BenchmarkDemoGPKG(b *testing.B)    { benchmarkWrite(b, "gpkg", demoData(b).in) }
func BenchmarkDemoKML(b *testing.B)     { benchmarkWrite(b, "kml", demoData(b).in) }
func BenchmarkDemoCSV(b *testing.B)     { benchmarkWrite(b, "csv", demoData(b).in) }
