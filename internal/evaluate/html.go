package evaluate

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
)

//go:embed report.html.tmpl
var reportTemplate string

// chartGroup is one crime group's charts and table in the HTML report.
type chartGroup struct {
	Group   string
	PAI     template.HTML
	Hit     template.HTML
	Harm    template.HTML
	Budgets []float64
	Rows    []tableRow
	Units   []unitCharts
}

type tableRow struct {
	Method  string
	Default bool
	Cells   []Summary
}

type unitCharts struct {
	Unit     string
	PAI, Hit template.HTML
}

// WriteHTML writes a self-contained HTML report (inline CSS and SVG, no
// scripts or external files): the headline, then per crime group the median
// PAI, hit rate and harm caught against area share per method, a table, and
// the same charts per unit.
func WriteHTML(w io.Writer, rep *Report) error {
	t, err := template.New("report").Funcs(template.FuncMap{"pct": pct, "pctNum": pctNum, "num": fmtNum, "span": span}).Parse(reportTemplate)
	if err != nil {
		return fmt.Errorf("parse report template: %w", err)
	}
	sums := Summarise(rep.Results, -1)
	var groups []chartGroup
	for _, g := range rep.Config.Groups {
		cg := chartGroup{Group: g, Budgets: rep.Config.Budgets}
		var methods []string
		rows := map[string]*tableRow{}
		for _, s := range sums {
			if s.CrimeGroup != g {
				continue
			}
			r, ok := rows[s.Method]
			if !ok {
				r = &tableRow{Method: s.Method, Default: s.Default}
				rows[s.Method] = r
				methods = append(methods, s.Method)
			}
			r.Cells = append(r.Cells, s)
		}
		if len(methods) == 0 {
			continue
		}
		series := func(f func(Summary) Num) []Series {
			var out []Series
			for _, m := range methods {
				s := Series{Name: m, Bold: rows[m].Default}
				for _, c := range rows[m].Cells {
					s.X = append(s.X, c.Budget)
					s.Y = append(s.Y, float64(f(c)))
				}
				out = append(out, s)
			}
			return out
		}
		by := rep.Config.By + "s"
		cg.PAI = LineChart("Median PAI across "+by, "PAI", false, series(func(s Summary) Num { return s.MedianPAI }))
		cg.Hit = LineChart("Offences caught (median across "+by+")", "hit rate", true, series(func(s Summary) Num { return s.MedianHitRate }))
		cg.Harm = LineChart("Harm caught (median across "+by+")", "harm hit rate", true, series(func(s Summary) Num { return s.MedianHarmHitRate }))
		for _, m := range methods {
			cg.Rows = append(cg.Rows, *rows[m])
		}
		cg.Units = unitChartsFor(rep, g, methods)
		groups = append(groups, cg)
	}
	methods := make([]string, 0, len(rep.Config.Methods))
	for m := range rep.Config.Methods {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	data := map[string]any{"Report": rep, "Headline": MakeHeadline(rep), "Groups": groups, "MethodNames": methods}
	if err := t.Execute(w, data); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}

// unitChartsFor draws each unit's PAI and hit rate (median over origins).
func unitChartsFor(rep *Report, group string, methods []string) []unitCharts {
	type key struct {
		u, m string
		b    float64
	}
	vals := map[key][2][]float64{}
	var units []string
	seen := map[string]bool{}
	for _, r := range rep.Results {
		if r.CrimeGroup != group {
			continue
		}
		if !seen[r.Unit] {
			seen[r.Unit] = true
			units = append(units, r.Unit)
		}
		k := key{r.Unit, r.Method, r.Budget}
		v := vals[k]
		v[0] = append(v[0], float64(r.PAI))
		v[1] = append(v[1], float64(r.HitRate))
		vals[k] = v
	}
	sort.Strings(units)
	out := make([]unitCharts, 0, len(units))
	for _, u := range units {
		var pai, hit []Series
		for _, m := range methods {
			sp, sh := Series{Name: m, Bold: m == DefaultMethod}, Series{Name: m, Bold: m == DefaultMethod}
			for _, b := range rep.Config.Budgets {
				v, ok := vals[key{u, m, b}]
				if !ok {
					continue
				}
				sp.X, sh.X = append(sp.X, b), append(sh.X, b)
				sp.Y, sh.Y = append(sp.Y, Median(v[0])), append(sh.Y, Median(v[1]))
			}
			pai, hit = append(pai, sp), append(hit, sh)
		}
		if allNaN(pai) && allNaN(hit) {
			continue
		}
		out = append(out, unitCharts{Unit: u, PAI: LineChart(u+": PAI", "PAI", false, pai), Hit: LineChart(u+": offences caught", "hit rate", true, hit)})
	}
	return out
}

func allNaN(ss []Series) bool {
	for _, s := range ss {
		for _, y := range s.Y {
			if !math.IsNaN(y) {
				return false
			}
		}
	}
	return true
}
