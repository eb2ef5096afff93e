package evaluate

import (
	"math"
	"sort"
)

// Flag returns the indexes of the cells to flag: cells in descending score
// order (ties broken by the lower index, so by the lower H3 index) are taken
// while their summed area stays within budget (a fraction) of total. Only
// cells with a positive score are flagged, so a method that knows of fewer
// hot cells than the budget allows flags less area; PAI uses the flagged area.
func Flag(scores, area []float64, total, budget float64) []int32 {
	return Take(Rank(scores), area, total, budget)
}

// Rank returns the indexes of the cells with a positive score, best first
// (ties broken by the lower index).
func Rank(scores []float64) []int32 {
	idx := make([]int32, 0, 64)
	for i, s := range scores {
		if s > 0 && !math.IsNaN(s) {
			idx = append(idx, int32(i))
		}
	}
	sort.Slice(idx, func(a, b int) bool {
		sa, sb := scores[idx[a]], scores[idx[b]]
		if sa != sb {
			return sa > sb
		}
		return idx[a] < idx[b]
	})
	return idx
}

// Take returns the longest prefix of ranked whose summed area is within
// budget (a fraction) of total.
func Take(ranked []int32, area []float64, total, budget float64) []int32 {
	limit := budget * total * (1 + 1e-12)
	used := 0.0
	n := 0
	for _, i := range ranked {
		if used+area[i] > limit {
			break
		}
		used += area[i]
		n++
	}
	return ranked[:n:n]
}

// Outcome is what happened in the test window: per study cell counts and
// harm, plus offences that fell outside the study area (misses that still
// count in N).
type Outcome struct {
	Count, Harm               []float64
	OutsideCount, OutsideHarm float64

	sorted [2][]float64 // positive Count and Harm values, descending (lazy)
}

// best returns the sum of the m largest values of Count (which 0) or Harm (1).
func (o *Outcome) best(which, m int) float64 {
	if o.sorted[which] == nil {
		xs := o.Count
		if which == 1 {
			xs = o.Harm
		}
		pos := make([]float64, 0, 64)
		for _, x := range xs {
			if x > 0 {
				pos = append(pos, x)
			}
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(pos)))
		o.sorted[which] = pos
	}
	pos := o.sorted[which]
	return sum(pos[:min(max(m, 0), len(pos))])
}

// Metrics scores one set of flagged cells against an outcome.
type Metrics struct {
	FlaggedCells int
	FlaggedKm2   float64
	AreaShare    float64 // a / A
	N, Hits      float64
	HitRate      float64 // n / N
	PAI          float64 // (n / N) / (a / A)
	BestHits     float64 // n*: the most any set of as many cells could have caught
	PEIStar      float64 // n / n*
	Harm         float64
	HarmHits     float64
	HarmHitRate  float64
	HarmPAI      float64
	BestHarm     float64
	HarmPEIStar  float64
}

// Score computes hit rate, PAI and PEI* and their harm-weighted versions.
// area[i] is cell i's true H3 area: study cells are the study area's
// polyfill, so a cell's area inside the study area is its whole H3 area.
//
// n* (and its harm twin) is the sum of the m largest cell values, where m is
// the number of flagged cells: the best any set of the same NUMBER of cells
// could do. Cells of one resolution in one force differ in area by well under
// 1%, so this stands in for "the same total area" (exactly equal when areas
// are equal).
func Score(flagged []int32, area []float64, total float64, out *Outcome) Metrics {
	var m Metrics
	m.FlaggedCells = len(flagged)
	for _, i := range flagged {
		m.FlaggedKm2 += area[i]
		m.Hits += out.Count[i]
		m.HarmHits += out.Harm[i]
	}
	m.AreaShare = m.FlaggedKm2 / total
	m.N = sum(out.Count) + out.OutsideCount
	m.Harm = sum(out.Harm) + out.OutsideHarm
	m.BestHits = out.best(0, len(flagged))
	m.BestHarm = out.best(1, len(flagged))
	m.HitRate = ratio(m.Hits, m.N)
	m.HarmHitRate = ratio(m.HarmHits, m.Harm)
	m.PAI = ratio(m.HitRate, m.AreaShare)
	m.HarmPAI = ratio(m.HarmHitRate, m.AreaShare)
	m.PEIStar = ratio(m.Hits, m.BestHits)
	m.HarmPEIStar = ratio(m.HarmHits, m.BestHarm)
	return m
}

// ratio returns a/b, NaN when b is zero (the metric is undefined).
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// Median returns the median of the finite values, NaN when there are none.
func Median(xs []float64) float64 {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
