package mapsvg

import (
	"math"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// The map page's colours (web/src/main.js: RAMP, CLASSES and the paint of
// its layers). TestPaletteMatchesPage holds the two to the same values.
const (
	background   = "#eef0f2"
	unitFill     = "#ffffff"
	unitLine     = "#39414d"
	gridLine     = "#111827"
	areaLine     = "#1d2b53"
	knifeFill    = "#7a0177"
	badgeFill    = "#111827"
	noClassColor = "#e9e9ec"
)

// Palette returns the map page's colour ramp of a metric, lowest first,
// and the colour of each Gi* class.
func Palette() (ramp []string, classes map[hotgrid.Class]string) {
	ramp = []string{"#fff3bf", "#fed976", "#feb24c", "#fd8d3c", "#e8482a", "#b10026"}
	classes = map[hotgrid.Class]string{
		hotgrid.ClassHot99: "#a50f15", hotgrid.ClassHot95: "#e3452f", hotgrid.ClassHot90: "#fc9272", hotgrid.ClassNone: noClassColor,
		hotgrid.ClassCold90: "#b7d3ea", hotgrid.ClassCold95: "#6baed6", hotgrid.ClassCold99: "#2c6fb0",
	}
	return ramp, classes
}

// MetricFill is the colour and opacity of a cell whose metric is v, with
// the legend's breaks (ascending): the lowest ramp colour below the first
// break, one step up the ramp at each break passed, the middle of the ramp
// when there are no breaks; cells of no value are faint.
func MetricFill(v float64, breaks []float64) (fill string, opacity float64) {
	ramp, _ := Palette()
	opacity = 0.82
	if v <= 0 || math.IsNaN(v) {
		opacity = 0.25
	}
	if len(breaks) == 0 {
		return ramp[2], opacity
	}
	i := 0
	for _, b := range breaks {
		if v >= b {
			i++
		}
	}
	return ramp[min(i, len(ramp)-1)], opacity
}

// ClassFill is the colour and opacity of a cell of Gi* class c (grey for
// a class the palette does not know, as on the page).
func ClassFill(c hotgrid.Class) (fill string, opacity float64) {
	_, classes := Palette()
	fill, ok := classes[c]
	if !ok {
		fill = noClassColor
	}
	if c == hotgrid.ClassNone {
		return fill, 0.45
	}
	return fill, 0.85
}

// byZoom is MapLibre's ["interpolate", ["linear"], ["zoom"], z0, a, z1, b]:
// a up to zoom z0, b from z1, linear between.
func byZoom(zoom, z0, a, z1, b float64) float64 {
	t := math.Max(0, math.Min(1, (zoom-z0)/(z1-z0)))
	return a + t*(b-a)
}
