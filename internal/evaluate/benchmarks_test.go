package evaluate

import (
	"context"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/testenv"
)

// cpuTime returns the process's user plus system CPU time.
func cpuTime() time.Duration { return testenv.CPUTime() }

// reportCPU reports CPU milliseconds per op since start: on the shared
// 2-core machine wall time mostly measures the other processes.
func reportCPU(b *testing.B, start time.Duration) { testenv.ReportCPU(b, start) }

// BenchmarkNationalBacktest is the whole national backtest of the README:
// train 2025-01, test 2025-02, every force (force boundaries), groups all,
// robbery and burglary, every method at four budgets, resolution 9. The
// offences are parsed once, outside the timer. "cold" builds every force's
// study area (polyfill and true cell areas) in each run, as the CLI does;
// "cached-studies" shares a StudyCache between runs, as a server would.
func BenchmarkNationalBacktest(b *testing.B) {
	offs, _ := policeUKOffences(b, nationalFiles(b)...)
	for _, bc := range []struct {
		name  string
		cache *StudyCache
	}{{"cold", nil}, {"cached-studies", NewStudyCache()}} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := nationalConfig(b)
			cfg.Studies = bc.cache
			if bc.cache != nil {
				if _, err := Run(context.Background(), cfg, sliceScan(offs)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := Run(context.Background(), cfg, sliceScan(offs)); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
}
