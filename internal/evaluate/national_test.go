package evaluate

import (
	"context"
	"fmt"
	"time"

	"github.com/hotgrid/hotgrid/data"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// medianTable returns method -> budget -> median PAI across units for one
// group (origins pooled: the median is over unit-origin pairs).
func medianTable(rep *Report, group string, pick func(Result) float64) map[string]map[float64]float64 {
	vals := map[string]map[float64][]float64{}
	for _, r := range rep.Results {
		if r.CrimeGroup != group {
			continue
		}
		if vals[r.Method] == nil {
			vals[r.Method] = map[float64][]float64{}
		}
		vals[r.Method][r.Budget] = append(vals[r.Method][r.Budget], pick(r))
	}
	out := map[string]map[float64]float64{}
	for m, bs := range vals {
		out[m] = map[float64]float64{}
		for b, v := range bs {
			out[m][b] = Median(v)
		}
	}
	return out
}

func formatTable(t map[string]map[float64]float64, budgets []float64) string {
	var sb strings.Builder
	ms := make([]string, 0, len(t))
	for m := range t {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	for _, m := range ms {
		fmt.Fprintf(&sb, "%-12s", m)
		for _, b := range budgets {
			fmt.Fprintf(&sb, " %7.2f", t[m][b])
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

func nationalOffences(tb testing.TB) ([]string, int) {
	files, err := filepath.Glob(filepath.Join(sharedDir(tb), "data/police-uk/national-2025/*.csv.gz"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no national files: %v", err)
	}
	return files, len(files)
}

func TestNationalExplore(t *testing.T) {
	if testing.Short() {
		t.Skip("national backtest skipped in -short mode")
	}
	files, _ := nationalOffences(t)
	offs, _ := policeUKOffences(t, files...)
	cfg := Config{TrainFrom: month("2025-01"), TrainTo: month("2025-02"), TestFrom: month("2025-02"), TestTo: month("2025-03"),
		Boundaries: Boundaries(geojsonUnits(t, data.Forces())), By: "force", Groups: []string{"all", "robbery", "burglary"}, Weights: testWeights{}}
	start := time.Now()
	rep, err := Run(context.Background(), cfg, sliceScan(offs))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("run %v", time.Since(start))
	for _, g := range cfg.Groups {
		t.Logf("%s PAI\n%s", g, formatTable(medianTable(rep, g, func(r Result) float64 { return float64(r.PAI) }), DefaultBudgets))
	}
}
