package evaluate

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/units"
)

func nationalFiles(tb testing.TB) []string {
	files, err := filepath.Glob(filepath.Join(sharedDir(tb), "data/police-uk/national-2025/*.csv.gz"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no national files: %v", err)
	}
	return files
}

func forceBoundaries(tb testing.TB) Config {
	fs, err := units.DefaultForces()
	if err != nil {
		tb.Fatal(err)
	}
	return Config{Boundaries: Boundaries(fs.Units())}
}

// nationalConfig is the README's national run: train 2025-01, test 2025-02,
// every force on its boundary, all crime but ASB plus robbery and burglary.
func nationalConfig(tb testing.TB) Config {
	cfg := forceBoundaries(tb)
	cfg.TrainFrom, cfg.TrainTo, cfg.TestFrom, cfg.TestTo = month("2025-01"), month("2025-02"), month("2025-02"), month("2025-03")
	cfg.By, cfg.Groups, cfg.Weights = "force", []string{"all", "robbery", "burglary"}, realWeights(tb)
	return cfg
}

// markdown renders median PAI (and median hit rate) per method and budget.
func markdown(rep *Report, group string, budgets []float64) string {
	var b strings.Builder
	b.WriteString("| method |")
	for _, x := range budgets {
		b.WriteString(" " + pct(x) + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(budgets)) + "\n")
	sums := Summarise(rep.Results, -1)
	for _, m := range rep.Config.methodOrder() {
		name := m
		if m == DefaultMethod {
			name = "**hotgrid (default)**"
		}
		b.WriteString("| " + name + " |")
		for _, x := range budgets {
			for _, s := range sums {
				if s.CrimeGroup == group && s.Method == m && s.Budget == x {
					fmt.Fprintf(&b, " %s (%s) |", fmtNum(s.MedianPAI, 2), pctNum(s.MedianHitRate))
				}
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestNationalDefaultBeatsBaselines runs the README's national backtest and
// checks the claim the README makes: hotgrid's default beats the naive and
// KDE baselines on median PAI at 1%. It logs the README tables.
func TestNationalDefaultBeatsBaselines(t *testing.T) {
	if testing.Short() {
		t.Skip("national backtest (about 20 s) skipped in -short mode")
	}
	offs, _ := policeUKOffences(t, nationalFiles(t)...)
	start := time.Now()
	rep, err := Run(context.Background(), nationalConfig(t), sliceScan(offs))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("backtest of %d offences took %v", len(offs), time.Since(start))
	t.Logf("all crime but ASB, median PAI (median hit rate) across forces:\n%s", markdown(rep, "all", DefaultBudgets))
	t.Logf("robbery:\n%s", markdown(rep, "robbery", []float64{0.01}))
	t.Logf("burglary:\n%s", markdown(rep, "burglary", []float64{0.01}))
	pai := map[string]float64{}
	for _, s := range Summarise(rep.Results, -1) {
		if s.CrimeGroup == "all" && s.Budget == 0.01 {
			pai[s.Method] = float64(s.MedianPAI)
		}
	}
	if !(pai[DefaultMethod] > pai["naive"] && pai[DefaultMethod] > pai["kde"]) {
		t.Errorf("median PAI at 1%%: hotgrid %.2f, naive %.2f, kde %.2f: the default must beat both", pai[DefaultMethod], pai["naive"], pai["kde"])
	}
}

// TestBirminghamRolling runs the README's Birmingham city-centre backtest:
// train five months, test the next, three rolling origins to 2017-08. The
// extract covers one mile around the centre, so the study area is the
// training offences' footprint, not a unit boundary, and the resolution is
// 10 (at 9 the footprint is about 100 cells and 1% of it is one cell).
func TestBirminghamRolling(t *testing.T) {
	offs := birminghamOffences(t, filepath.Join(sharedDir(t), "data/police-uk/west-midlands-api-birmingham-centre/crimeclean_2017-01_to_2017-08.csv"))
	cfg := Config{TrainFrom: month("2017-01"), TrainTo: month("2017-06"), TestFrom: month("2017-06"), TestTo: month("2017-07"),
		Rolling: 3, By: "force", Groups: []string{"all", "robbery", "burglary"}, Weights: realWeights(t), Res: 10}
	rep, err := Run(context.Background(), cfg, sliceScan(offs))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rep.Results); n != 3*3*len(Methods(Params{}))*len(DefaultBudgets) {
		t.Fatalf("%d results", n)
	}
	t.Logf("all crime but ASB, median PAI (median hit rate) over 3 origins:\n%s", markdown(rep, "all", DefaultBudgets))
	t.Logf("robbery:\n%s", markdown(rep, "robbery", []float64{0.01, 0.05}))
	t.Logf("burglary:\n%s", markdown(rep, "burglary", []float64{0.01, 0.05}))
}
