package score

import (
	"math"
	"testing"
)

func TestMannKendall(t *testing.T) {
	cases := []struct {
		name       string
		x          []float64
		s, v, z, p float64
	}{
		// 1..5: S = 10, Var = 5*4*15/18, Z = 9/sqrt(Var).
		{"increasing", []float64{1, 2, 3, 4, 5}, 10, 50.0 / 3, 9 / math.Sqrt(50.0/3), 0.027486},
		// ties: 1 2 2 3: S = 5, Var = (4*3*13 - 2*1*9)/18 = 138/18.
		{"ties", []float64{1, 2, 2, 3}, 5, 138.0 / 18, 4 / math.Sqrt(138.0/18), 0.148562},
		// decreasing with a triple tie: 5 3 3 3 1: S = -7, Var = (5*4*15 - 3*2*11)/18 = 234/18.
		{"decreasing ties", []float64{5, 3, 3, 3, 1}, -7, 234.0 / 18, -6 / math.Sqrt(234.0/18), 0.096092},
		{"flat", []float64{2, 2, 2}, 0, 0, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := MannKendall(c.x)
			if r.S != c.s || math.Abs(r.Var-c.v) > 1e-12 || math.Abs(r.Z-c.z) > 1e-12 || math.Abs(r.P-c.p) > 1e-6 {
				t.Fatalf("MannKendall(%v) = %+v, want S %g Var %g Z %g P %g", c.x, r, c.s, c.v, c.z, c.p)
			}
		})
	}
}

func TestEmergingClass(t *testing.T) {
	const H, C, N = 3.0, -3.0, 0.5 // hot, cold, not significant z
	series := func(zs ...float64) ([]float64, []float64) {
		p := make([]float64, len(zs))
		for i, z := range zs {
			p[i] = PValue(z)
		}
		return zs, p
	}
	rising := []float64{2.6, 2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7}
	falling := []float64{3.7, 3.6, 3.5, 3.4, 3.3, 3.2, 3.1, 3.0, 2.9, 2.8, 2.7, 2.6}
	cases := []struct {
		name string
		z    []float64
		want string
	}{
		{"new", []float64{N, N, N, N, N, H}, "new-hot"},
		{"consecutive", []float64{N, N, N, H, H, H}, "consecutive-hot"},
		{"intensifying", rising, "intensifying-hot"},
		{"persistent", []float64{H, 3.1, H, 3.2, H, 3.1, H, 3.2, H, 3.1}, "persistent-hot"},
		{"diminishing", falling, "diminishing-hot"},
		{"sporadic", []float64{H, N, H, N, N, H}, "sporadic-hot"},
		{"oscillating", []float64{C, N, H, N, C, H}, "oscillating-hot"},
		{"historical", []float64{H, H, H, H, H, H, H, H, H, H, N}, "historical-hot"},
		{"new cold", []float64{N, N, N, C}, "new-cold"},
		{"consecutive cold", []float64{N, N, C, C}, "consecutive-cold"},
		{"oscillating cold", []float64{H, N, C}, "oscillating-cold"},
		{"none", []float64{N, N, N, N}, "no-pattern"},
		{"one period", []float64{H}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := EmergingClass(series(c.z...)); got != c.want {
				t.Fatalf("EmergingClass(%v) = %q, want %q", c.z, got, c.want)
			}
		})
	}
}
