package units

import (
	"math"
	"strconv"
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

// TestMillionVertexPolygon loads a boundary of 10^6 vertices (a 24 MB file,
// an ellipse round Birmingham): it must load, without a limit error, and
// locate points inside and outside it. (Its load time, about 5 s on the
// shared machine, is not asserted.)
func TestMillionVertexPolygon(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds a 24 MB boundary file")
	}
	const n = 1000000
	var b strings.Builder
	b.Grow(26 << 20)
	b.WriteString(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"BIG"},"geometry":{"type":"Polygon","coordinates":[[`)
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i%n) / n
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`[`)
		b.WriteString(strconv.FormatFloat(-1.9+0.2*math.Cos(a), 'f', 7, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(52.5+0.12*math.Sin(a), 'f', 7, 64))
		b.WriteString(`]`)
	}
	b.WriteString(`]]}}]}`)
	s, err := Load(strings.NewReader(b.String()), "million.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.Units()[0].Geometry[0][0]); got != n+1 {
		t.Fatalf("ring has %d points, want %d", got, n+1)
	}
	for _, c := range []struct {
		lon, lat float64
		want     string
	}{{-1.9, 52.5, "BIG"}, {-1.75, 52.55, "BIG"}, {-1.65, 52.5, ""}, {-1.9, 52.65, ""}} {
		if got := s.Locate(c.lon, c.lat); got != c.want {
			t.Errorf("Locate(%g, %g) = %q, want %q", c.lon, c.lat, got, c.want)
		}
	}
}

// TestWorldPolygon loads a boundary spanning almost the whole globe (each
// edge shorter than 180 degrees, so not an antimeridian crossing): the
// index of a large extent is built at coarse resolutions, so this loads
// instead of exhausting memory.
func TestWorldPolygon(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"W"},"geometry":{"type":"Polygon","coordinates":` +
		`[[[-179,-89],[0,-89],[179,-89],[179,89],[0,89],[-179,89],[-179,-89]]]}}]}`
	s, err := Load(strings.NewReader(in), "world.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Locate(-1.9, 52.48); got != "W" {
		t.Fatalf("Birmingham located in %q", got)
	}
	if got := s.Locate(179.5, 0); got != "" {
		t.Fatalf("a point east of the boundary located in %q", got)
	}
}
