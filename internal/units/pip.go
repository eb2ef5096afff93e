package units

import (
	"math"

	"github.com/paulmach/orb"
)

// preparedUnit is a unit's geometry made quick to test: ring bounds are
// computed once and each ring's edges are bucketed into horizontal bands,
// so the even-odd test of a point only looks at the edges of its band.
type preparedUnit struct {
	bound orb.Bound
	polys []preparedPoly
}

type preparedPoly struct {
	bound orb.Bound // of the outer ring
	rings []bandedRing
}

// bandedRing is a closed ring with its edges (by start index) bucketed by
// the latitude bands they span.
type bandedRing struct {
	r          orb.Ring
	minY, step float64
	bands      [][]int32
}

func prepare(mp orb.MultiPolygon) preparedUnit {
	u := preparedUnit{bound: mp.Bound()}
	for _, p := range mp {
		pp := preparedPoly{bound: p[0].Bound()}
		for _, r := range p {
			pp.rings = append(pp.rings, band(r))
		}
		u.polys = append(u.polys, pp)
	}
	return u
}

func band(r orb.Ring) bandedRing {
	b := r.Bound()
	n := min(256, max(1, len(r)/4))
	br := bandedRing{r: r, minY: b.Min[1], step: (b.Max[1] - b.Min[1]) / float64(n), bands: make([][]int32, n)}
	if br.step == 0 {
		br.step = 1
	}
	for i := 0; i+1 < len(r); i++ {
		lo, hi := br.index(math.Min(r[i][1], r[i+1][1])), br.index(math.Max(r[i][1], r[i+1][1]))
		for k := lo; k <= hi; k++ {
			br.bands[k] = append(br.bands[k], int32(i))
		}
	}
	return br
}

func (br *bandedRing) index(y float64) int {
	return max(0, min(len(br.bands)-1, int((y-br.minY)/br.step)))
}

// contains is the even-odd crossing test of a horizontal ray from p over
// the edges of p's band (the only edges that can straddle p's latitude).
func (br *bandedRing) contains(p orb.Point) bool {
	x, y := p[0], p[1]
	if y < br.minY {
		return false
	}
	in := false
	for _, i := range br.bands[br.index(y)] {
		a, b := br.r[i], br.r[i+1]
		if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// contains reports whether p is inside the unit: inside some polygon's
// outer ring and none of its holes (even-odd rule, as orb/planar).
func (u *preparedUnit) contains(p orb.Point) bool {
	if !u.bound.Contains(p) {
		return false
	}
	for i := range u.polys {
		pp := &u.polys[i]
		if !pp.bound.Contains(p) || !pp.rings[0].contains(p) {
			continue
		}
		inHole := false
		for k := 1; k < len(pp.rings); k++ {
			if pp.rings[k].contains(p) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}
