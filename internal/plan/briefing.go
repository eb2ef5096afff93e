package plan

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

//go:embed templates/briefing.html
var templates embed.FS

var briefingTmpl = template.Must(template.ParseFS(templates, "templates/briefing.html"))

// palette colours areas by rank.
var palette = []string{"#d7191c", "#fdae61", "#fee08b", "#a6d96a", "#1a9641", "#2b83ba", "#abdda4", "#f46d43", "#66c2a5", "#e6f598"}

// Briefing is the input of a printable one-page unit briefing.
type Briefing struct {
	Plan     *hotgrid.Plan
	UnitName string
	Bands    []hotgrid.Band
	MadeAt   time.Time
	Loc      *time.Location
}

type shape struct{ Points, Fill, Title string }
type label struct {
	X, Y float64
	Text string
}
type briefRow struct {
	Rank                   int
	Area, Harm, When, Dose string
	Cells                  int
}

// WriteBriefing renders the briefing as one self-contained HTML page with
// print CSS: an inline SVG map of the plan's areas (cells drawn in a local
// equirectangular projection, labelled by rank) and a table of times and
// doses.
func WriteBriefing(w io.Writer, b Briefing) error {
	p := b.Plan
	loc := b.Loc
	if loc == nil {
		loc = time.UTC
	}
	const width = 700.0
	shapes, labels, height, err := mapShapes(p, width)
	if err != nil {
		return err
	}
	bands := map[string]hotgrid.Band{}
	for _, x := range b.Bands {
		bands[x.Name] = x
	}
	var rows []briefRow
	for _, a := range p.Areas {
		var when, dose []string
		for _, d := range a.Doses {
			when = append(when, bandText(bands, d.Band))
			dose = append(dose, fmt.Sprintf("%d × %d min", d.Visits, d.VisitMinutes))
		}
		rows = append(rows, briefRow{Rank: a.Rank, Area: a.ID, Cells: len(a.Cells), Harm: fmt.Sprintf("%.0f", a.Harm),
			When: strings.Join(when, "; "), Dose: strings.Join(dose, "; ")})
	}
	data := map[string]any{
		"Unit": p.Unit, "UnitName": orDefault(b.UnitName, p.Unit), "PlanID": p.ID, "Version": p.Version, "State": string(p.State),
		"Period":   p.From.Format("2 Jan 2006") + " to " + p.To.AddDate(0, 0, -1).Format("2 Jan 2006"),
		"AgreedBy": p.AgreedBy, "AgreedAt": fmtTime(p.AgreedAt, loc), "MadeAt": fmtTime(b.MadeAt, loc),
		"Width": width, "Height": math.Ceil(height), "Shapes": shapes, "Labels": labels, "Rows": rows, "Note": p.Note,
	}
	if err := briefingTmpl.Execute(w, data); err != nil {
		return fmt.Errorf("render briefing: %w", err)
	}
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func fmtTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2 Jan 2006 15:04")
}

var dayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

func bandText(bands map[string]hotgrid.Band, name string) string {
	b, ok := bands[name]
	if !ok {
		return name
	}
	if b.AnyTime {
		return orDefault(b.Label, "any time")
	}
	var days []string
	for d := time.Sunday; d <= time.Saturday; d++ {
		if b.Days[(d+1)%7] { // list Monday first
			days = append(days, dayNames[(d+1)%7])
		}
	}
	ds := strings.Join(days, " ")
	if len(days) == 7 {
		ds = "daily"
	}
	return fmt.Sprintf("%s %02d:%02d–%02d:%02d (%s)", ds, b.Start/60, b.Start%60, b.End/60, b.End%60, orDefault(b.Label, b.Name))
}

// mapShapes projects every cell of the plan into an SVG box width wide,
// keeping the aspect ratio (longitudes scaled by the cosine of the mean
// latitude) with a margin.
func mapShapes(p *hotgrid.Plan, width float64) ([]shape, []label, float64, error) {
	type poly struct {
		ring  [][2]float64
		area  int
		title string
	}
	var polys []poly
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	var latSum float64
	var n int
	for i, a := range p.Areas {
		for _, s := range a.Cells {
			c, err := geo.ParseCell(s)
			if err != nil {
				return nil, nil, 0, hotgrid.FieldErrorf("cells", "area %q: %q is not an H3 cell", a.ID, s)
			}
			var ring [][2]float64
			for _, pt := range geo.Boundary(c)[0] {
				ring = append(ring, [2]float64{pt[0], pt[1]})
				latSum += pt[1]
				n++
			}
			polys = append(polys, poly{ring, i, fmt.Sprintf("%s (rank %d) %s", a.ID, a.Rank, s)})
		}
	}
	if n == 0 {
		return nil, nil, width * 0.5, nil
	}
	k := math.Cos(latSum / float64(n) * math.Pi / 180)
	for _, pl := range polys {
		for _, pt := range pl.ring {
			x, y := pt[0]*k, pt[1]
			minX, maxX, minY, maxY = math.Min(minX, x), math.Max(maxX, x), math.Min(minY, y), math.Max(maxY, y)
		}
	}
	const margin = 20.0
	spanX, spanY := math.Max(maxX-minX, 1e-6), math.Max(maxY-minY, 1e-6)
	scale := (width - 2*margin) / spanX
	height := math.Min(spanY*scale+2*margin, width*1.2)
	scale = math.Min(scale, (height-2*margin)/spanY)
	px := func(lon, lat float64) (float64, float64) {
		return margin + (lon*k-minX)*scale, margin + (maxY-lat)*scale
	}
	var shapes []shape
	sums := make([][3]float64, len(p.Areas))
	for _, pl := range polys {
		var pts []string
		for _, pt := range pl.ring {
			x, y := px(pt[0], pt[1])
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
			sums[pl.area][0] += x
			sums[pl.area][1] += y
			sums[pl.area][2]++
		}
		shapes = append(shapes, shape{Points: strings.Join(pts, " "), Fill: palette[pl.area%len(palette)], Title: pl.title})
	}
	var labels []label
	for i, a := range p.Areas {
		if s := sums[i]; s[2] > 0 {
			labels = append(labels, label{X: math.Round(s[0]/s[2]*10) / 10, Y: math.Round(s[1]/s[2]*10) / 10, Text: fmt.Sprint(a.Rank)})
		}
	}
	return shapes, labels, height, nil
}
