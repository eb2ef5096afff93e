package units

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// checkGeometry checks what Load needs of a unit geometry: at least one
// polygon, closed rings of four or more points, finite WGS84 coordinates.
func checkGeometry(mp orb.MultiPolygon) error {
	if len(mp) == 0 {
		return fmt.Errorf("empty geometry")
	}
	for i, p := range mp {
		if len(p) == 0 {
			return fmt.Errorf("polygon %d has no rings", i)
		}
		for j, r := range p {
			if err := checkRing(r); err != nil {
				return fmt.Errorf("polygon %d ring %d: %w", i, j, err)
			}
		}
	}
	return nil
}

func checkRing(r orb.Ring) error {
	if len(r) < 4 {
		return fmt.Errorf("ring has %d points, need at least 4", len(r))
	}
	if r[0] != r[len(r)-1] {
		return fmt.Errorf("ring is not closed: first point %v, last %v", r[0], r[len(r)-1])
	}
	for k, p := range r {
		lon, lat := p[0], p[1]
		switch {
		case math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0):
			return fmt.Errorf("point %d is not a finite number", k)
		case lat < -90 || lat > 90:
			return fmt.Errorf("point %d latitude %g out of range -90..90", k, lat)
		case lon < -180 || lon > 180:
			return fmt.Errorf("point %d longitude %g out of range -180..180", k, lon)
		case k > 0 && math.Abs(lon-r[k-1][0]) > 180:
			return fmt.Errorf("point %d: edge crosses the antimeridian (longitude %g to %g); split the polygon at ±180 as RFC 7946 section 3.1.9 requires", k, r[k-1][0], lon)
		}
	}
	return nil
}

// windRFC7946 winds every polygon of mp as RFC 7946 asks: outer rings
// counter-clockwise, holes clockwise. Files wound the other way (the
// older GeoJSON convention) are accepted and normalised.
func windRFC7946(mp orb.MultiPolygon) {
	for _, p := range mp {
		for i, r := range p {
			if (i == 0) == (r.Orientation() == orb.CW) {
				r.Reverse()
			}
		}
	}
}

// Valid reports an error when mp is not a valid OGC multipolygon in the
// sense hotgrid relies on: closed rings, no ring crossing itself or another
// ring of the same polygon (touching at a vertex is allowed), outers
// counter-clockwise, holes clockwise and inside their outer. It is
// quadratic in a polygon's vertices and meant for derived files and tests.
func Valid(mp orb.MultiPolygon) error {
	if err := checkGeometry(mp); err != nil {
		return err
	}
	for i, p := range mp {
		if err := validPolygon(p); err != nil {
			return fmt.Errorf("polygon %d: %w", i, err)
		}
	}
	return nil
}

func validPolygon(p orb.Polygon) error {
	if p[0].Orientation() != orb.CCW {
		return fmt.Errorf("outer ring is not counter-clockwise")
	}
	for j, h := range p[1:] {
		if h.Orientation() != orb.CW {
			return fmt.Errorf("hole %d is not clockwise", j+1)
		}
		if !planar.RingContains(p[0], interiorProbe(h)) {
			return fmt.Errorf("hole %d is outside the outer ring", j+1)
		}
	}
	var segs [][2]orb.Point
	for _, r := range p {
		for k := 0; k+1 < len(r); k++ {
			segs = append(segs, [2]orb.Point{r[k], r[k+1]})
		}
	}
	for a := range segs {
		for b := a + 1; b < len(segs); b++ {
			if properCross(segs[a], segs[b]) {
				return fmt.Errorf("edges cross near %v", segs[a][0])
			}
		}
	}
	return nil
}

// properCross reports whether two segments cross or overlap other than by
// sharing an endpoint.
func properCross(s, t [2]orb.Point) bool {
	d1 := cross(t[0], t[1], s[0])
	d2 := cross(t[0], t[1], s[1])
	d3 := cross(s[0], s[1], t[0])
	d4 := cross(s[0], s[1], t[1])
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	// collinear overlap of more than a point
	if d1 == 0 && d2 == 0 {
		return overlapLen(s, t) > 0
	}
	return false
}

func cross(o, a, b orb.Point) float64 {
	return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
}

func overlapLen(s, t [2]orb.Point) float64 {
	ax := 0
	if math.Abs(s[1][0]-s[0][0]) < math.Abs(s[1][1]-s[0][1]) {
		ax = 1
	}
	lo1, hi1 := math.Min(s[0][ax], s[1][ax]), math.Max(s[0][ax], s[1][ax])
	lo2, hi2 := math.Min(t[0][ax], t[1][ax]), math.Max(t[0][ax], t[1][ax])
	return math.Min(hi1, hi2) - math.Max(lo1, lo2)
}
