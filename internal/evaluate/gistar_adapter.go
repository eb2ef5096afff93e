package evaluate

// TEMPORARY adapter: internal/score's GiStar and BenjaminiHochberg are being
// written by the engine helper (CONTRACTS.md). These copies follow the
// reference formulas and are replaced by the score package's functions as
// soon as they land.

import (
	"math"
	"sort"
)

func giStar(x []float64, nb [][]int32) []float64 {
	n := float64(len(x))
	var s1, s2 float64
	for _, v := range x {
		s1 += v
		s2 += v * v
	}
	xbar := s1 / n
	s := math.Sqrt(s2/n - xbar*xbar)
	z := make([]float64, len(x))
	for i := range x {
		w := float64(len(nb[i]) + 1)
		sum := x[i]
		for _, j := range nb[i] {
			sum += x[j]
		}
		den := s * math.Sqrt((n*w-w*w)/(n-1))
		if den == 0 {
			continue
		}
		z[i] = (sum - xbar*w) / den
	}
	return z
}

func benjaminiHochberg(p []float64) []float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	q := make([]float64, len(p))
	m := float64(len(p))
	min := 1.0
	for r := len(idx) - 1; r >= 0; r-- {
		v := p[idx[r]] * m / float64(r+1)
		if v < min {
			min = v
		}
		q[idx[r]] = min
	}
	return q
}
