package units

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

type edge struct{ a, b orb.Point }

// Dissolve merges polygons that share edges vertex for vertex (as polygons
// cut from one TopoJSON do) into a multipolygon. It is an edge-cancellation
// dissolve: every ring is oriented (outers counter-clockwise, holes
// clockwise), an edge met in both directions is interior and dropped, the
// remaining edges are re-linked into rings, and each clockwise ring becomes a
// hole of the smallest outer ring that holds it.
func Dissolve(polys []orb.Polygon) (orb.MultiPolygon, error) {
	edges := boundaryEdges(polys)
	rings, err := linkRings(edges)
	if err != nil {
		return nil, err
	}
	return assembleRings(rings)
}

// boundaryEdges returns the directed edges not cancelled by a reverse twin,
// in a deterministic order.
func boundaryEdges(polys []orb.Polygon) []edge {
	count := make(map[edge]int)
	var order []edge
	for _, p := range polys {
		for i, r := range p {
			r = orient(cleanRing(r), i == 0)
			for j := 0; j+1 < len(r); j++ {
				e := edge{r[j], r[j+1]}
				if rev := (edge{e.b, e.a}); count[rev] > 0 {
					count[rev]--
					continue
				}
				if count[e] == 0 {
					order = append(order, e)
				}
				count[e]++
			}
		}
	}
	var out []edge
	for _, e := range order {
		for ; count[e] > 0; count[e]-- {
			out = append(out, e)
		}
	}
	return out
}

// linkRings follows edges end to start until each chain closes.
func linkRings(edges []edge) ([]orb.Ring, error) {
	next := make(map[orb.Point][]int)
	for i, e := range edges {
		next[e.a] = append(next[e.a], i)
	}
	used := make([]bool, len(edges))
	var rings []orb.Ring
	for i := range edges {
		if used[i] {
			continue
		}
		ring, err := traceRing(edges, next, used, i)
		if err != nil {
			return nil, err
		}
		rings = append(rings, ring)
	}
	return rings, nil
}

func traceRing(edges []edge, next map[orb.Point][]int, used []bool, i int) (orb.Ring, error) {
	start := edges[i].a
	ring := orb.Ring{start}
	for {
		used[i] = true
		p := edges[i].b
		ring = append(ring, p)
		if p == start {
			return ring, nil
		}
		i = -1
		for _, j := range next[p] {
			if !used[j] {
				i = j
				break
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("dissolve: open chain at %v: polygons do not share vertices exactly", p)
		}
	}
}

// assembleRings turns oriented rings into polygons: counter-clockwise rings
// are outers, clockwise rings holes of the smallest outer that holds them.
func assembleRings(rings []orb.Ring) (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	var holes []orb.Ring
	for _, r := range rings {
		if len(r) < 4 {
			continue
		}
		if r.Orientation() == orb.CCW {
			mp = append(mp, orb.Polygon{r})
		} else {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		best, bestArea := -1, 0.0
		for k, p := range mp {
			a := planar.Area(p[0])
			if planar.RingContains(p[0], interiorProbe(h)) && (best < 0 || a < bestArea) {
				best, bestArea = k, a
			}
		}
		if best < 0 {
			return nil, fmt.Errorf("dissolve: hole at %v lies in no outer ring", h[0])
		}
		mp[best] = append(mp[best], h)
	}
	return mp, nil
}

// interiorProbe is a point just off the hole's first edge midpoint; vertices
// themselves may lie on the outer ring where rings touch.
func interiorProbe(h orb.Ring) orb.Point {
	a, b := h[0], h[1]
	return orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
}

// cleanRing drops consecutive duplicate points and closes the ring.
func cleanRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, 0, len(r)+1)
	for _, p := range r {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

// orient returns r counter-clockwise when outer, clockwise otherwise.
func orient(r orb.Ring, outer bool) orb.Ring {
	want := orb.CW
	if outer {
		want = orb.CCW
	}
	if r.Orientation() != want {
		r = r.Clone()
		r.Reverse()
	}
	return r
}

// despike removes vertices where a closed ring turns back on itself along
// a line (a spike of zero width, common in quantised TopoJSON), until none
// are left.
func despike(r orb.Ring) orb.Ring {
	pts := append([]orb.Point(nil), r[:len(r)-1]...)
	for changed := true; changed && len(pts) >= 3; {
		changed = false
		for i := 0; i < len(pts) && len(pts) >= 3; i++ {
			p, b, n := pts[(i+len(pts)-1)%len(pts)], pts[i], pts[(i+1)%len(pts)]
			if b == n || (cross(p, b, n) == 0 && dot(b, p, n) < 0) {
				pts = append(pts[:i], pts[i+1:]...)
				changed = true
				i--
			}
		}
	}
	if len(pts) < 3 {
		return nil
	}
	return append(orb.Ring(pts), pts[0])
}

// dot is (b-p)·(n-b): negative when the path p-b-n reverses direction.
func dot(b, p, n orb.Point) float64 {
	return (b[0]-p[0])*(n[0]-b[0]) + (b[1]-p[1])*(n[1]-b[1])
}
