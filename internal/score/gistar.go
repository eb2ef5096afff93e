package score

import (
	"math"
	"slices"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// GiStar returns the Getis-Ord Gi* z-score of every value, with binary
// weights: nb[i] lists the indexes of i's neighbours excluding i, and i
// itself is included with weight 1. n is len(x), so x must hold every cell
// of the study area, zeros included. When the values do not vary, or a
// cell's neighbourhood is the whole area, its z is 0.
func GiStar(x []float64, nb [][]int32) []float64 {
	g := csrFromLists(nb)
	z := make([]float64, len(x))
	g.giStar(x, z)
	return z
}

// csr is a neighbour graph in compressed sparse row form: the neighbours of
// i (self excluded) are nb[off[i]:off[i+1]].
type csr struct {
	off []int32
	nb  []int32
}

func csrFromLists(nb [][]int32) csr {
	g := csr{off: make([]int32, 0, len(nb)+1)}
	g.off = append(g.off, 0)
	for _, l := range nb {
		g.nb = append(g.nb, l...)
		g.off = append(g.off, int32(len(g.nb)))
	}
	return g
}

// giStar writes the Gi* z of each x into z.
func (g csr) giStar(x, z []float64) {
	n := len(x)
	nf := float64(n)
	var sum float64
	for _, v := range x {
		sum += v
	}
	xbar := sum / nf
	var ss float64
	for _, v := range x {
		d := v - xbar
		ss += d * d
	}
	s := math.Sqrt(ss / nf)
	for i := range x {
		lo, hi := g.off[i], g.off[i+1]
		lag := x[i]
		for _, j := range g.nb[lo:hi] {
			lag += x[j]
		}
		w := float64(hi-lo) + 1
		den := s * math.Sqrt((nf*w-w*w)/(nf-1))
		if n < 2 || den == 0 || math.IsNaN(den) {
			z[i] = 0
			continue
		}
		z[i] = (lag - xbar*w) / den
	}
}

// PValue returns the two-sided normal p-value of z.
func PValue(z float64) float64 { return math.Erfc(math.Abs(z) / math.Sqrt2) }

// BenjaminiHochberg returns the Benjamini-Hochberg adjusted q-value of
// each p-value (the step-up false discovery rate correction, as R's
// p.adjust(method = "BH")). NaN p-values count as 1.
func BenjaminiHochberg(p []float64) []float64 {
	q := make([]float64, len(p))
	benjaminiHochberg(p, q)
	return q
}

// benjaminiHochberg writes the q-values of p into q.
func benjaminiHochberg(p, q []float64) {
	type pi struct {
		p float64
		i int32
	}
	n := len(p)
	s := make([]pi, n)
	for i, v := range p {
		if math.IsNaN(v) {
			v = 1
		}
		s[i] = pi{v, int32(i)}
	}
	// ties may come in any order: tied p-values get the same q
	slices.SortFunc(s, func(a, b pi) int { return cmpFloat(a.p, b.p) })
	prev := 1.0
	for r := n - 1; r >= 0; r-- {
		v := s[r].p * float64(n) / float64(r+1)
		if v < prev {
			prev = v
		}
		q[s[r].i] = prev
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Classify returns a cell's significance class from its z and its
// FDR-adjusted q: hot or cold at 99, 95 or 90% confidence.
func Classify(z, q float64) hotgrid.Class {
	switch {
	case q < 0.01 && z > 0:
		return hotgrid.ClassHot99
	case q < 0.05 && z > 0:
		return hotgrid.ClassHot95
	case q < 0.10 && z > 0:
		return hotgrid.ClassHot90
	case q < 0.01 && z < 0:
		return hotgrid.ClassCold99
	case q < 0.05 && z < 0:
		return hotgrid.ClassCold95
	case q < 0.10 && z < 0:
		return hotgrid.ClassCold90
	}
	return hotgrid.ClassNone
}
