package mapsvg

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

func TestMetricFill(t *testing.T) {
	breaks := []float64{10, 20, 30, 40, 50}
	for _, tc := range []struct {
		v       float64
		breaks  []float64
		fill    string
		opacity float64
	}{
		{0, breaks, "#fff3bf", 0.25},
		{5, breaks, "#fff3bf", 0.82},
		{10, breaks, "#fed976", 0.82}, // a break starts its step, as MapLibre's "step"
		{29.9, breaks, "#feb24c", 0.82},
		{50, breaks, "#b10026", 0.82},
		{1e9, breaks, "#b10026", 0.82},
		{7, nil, "#feb24c", 0.82}, // no breaks: the middle of the ramp
		{1e9, []float64{1, 2, 3, 4, 5, 6, 7}, "#b10026", 0.82},
	} {
		f, o := MetricFill(tc.v, tc.breaks)
		if f != tc.fill || o != tc.opacity {
			t.Errorf("MetricFill(%v, %v) = %s, %v; want %s, %v", tc.v, tc.breaks, f, o, tc.fill, tc.opacity)
		}
	}
}

func TestClassFill(t *testing.T) {
	for _, tc := range []struct {
		c       hotgrid.Class
		fill    string
		opacity float64
	}{
		{hotgrid.ClassHot99, "#a50f15", 0.85},
		{hotgrid.ClassCold99, "#2c6fb0", 0.85},
		{hotgrid.ClassNone, "#e9e9ec", 0.45},
		{"", "#e9e9ec", 0.85},
	} {
		if f, o := ClassFill(tc.c); f != tc.fill || o != tc.opacity {
			t.Errorf("ClassFill(%q) = %s, %v; want %s, %v", tc.c, f, o, tc.fill, tc.opacity)
		}
	}
}

// TestPaletteMatchesPage holds the picture to the map page's colours: the
// page draws over the picture, so a colour changed in one place only would
// show as a flash.
func TestPaletteMatchesPage(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "web", "src", "main.js"))
	if err != nil {
		t.Fatalf("the map page's script: %v", err)
	}
	js := string(src)
	ramp, classes := Palette()
	m := regexp.MustCompile(`const RAMP = \[([^\]]*)\]`).FindStringSubmatch(js)
	if m == nil {
		t.Fatal("main.js has no RAMP")
	}
	if got := strings.Join(regexp.MustCompile(`#[0-9a-f]{6}`).FindAllString(m[1], -1), ","); got != strings.Join(ramp, ",") {
		t.Errorf("main.js RAMP %s; the picture's %v", got, ramp)
	}
	for c, col := range classes {
		if !strings.Contains(js, "['"+string(c)+"', '"+col+"'") {
			t.Errorf("main.js CLASSES lacks ['%s', '%s'", c, col)
		}
	}
	for _, want := range []string{
		"'background-color': '" + background + "'", "'fill-color': '" + unitFill + "'", "'line-color': '" + unitLine + "'",
		"'line-color': '" + gridLine + "'", "'line-color': '" + areaLine + "'", "'circle-color': '" + knifeFill + "'",
		"m.push('" + noClassColor + "')", "'circle-radius': 7", "'circle-radius': 11",
		"['zoom'], 9, 1, 14, 2.5]", "['zoom'], 10, 1.2, 15, 2.5]", "['zoom'], 10, 2, 15, 4]", "'line-dasharray': [2, 1]",
		"'not-significant', 0.45, 0.85]", "0.25, 0.82]",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("main.js no longer has %s: update the picture to match", want)
		}
	}
}

func TestByZoom(t *testing.T) {
	for _, tc := range []struct{ zoom, want float64 }{{5, 1}, {10, 1}, {12.5, 1.75}, {15, 2.5}, {20, 2.5}} {
		if got := byZoom(tc.zoom, 10, 1, 15, 2.5); got != tc.want {
			t.Errorf("byZoom(%v) = %v; want %v", tc.zoom, got, tc.want)
		}
	}
}
