package units

import "github.com/paulmach/orb"

// preparedUnit is a unit's geometry with ring bounds computed once, for a
// point-in-polygon test that does not rescan rings for their bounds.
type preparedUnit struct {
	bound orb.Bound
	polys []preparedPoly
}

type preparedPoly struct {
	bound orb.Bound // of the outer ring
	rings []orb.Ring
}

func prepare(mp orb.MultiPolygon) preparedUnit {
	u := preparedUnit{bound: mp.Bound()}
	for _, p := range mp {
		u.polys = append(u.polys, preparedPoly{bound: p[0].Bound(), rings: p})
	}
	return u
}

// contains reports whether p is inside the unit: inside some polygon's
// outer ring and none of its holes (even-odd rule, as orb/planar).
func (u *preparedUnit) contains(p orb.Point) bool {
	if !u.bound.Contains(p) {
		return false
	}
	for i := range u.polys {
		pp := &u.polys[i]
		if !pp.bound.Contains(p) || !ringContains(pp.rings[0], p) {
			continue
		}
		inHole := false
		for _, h := range pp.rings[1:] {
			if ringContains(h, p) {
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

// ringContains is the even-odd crossing test of a horizontal ray from p.
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	x, y := p[0], p[1]
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}
