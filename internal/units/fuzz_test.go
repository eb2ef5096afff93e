package units

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// FuzzLoad fuzzes the GeoJSON unit boundary reader. Properties on every
// input: no panic; an error names the file; an accepted set has unique
// non-empty codes and only finite, in-range, closed rings of four or more
// points; and the indexed Locate agrees with the exact point-in-polygon
// test at every vertex, every edge midpoint and the centre of each unit's
// bound. Seeds are in testdata/fuzz/FuzzLoad and below.
func FuzzLoad(f *testing.F) {
	feat := func(geom string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A","name":"Alpha"},"geometry":` + geom + `}]}`
	}
	for _, s := range []string{
		feat(`{"type":"Polygon","coordinates":` + square + `}`),
		feat(`{"type":"Polygon","coordinates":[[[-1,52],[-1,52.1],[-0.9,52.1],[-0.9,52],[-1,52]]]}`), // clockwise
		feat(`{"type":"MultiPolygon","coordinates":[` + square + `,[[[-0.8,52],[-0.7,52],[-0.7,52.1],[-0.8,52]]]]}`),
		feat(`{"type":"Polygon","coordinates":[[[-1,52],[-0.9,52],[-0.9,52.1],[-1,52.1],[-1,52]],[[-0.97,52.02],[-0.97,52.05],[-0.93,52.05],[-0.97,52.02]]]}`),
		feat(`{"type":"Polygon","coordinates":[[[-1,52],[-0.9,52.1],[-0.9,52],[-1,52.1],[-1,52]]]}`), // bow tie
		feat(`{"type":"Polygon","coordinates":[[[-1,52],[-0.9,91],[-0.9,52.1],[-1,52]]]}`),
		feat(`{"type":"Polygon","coordinates":[[[179.9,0],[-179.9,0],[-179.9,0.1],[179.9,0.1],[179.9,0]]]}`),
		feat(`{"type":"Point","coordinates":[-1,52]}`),
		feat(`{"type":"Polygon","coordinates":[[[-1,52],[-0.9,52],[-0.9,52.1],[-1,52.1],[-1,52]]]}` + `,{"type":"Feature","properties":{"code":"A"},"geometry":null}`),
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":7},"geometry":null}]}`,
		`{"type":"FeatureCollection","features":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[1e309,52]]]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if tooWide(b) {
			t.Skip("extent over 2 degrees: index build time grows with area (see TestBadGeoJSON)")
		}
		s, err := Load(bytes.NewReader(b), "fuzz.geojson")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.geojson") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, u := range s.Units() {
			if u.Code == "" || seen[u.Code] {
				t.Fatalf("empty or repeated code %q", u.Code)
			}
			seen[u.Code] = true
			if err := checkGeometry(u.Geometry); err != nil {
				t.Fatalf("unit %s accepted with a bad geometry: %v", u.Code, err)
			}
			for _, p := range probePoints(u.Geometry) {
				if got, want := s.Locate(p[0], p[1]), s.LocateExact(p[0], p[1]); got != want {
					t.Fatalf("Locate(%v) = %q, exact test says %q", p, got, want)
				}
			}
		}
	})
}

// tooWide reports whether a fuzz input's geometries span more than two
// degrees. Load accepts any valid extent, but its index build time grows
// with the area covered, which is not what this target explores (the
// bad-input table covers large and world-wide extents).
func tooWide(b []byte) bool {
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return false
	}
	for _, f := range fc.Features {
		if f == nil || f.Geometry == nil {
			continue
		}
		bd := f.Geometry.Bound()
		if bd.Max[0]-bd.Min[0] > 2 || bd.Max[1]-bd.Min[1] > 2 || math.IsNaN(bd.Max[0]-bd.Min[0]) || math.IsNaN(bd.Max[1]-bd.Min[1]) {
			return true
		}
	}
	return false
}

// probePoints are points just off each vertex and edge midpoint of mp (in
// four directions) and its bound centre, leaving out any within 1e-9
// degrees of an edge: on a boundary the exact test and the even-odd index
// may differ, and neither answer is wrong.
func probePoints(mp orb.MultiPolygon) []orb.Point {
	var out []orb.Point
	add := func(p orb.Point) {
		for _, d := range [][2]float64{{1.3e-6, 0.7e-6}, {-0.9e-6, 1.1e-6}, {-1.2e-6, -0.8e-6}, {0.6e-6, -1.4e-6}} {
			q := orb.Point{p[0] + d[0], p[1] + d[1]}
			if !nearEdge(mp, q) {
				out = append(out, q)
			}
		}
	}
	for _, p := range mp {
		for _, r := range p {
			for k := 0; k+1 < len(r) && k < 200; k++ {
				add(r[k])
				add(orb.Point{(r[k][0] + r[k+1][0]) / 2, (r[k][1] + r[k+1][1]) / 2})
			}
		}
	}
	if c := mp.Bound().Center(); !nearEdge(mp, c) {
		out = append(out, c)
	}
	return out
}

// nearEdge reports whether q is within 1e-9 degrees of an edge of mp.
func nearEdge(mp orb.MultiPolygon, q orb.Point) bool {
	for _, p := range mp {
		for _, r := range p {
			for k := 0; k+1 < len(r); k++ {
				if segDist(r[k], r[k+1], q) < 1e-9 {
					return true
				}
			}
		}
	}
	return false
}

// segDist is the planar distance from q to the segment a-b.
func segDist(a, b, q orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((q[0]-a[0])*dx+(q[1]-a[1])*dy)/l))
	}
	return math.Hypot(q[0]-a[0]-t*dx, q[1]-a[1]-t*dy)
}
