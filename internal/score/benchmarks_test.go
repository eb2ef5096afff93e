package score

import (
	"context"
	"runtime"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// defaultYear is the size of the default demo year.
const defaultYear = 227_000

// benchEngine builds an engine over the synthetic default-size year.
func benchEngine(b *testing.B) *Engine {
	b.Helper()
	return newTestEngine(b, synthOffences(b, defaultYear, 42))
}

// scoreAll scores every unit in every band at resolution 9 with Gi*, FDR
// and trends, from empty caches.
func scoreAll(b *testing.B, e *Engine) {
	e.mu.Lock()
	clear(e.aggs)
	clear(e.scores)
	e.mu.Unlock()
	ctx := context.Background()
	for _, band := range e.Bands() {
		if _, err := e.Cells(ctx, hotgrid.Query{Band: band.Name}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScoreDefaultYear(b *testing.B) {
	e := benchEngine(b)
	scoreAll(b, e) // study areas and neighbour graphs are built once per engine
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	for i := 0; i < b.N; i++ {
		scoreAll(b, e)
	}
}

func BenchmarkRankWarm(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	q := hotgrid.Query{Units: []string{"U3"}, Band: "weekday-evening"}
	if _, err := e.Rank(ctx, q); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	for i := 0; i < b.N; i++ {
		if _, err := e.Rank(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRankCold(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	q := hotgrid.Query{Units: []string{"U3"}, Band: "weekday-evening"}
	e.Rank(ctx, q)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	for i := 0; i < b.N; i++ {
		e.mu.Lock()
		clear(e.aggs)
		clear(e.scores)
		e.mu.Unlock()
		if _, err := e.Rank(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadIndex measures building the index and reports its resident
// bytes per offence (heap in use after the build, less before, over n).
func BenchmarkLoadIndex(b *testing.B) {
	offs := synthOffences(b, defaultYear, 42)
	cfg := Config{Units: testUnits(), Weights: defaultTestWeights()}
	b.ReportAllocs()
	b.ResetTimer()
	var per float64
	for i := 0; i < b.N; i++ {
		per = loadBytes(b, cfg, offs)
	}
	b.ReportMetric(per, "bytes/offence")
}

// loadBytes builds an engine and returns its resident heap per offence:
// heap in use after the build (GC'd, offences slice excluded as it was
// allocated before) less heap before, over the offences indexed.
func loadBytes(b *testing.B, cfg Config, offs []hotgrid.Offence) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e, err := NewEngine(cfg, sliceScan(offs))
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / float64(e.Offences())
	runtime.KeepAlive(e)
	return per
}

// BenchmarkNationalScore scores the real national police.uk files (about
// 576k offences, any-time band, every force on its boundary, resolution 9)
// from empty score caches; study areas are built once before timing and
// reported by BenchmarkNationalStudyAreas.
func BenchmarkNationalScore(b *testing.B) {
	e := nationalEngine(b)
	ctx := context.Background()
	if _, err := e.Rank(ctx, hotgrid.Query{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	for i := 0; i < b.N; i++ {
		e.mu.Lock()
		clear(e.aggs)
		clear(e.scores)
		e.mu.Unlock()
		if _, err := e.Rank(ctx, hotgrid.Query{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNationalStudyAreas measures a first national ranking from a
// fresh engine: force polyfills and neighbour graphs included.
func BenchmarkNationalStudyAreas(b *testing.B) {
	offs, cfg := nationalConfig(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e, err := NewEngine(cfg, sliceScan(offs))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := e.Rank(ctx, hotgrid.Query{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNationalLoad(b *testing.B) {
	offs, cfg := nationalConfig(b)
	b.ReportAllocs()
	b.ResetTimer()
	var per float64
	for i := 0; i < b.N; i++ {
		per = loadBytes(b, cfg, offs)
	}
	b.ReportMetric(per, "bytes/offence")
}

func nationalEngine(b *testing.B) *Engine {
	offs, cfg := nationalConfig(b)
	e, err := NewEngine(cfg, sliceScan(offs))
	if err != nil {
		b.Fatal(err)
	}
	return e
}
