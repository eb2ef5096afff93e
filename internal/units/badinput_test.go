package units

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestBadGeoJSON is the hostile-input table for unit boundary files: every
// bad file is refused with an error naming the file and the problem; none
// panics, is silently accepted or is accepted wrongly.
func TestBadGeoJSON(t *testing.T) {
	fc := func(geom string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":` + geom + `}]}`
	}
	poly := func(coords string) string { return fc(`{"type":"Polygon","coordinates":` + coords + `}`) }
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	cases := []struct{ name, in, want string }{
		{"NaN literal", poly(`[[[NaN,52],[-0.9,52],[-0.9,52.1],[NaN,52]]]`), "not a GeoJSON FeatureCollection"},
		{"NaN string", poly(`[[["NaN",52],[-0.9,52],[-0.9,52.1],["NaN",52]]]`), "not a GeoJSON FeatureCollection"},
		{"1e309", poly(`[[[1e309,52],[-0.9,52],[-0.9,52.1],[1e309,52]]]`), "not a GeoJSON FeatureCollection"},
		{"latitude 91", poly(`[[[-1,52],[-0.9,91],[-0.9,52.1],[-1,52]]]`), "latitude 91 out of range"},
		{"longitude 181", poly(`[[[-1,52],[181,52],[-0.9,52.1],[-1,52]]]`), "longitude 181 out of range"},
		{"deep nesting", poly(deep), "not a GeoJSON FeatureCollection"},
		{"deep nesting of features", `{"type":"FeatureCollection","features":` + deep + `}`, "not a GeoJSON FeatureCollection"},
		{"no geometry", fc(`null`), "unit A"},
		{"empty polygon", poly(`[]`), "unit A"},
		{"empty ring", poly(`[[]]`), "ring has 0 points"},
		{"line", fc(`{"type":"LineString","coordinates":[[-1,52],[-0.9,52]]}`), "unit A"},
		{"collection", fc(`{"type":"GeometryCollection","geometries":[]}`), "unit A"},
		{"not a collection", `{"type":"Feature","properties":{"code":"A"},"geometry":null}`, "bad.geojson"},
		{"code a number", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":7},"geometry":{"type":"Polygon","coordinates":` + square + `}}]}`, "property code"},
		{"empty input", ``, "not a GeoJSON FeatureCollection"},
		{"antimeridian", poly(`[[[179,0],[-179,0],[-179,1],[179,1],[179,0]]]`), "crosses the antimeridian"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Load(strings.NewReader(c.in), "bad.geojson")
			if err == nil {
				t.Fatalf("accepted: %d units", len(s.Units()))
			}
			if !strings.Contains(err.Error(), "bad.geojson") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to name bad.geojson and say %q", err, c.want)
			}
		})
	}
}

// TestClockwiseRingsNormalised loads a clockwise outer ring with a
// counter-clockwise hole and expects RFC 7946 winding back, located right.
func TestClockwiseRingsNormalised(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[` +
		`[[-1.0,52.0],[-1.0,52.2],[-0.8,52.2],[-0.8,52.0],[-1.0,52.0]],` +
		`[[-0.95,52.05],[-0.85,52.05],[-0.85,52.15],[-0.95,52.15],[-0.95,52.05]]]}}]}`
	s, err := Load(strings.NewReader(in), "cw.geojson")
	if err != nil {
		t.Fatal(err)
	}
	p := s.Units()[0].Geometry[0]
	if p[0].Orientation() != orb.CCW || p[1].Orientation() != orb.CW {
		t.Fatalf("orientations outer %v hole %v, want CCW and CW", p[0].Orientation(), p[1].Orientation())
	}
	if got := s.Locate(-0.98, 52.01); got != "A" {
		t.Errorf("point in the ring located in %q", got)
	}
	if got := s.Locate(-0.9, 52.1); got != "" {
		t.Errorf("point in the hole located in %q", got)
	}
}
