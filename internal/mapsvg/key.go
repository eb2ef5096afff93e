package mapsvg

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Key is the legend a picture for a briefing pack carries (Picture.Key):
// what it shows, how its cells are coloured, and whose data it is. The map
// page's own view has none: the page's panel is its legend.
type Key struct {
	Title       string
	Subtitle    string    // what a cell's colour measures
	Breaks      []float64 // the colour steps of the metric, ascending
	Classes     bool      // cells coloured by Gi* class, not Breaks
	Attribution string
}

// keyWidth is the legend box's least width in pixels; KeyHeight its
// height.
const (
	keyWidth  = 318
	KeyHeight = 104
)

// textWidth is about how wide a line of text is drawn, in pixels, in a
// sans-serif face (no font is at hand to measure it: SVG text is laid out
// by whatever shows the picture).
func textWidth(s string, size float64, bold bool) float64 {
	em := 0.56
	if bold {
		em = 0.62
	}
	return float64(utf8.RuneCountInString(s)) * size * em
}

// classKey names the Gi* classes in the legend, hottest first.
func classKey() ([]hotgrid.Class, []string) {
	return []hotgrid.Class{hotgrid.ClassHot99, hotgrid.ClassHot95, hotgrid.ClassHot90, hotgrid.ClassNone, hotgrid.ClassCold90, hotgrid.ClassCold95, hotgrid.ClassCold99},
		[]string{"hot 99%", "95%", "90%", "n.s.", "cold 90%", "95%", "99%"}
}

// key writes k in a white box at the bottom left of the picture and the
// attribution at the bottom right.
func (d *drawer) key(k *Key) {
	w := math.Max(keyWidth, 24+math.Max(textWidth(k.Title, 13, true), textWidth(k.Subtitle, 11, false)))
	x, y := 12.0, float64(d.v.Height-KeyHeight-12)
	fmt.Fprintf(d.w, `<g class="key" transform="translate(%.0f %.0f)"><rect width="%.0f" height="%d" rx="8" fill="#ffffff" fill-opacity="0.94" stroke="#d9dee4"/>`+"\n", x, y, w, KeyHeight)
	fmt.Fprintf(d.w, `<text x="12" y="22" font-size="13" font-weight="700" fill="#1f2933">%s</text>`+"\n", html.EscapeString(k.Title))
	fmt.Fprintf(d.w, `<text x="12" y="39" font-size="11" fill="#65717e">%s</text>`+"\n", html.EscapeString(k.Subtitle))
	if k.Classes {
		d.classSwatches()
	} else {
		d.rampSwatches(k.Breaks)
	}
	d.symbols()
	d.w.WriteString("</g>\n")
	if k.Attribution != "" {
		fmt.Fprintf(d.w, `<text x="%d" y="%d" text-anchor="end" font-size="10" fill="#39414d" stroke="#ffffff" stroke-width="3" stroke-opacity="0.85" paint-order="stroke">%s</text>`+"\n",
			d.v.Width-8, d.v.Height-8, html.EscapeString(k.Attribution))
	}
}

// rampSwatches draws the metric's colour steps with the break under each
// edge, as the page's legend does.
func (d *drawer) rampSwatches(breaks []float64) {
	ramp, _ := Palette()
	n := min(len(breaks)+1, len(ramp))
	if len(breaks) == 0 {
		n = 1
	}
	w := float64(keyWidth-24) / float64(n)
	for i := 0; i < n; i++ {
		col := ramp[i]
		if len(breaks) == 0 {
			col = ramp[2]
		}
		fmt.Fprintf(d.w, `<rect x="%.1f" y="48" width="%.1f" height="10" fill="%s"/>`, 12+float64(i)*w, w, col)
	}
	d.w.WriteString("\n")
	fmt.Fprintf(d.w, `<text x="12" y="70" font-size="10" fill="#65717e">0</text>`)
	for i, b := range breaks[:max(0, n-1)] {
		fmt.Fprintf(d.w, `<text x="%.1f" y="70" font-size="10" fill="#65717e" text-anchor="middle">%s</text>`, 12+float64(i+1)*w, shortNumber(b))
	}
	d.w.WriteString("\n")
}

// classSwatches draws the Gi* classes, hottest first.
func (d *drawer) classSwatches() {
	classes, names := classKey()
	w := float64(keyWidth-24) / float64(len(classes))
	for i, c := range classes {
		fill, _ := ClassFill(c)
		fmt.Fprintf(d.w, `<rect x="%.1f" y="48" width="%.1f" height="10" fill="%s"/><text x="%.1f" y="70" font-size="9.5" fill="#65717e" text-anchor="middle">%s</text>`,
			12+float64(i)*w, w, fill, 12+(float64(i)+0.5)*w, names[i])
	}
	d.w.WriteString("\n")
}

// symbols explains the outlines and markers drawn over the cells.
func (d *drawer) symbols() {
	fmt.Fprintf(d.w, `<g transform="translate(12 80)" font-size="10.5" fill="#1f2933">`+
		`<circle cx="8" cy="8" r="7" fill="%s" stroke="#ffffff" stroke-width="1.5"/><text x="8" y="8.5" text-anchor="middle" dominant-baseline="central" font-size="9" font-weight="700" fill="#ffffff">1</text><text x="20" y="12">Hot grid (rank)</text>`+
		`<rect x="112" y="2" width="16" height="12" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="4 2"/><text x="134" y="12">Patrol area</text>`+
		`<circle cx="212" cy="8" r="5.5" fill="%s" stroke="#ffffff" stroke-width="1.5"/><text x="222" y="12">Knife robbery</text></g>`+"\n",
		badgeFill, areaLine, knifeFill)
}

// shortNumber writes a legend break: 13,433 as 13.4k, 1.25 as 1.25.
func shortNumber(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return strconv.FormatFloat(math.Round(v/1e5)/10, 'f', -1, 64) + "M"
	case a >= 1e4:
		return strconv.FormatFloat(math.Round(v/100)/10, 'f', -1, 64) + "k"
	case a >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
