package mapsvg

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// The want values are MapLibre GL JS 5's own: map.cameraForBounds(bounds,
// {padding, maxZoom: 18}) and map.project on a 1020 × 860 map in headless
// Chromium (the map page at a 1360 × 860 window).
func TestFitMatchesMapLibre(t *testing.T) {
	for _, tc := range []struct {
		name           string
		b              orb.Bound
		pad            Padding
		zoom, lon, lat float64
	}{
		{"the force", orb.Bound{Min: orb.Point{-2.2, 52.35}, Max: orb.Point{-1.4, 52.65}}, Padding{40, 40, 40, 40}, 9.69029813778207, -1.8, 52.500255889179016},
		{"uneven padding", orb.Bound{Min: orb.Point{-1.95, 52.45}, Max: orb.Point{-1.85, 52.5}}, Padding{Top: 10, Right: 20, Bottom: 30, Left: 100}, 12.627562382434151, -1.9044444444444366, 52.474330310327616},
		{"a point: max zoom", orb.Bound{Min: orb.Point{-1.9, 52.48}, Max: orb.Point{-1.8999, 52.4801}}, Padding{40, 40, 40, 40}, 18, -1.89995, 52.48005000002837},
	} {
		v := Fit(tc.b, 1020, 860, tc.pad, 7, 18)
		if math.Abs(v.Zoom-tc.zoom) > 1e-6 || math.Abs(v.Lon-tc.lon) > 1e-7 || math.Abs(v.Lat-tc.lat) > 1e-7 {
			t.Errorf("%s: Fit = %v; MapLibre: %v/%v/%v", tc.name, v, tc.zoom, tc.lat, tc.lon)
		}
	}
}

func TestProjectMatchesMapLibre(t *testing.T) {
	v := View{Lon: -1.8, Lat: 52.5, Zoom: 10.3, Width: 1020, Height: 860}
	x, y := v.Project(-1.9, 52.45)
	if math.Abs(x-330.70159939342693) > 1e-6 || math.Abs(y-577.1812568141509) > 1e-6 {
		t.Errorf("Project = %v, %v; MapLibre 330.7016, 577.1813", x, y)
	}
	if cx, cy := v.Project(v.Lon, v.Lat); math.Abs(cx-510) > 1e-9 || math.Abs(cy-430) > 1e-9 {
		t.Errorf("the centre is drawn at %v, %v; want the middle of the map", cx, cy)
	}
}

func TestBoundIsWhatTheMapShows(t *testing.T) {
	v := View{Lon: -1.8, Lat: 52.5, Zoom: 10.3, Width: 1020, Height: 860}
	b := v.Bound()
	for _, c := range []struct {
		p    orb.Point
		x, y float64
	}{{orb.Point{b.Min[0], b.Max[1]}, 0, 0}, {orb.Point{b.Max[0], b.Min[1]}, 1020, 860}} {
		if x, y := v.Project(c.p[0], c.p[1]); math.Abs(x-c.x) > 1e-6 || math.Abs(y-c.y) > 1e-6 {
			t.Errorf("corner %v is drawn at %v, %v; want %v, %v", c.p, x, y, c.x, c.y)
		}
	}
}

func TestParseCamera(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want View
	}{
		{"9.5/52.48/-1.89", true, View{Zoom: 9.5, Lat: 52.48, Lon: -1.89}},
		{"0/0/0", true, View{}},
		{"9.5/52.48", false, View{}},
		{"9.5/52.48/-1.89/3", false, View{}},
		{"x/52.48/-1.89", false, View{}},
		{"23/52.48/-1.89", false, View{}},
		{"9/86/-1.89", false, View{}},
		{"9/52/181", false, View{}},
		{"NaN/52/1", false, View{}},
		{"", false, View{}},
	} {
		var v View
		err := ParseCamera("map", tc.in, &v)
		if (err == nil) != tc.ok || (tc.ok && v != tc.want) {
			t.Errorf("ParseCamera(%q) = %v, %v; want ok=%v %v", tc.in, v, err, tc.ok, tc.want)
		}
		if err != nil && !containsAll(err.Error(), "map", tc.in) {
			t.Errorf("ParseCamera(%q): error %q does not name the field and value", tc.in, err)
		}
	}
}

func TestViewStringRoundTrip(t *testing.T) {
	v := View{Lon: -1.815608, Lat: 52.505463, Zoom: 9.7212, Width: 10, Height: 10}
	var got View
	if err := ParseCamera("map", v.String(), &got); err != nil {
		t.Fatal(err)
	}
	got.Width, got.Height = 10, 10
	if got != v {
		t.Errorf("%q parsed to %v; want %v", v.String(), got, v)
	}
}

func TestRounded(t *testing.T) {
	v := View{Lon: -1.81560849, Lat: 52.50546351, Zoom: 9.721249, Width: 10, Height: 20}
	r := v.Rounded()
	var back View
	if err := ParseCamera("map", v.String(), &back); err != nil {
		t.Fatal(err)
	}
	back.Width, back.Height = 10, 20
	if r != back {
		t.Errorf("Rounded %+v; the view String names %+v", r, back)
	}
}
