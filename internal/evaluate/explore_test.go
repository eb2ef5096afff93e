package evaluate

import (
	"context"
	"fmt"
	"testing"
)

func blendMethod(ring, harm float64) Method {
	return Method{Name: fmt.Sprintf("b_r%g_h%g", ring, harm), Score: func(in *Input) []float64 {
		c := KRing(in, ring)
		h := Harm(in)
		tot, n := 0.0, 0.0
		for i := range in.Events {
			tot += in.Events[i].Harm
			n += in.Events[i].Weight
		}
		mean := tot / n
		for i := range c {
			c[i] += harm * h[i] / mean
		}
		return c
	}}
}

func TestExploreBlend(t *testing.T) {
	files, _ := nationalOffences(t)
	offs, _ := policeUKOffences(t, files...)
	var ms []Method
	for _, r := range []float64{0, 0.05, 0.1, 0.2} {
		for _, h := range []float64{0, 0.01, 0.1, 0.5} {
			ms = append(ms, blendMethod(r, h))
		}
	}
	ms = append(ms, Method{"kde200", "", func(in *Input) []float64 { return KDE(in, 0.2) }},
		Method{"kde500", "", func(in *Input) []float64 { return KDE(in, 0.5) }})
	cfg := Config{TrainFrom: month("2025-01"), TrainTo: month("2025-02"), TestFrom: month("2025-02"), TestTo: month("2025-03"),
		By: "force", Groups: []string{"all", "robbery", "burglary"}, Weights: testWeights{}, Methods: ms}
	rep, err := Run(context.Background(), cfg, sliceScan(offs))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range cfg.Groups {
		t.Logf("%s PAI\n%s", g, formatTable(medianTable(rep, g, func(r Result) float64 { return float64(r.PAI) }), DefaultBudgets))
		t.Logf("%s harm PAI\n%s", g, formatTable(medianTable(rep, g, func(r Result) float64 { return float64(r.HarmPAI) }), DefaultBudgets))
	}
}
