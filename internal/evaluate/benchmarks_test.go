package evaluate

import (
	"context"
	"testing"
)

// BenchmarkNationalBacktest is the whole national backtest of the README:
// train 2025-01, test 2025-02, every force (force boundaries), groups all,
// robbery and burglary, every method at four budgets, resolution 9. The
// offences are parsed once, outside the timer.
func BenchmarkNationalBacktest(b *testing.B) {
	offs, _ := policeUKOffences(b, nationalFiles(b)...)
	cfg := nationalConfig(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), cfg, sliceScan(offs)); err != nil {
			b.Fatal(err)
		}
	}
}
