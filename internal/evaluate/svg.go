package evaluate

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Series is one line of a chart.
type Series struct {
	Name   string
	Bold   bool
	X, Y   []float64 // NaN Y values are gaps
	Colour string
}

// palette holds distinguishable colours for up to ten methods.
var palette = [...]string{"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#d62728"}

// LineChart draws series as an inline SVG line chart with x as a
// percentage of area and y formatted by yPct (percent) or as a number.
func LineChart(title, yLabel string, yPct bool, series []Series) template.HTML {
	const w, h, left, right, top, bottom = 460.0, 260.0, 52.0, 120.0, 28.0, 40.0
	pw, ph := w-left-right, h-top-bottom
	xmax, ymax := 0.0, 0.0
	for _, s := range series {
		for i := range s.X {
			xmax = math.Max(xmax, s.X[i])
			if !math.IsNaN(s.Y[i]) && !math.IsInf(s.Y[i], 0) {
				ymax = math.Max(ymax, s.Y[i])
			}
		}
	}
	if xmax == 0 {
		xmax = 1
	}
	ymax, step := niceMax(ymax)
	px := func(x float64) float64 { return left + x/xmax*pw }
	py := func(y float64) float64 { return top + ph - y/ymax*ph }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`, w, h, w, h, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%g" y="16" class="t">%s</text>`, left, html.EscapeString(title))
	for y := 0.0; y <= ymax+step/2; y += step {
		label := trimFloat(y)
		if yPct {
			label = pct(y)
		}
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" class="g"/><text x="%g" y="%.1f" class="yl">%s</text>`, left, left+pw, py(y), py(y), left-4, py(y)+4, label)
	}
	seenX := map[float64]bool{}
	for _, s := range series {
		for _, x := range s.X {
			if !seenX[x] {
				seenX[x] = true
				fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%g" y2="%g" class="g"/><text x="%.1f" y="%g" class="xl">%s</text>`, px(x), px(x), top, top+ph, px(x), top+ph+14, pct(x))
			}
		}
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="xl">share of area flagged</text>`, left+pw/2, h-6)
	fmt.Fprintf(&b, `<text transform="translate(12 %g) rotate(-90)" class="xl">%s</text>`, top+ph/2, html.EscapeString(yLabel))
	for i, s := range series {
		col := s.Colour
		if col == "" {
			col = palette[i%len(palette)]
		}
		width := 1.5
		if s.Bold {
			width = 3.5
		}
		var pts []string
		flush := func() {
			if len(pts) > 0 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="%g" points="%s"/>`, col, width, strings.Join(pts, " "))
				pts = pts[:0]
			}
		}
		for j := range s.X {
			if math.IsNaN(s.Y[j]) || math.IsInf(s.Y[j], 0) {
				flush()
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(s.X[j]), py(s.Y[j])))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%g" fill="%s"><title>%s %s: %s</title></circle>`, px(s.X[j]), py(s.Y[j]), width+1, col,
				html.EscapeString(s.Name), pct(s.X[j]), yFmt(s.Y[j], yPct))
		}
		flush()
		ly := top + 4 + float64(i)*16
		weight := ""
		if s.Bold {
			weight = ` font-weight="bold"`
		}
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="%s" stroke-width="%g"/><text x="%g" y="%g" class="lg"%s>%s</text>`,
			w-right+10, w-right+28, ly, ly, col, width, w-right+32, ly+4, weight, html.EscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec: every text is escaped above
}

func yFmt(y float64, isPct bool) string {
	if isPct {
		return pct(y)
	}
	return trimFloat(math.Round(y*100) / 100)
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// niceMax rounds a chart's maximum up to a round number and returns it with
// a tick step giving four to five ticks.
func niceMax(v float64) (float64, float64) {
	if v <= 0 {
		return 1, 0.25
	}
	mag := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step := m * mag / 4; step*4 >= v {
			return step * 4, step
		}
	}
	return 10 * mag, 2.5 * mag
}
