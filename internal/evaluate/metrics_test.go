package evaluate

import (
	"math"
	"testing"
)

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 || (math.IsNaN(a) && math.IsNaN(b)) }

func TestScore(t *testing.T) {
	ten := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	tests := []struct {
		name                string
		flagged             []int32
		area                []float64
		count, harm         []float64
		outside             float64
		hit, pai, pei, hpai float64
	}{
		{"reference: 1 of 10 equal cells holding 2 of 10 crimes", []int32{0}, ten,
			[]float64{2, 1, 1, 1, 1, 1, 1, 1, 1, 0}, []float64{2, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 0,
			0.2, 2, 1, 2},
		{"missed the busiest cell", []int32{1}, ten,
			[]float64{4, 2, 1, 1, 1, 1, 0, 0, 0, 0}, []float64{40, 2, 1, 1, 1, 1, 0, 0, 0, 0}, 0,
			0.2, 2, 0.5, 10 * 2.0 / 46},
		{"two cells, offences outside the study area count in N", []int32{0, 1}, ten,
			[]float64{3, 3, 0, 0, 0, 0, 0, 0, 0, 0}, []float64{3, 3, 0, 0, 0, 0, 0, 0, 0, 0}, 4,
			0.6, 3, 1, 3},
		{"unequal areas: a is the true flagged area", []int32{0}, []float64{2, 1, 1, 1, 1, 1, 1, 1, 1, 1},
			[]float64{5, 5, 0, 0, 0, 0, 0, 0, 0, 0}, []float64{5, 5, 0, 0, 0, 0, 0, 0, 0, 0}, 0,
			0.5, 0.5 / (2.0 / 11), 1, 0.5 / (2.0 / 11)},
		{"nothing flagged: PAI undefined", nil, ten,
			[]float64{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []float64{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0,
			0, math.NaN(), math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			total := sum(tt.area)
			out := &Outcome{Count: tt.count, Harm: tt.harm, OutsideCount: tt.outside, OutsideHarm: tt.outside}
			m := Score(tt.flagged, tt.area, total, out)
			if !approx(m.HitRate, tt.hit) || !approx(m.PAI, tt.pai) || !approx(m.PEIStar, tt.pei) || !approx(m.HarmPAI, tt.hpai) {
				t.Errorf("hit %g pai %g pei* %g harm pai %g, want %g %g %g %g", m.HitRate, m.PAI, m.PEIStar, m.HarmPAI, tt.hit, tt.pai, tt.pei, tt.hpai)
			}
		})
	}
}

func TestFlag(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		area   []float64
		budget float64
		want   []int32
	}{
		{"top cell within 10%", []float64{1, 5, 3, 0}, []float64{1, 1, 1, 7}, 0.1, []int32{1}},
		{"two cells within 20%", []float64{1, 5, 3, 0}, []float64{1, 1, 1, 7}, 0.2, []int32{1, 2}},
		{"budget smaller than a cell flags nothing", []float64{1, 5, 3, 0}, []float64{1, 1, 1, 7}, 0.05, []int32{}},
		{"zero scores never flagged", []float64{1, 0, 0, 0}, []float64{1, 1, 1, 7}, 0.5, []int32{0}},
		{"ties go to the lower index", []float64{2, 2, 2, 0}, []float64{1, 1, 1, 7}, 0.2, []int32{0, 1}},
		{"stop at the first cell that does not fit", []float64{3, 2, 1, 0}, []float64{1, 5, 1, 3}, 0.3, []int32{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Flag(tt.scores, tt.area, sum(tt.area), tt.budget)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestMedian(t *testing.T) {
	if m := Median([]float64{3, math.NaN(), 1, 2}); m != 2 {
		t.Errorf("odd median %g", m)
	}
	if m := Median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("even median %g", m)
	}
	if m := Median([]float64{math.NaN()}); !math.IsNaN(m) {
		t.Errorf("empty median %g", m)
	}
}
