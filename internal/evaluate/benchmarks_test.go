package evaluate

import (
	"context"
	"testing"

	"github.com/hotgrid/hotgrid/data"
)

// BenchmarkNationalBacktest is the whole national backtest of the README:
// train 2025-01, test 2025-02, every force (force boundaries), groups all,
// robbery and burglary, every method at four budgets, resolution 9. The
// offences are parsed once, outside the timer.
func BenchmarkNationalBacktest(b *testing.B) {
	files, _ := nationalOffences(b)
	offs, _ := policeUKOffences(b, files...)
	bounds := Boundaries(geojsonUnits(b, data.Forces()))
	cfg := Config{TrainFrom: month("2025-01"), TrainTo: month("2025-02"), TestFrom: month("2025-02"), TestTo: month("2025-03"),
		Boundaries: bounds, By: "force", Groups: []string{"all", "robbery", "burglary"}, Weights: testWeights{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), cfg, sliceScan(offs)); err != nil {
			b.Fatal(err)
		}
	}
}
