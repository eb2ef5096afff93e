package evaluate

import (
	"math"
	"sort"
)

// Summary is one method's results at one budget for one crime group,
// summarised over units (and origins): medians of the per-unit metrics, and
// pooled rates (all units' hits over all units' offences).
type Summary struct {
	CrimeGroup        string  `json:"crime_group"`
	Method            string  `json:"method"`
	Default           bool    `json:"default"`
	Budget            float64 `json:"budget"`
	Results           int     `json:"results"` // unit-origin pairs
	MedianPAI         Num     `json:"median_pai"`
	MedianHitRate     Num     `json:"median_hit_rate"`
	MedianPEIStar     Num     `json:"median_pei_star"`
	MedianHarmPAI     Num     `json:"median_harm_pai"`
	MedianHarmHitRate Num     `json:"median_harm_hit_rate"`
	MedianAreaShare   Num     `json:"median_area_share"`
	PooledHitRate     Num     `json:"pooled_hit_rate"`
	PooledHarmHitRate Num     `json:"pooled_harm_hit_rate"`
}

// Summarise groups results by crime group, method and budget. When origin
// is >= 0 only that origin is used. The order follows the results' own:
// groups and methods as first seen, budgets ascending.
func Summarise(results []Result, origin int) []Summary {
	type key struct {
		g, m string
		b    float64
	}
	var order []key
	by := map[key][]Result{}
	for _, r := range results {
		if origin >= 0 && r.Origin != origin {
			continue
		}
		k := key{r.CrimeGroup, r.Method, r.Budget}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], r)
	}
	out := make([]Summary, 0, len(order))
	for _, k := range order {
		rs := by[k]
		col := func(f func(Result) Num) Num {
			v := make([]float64, len(rs))
			for i, r := range rs {
				v[i] = float64(f(r))
			}
			return Num(Median(v))
		}
		var hits, n, hh, h float64
		for _, r := range rs {
			hits += float64(r.Hits)
			n += float64(r.N)
			hh += float64(r.HarmHits)
			h += float64(r.Harm)
		}
		out = append(out, Summary{CrimeGroup: k.g, Method: k.m, Default: rs[0].Default, Budget: k.b, Results: len(rs),
			MedianPAI:         col(func(r Result) Num { return r.PAI }),
			MedianHitRate:     col(func(r Result) Num { return r.HitRate }),
			MedianPEIStar:     col(func(r Result) Num { return r.PEIStar }),
			MedianHarmPAI:     col(func(r Result) Num { return r.HarmPAI }),
			MedianHarmHitRate: col(func(r Result) Num { return r.HarmHitRate }),
			MedianAreaShare:   col(func(r Result) Num { return r.AreaShare }),
			PooledHitRate:     Num(ratio(hits, n)), PooledHarmHitRate: Num(ratio(hh, h))})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].CrimeGroup != out[j].CrimeGroup || out[i].Method != out[j].Method {
			return false
		}
		return out[i].Budget < out[j].Budget
	})
	return out
}

// Headline is the one sentence a board member reads first.
type Headline struct {
	Text       string
	Budget     float64
	HarmCaught float64 // pooled share of the test window's harm in the flagged cells
	Caught     float64 // pooled share of offences
	Units      int
}

// MakeHeadline describes hotgrid's default method at the budget closest to
// 1% for the first crime group and the last origin.
func MakeHeadline(rep *Report) Headline {
	last := len(rep.Config.Origins) - 1
	var best *Summary
	sums := Summarise(rep.Results, last)
	for i := range sums {
		s := &sums[i]
		if !s.Default || (len(rep.Config.Groups) > 0 && s.CrimeGroup != rep.Config.Groups[0]) {
			continue
		}
		if best == nil || math.Abs(math.Log(s.Budget/0.01)) < math.Abs(math.Log(best.Budget/0.01)) {
			best = s
		}
	}
	if best == nil {
		return Headline{Text: "No results: no unit had offences in both windows."}
	}
	h := Headline{Budget: best.Budget, HarmCaught: float64(best.PooledHarmHitRate), Caught: float64(best.PooledHitRate), Units: best.Results}
	h.Text = "Last month's agreed grids (" + pct(best.Budget) + " of the area) would have caught " + pct(h.HarmCaught) +
		" of this month's harm (" + pct(h.Caught) + " of offences)."
	if len(rep.Config.Origins) > 0 {
		o := rep.Config.Origins[last]
		h.Text = "Grids agreed from " + span(o.TrainFrom, o.TrainTo) + " (" + pct(best.Budget) + " of the area) would have caught " +
			pct(h.HarmCaught) + " of the harm of " + span(o.TestFrom, o.TestTo) + " (" + pct(h.Caught) + " of offences)."
	}
	return h
}

// methodOrder lists the configured methods in report order.
func (rc ReportConfig) methodOrder() []string {
	out := make([]string, 0, len(rc.Methods))
	for _, m := range Methods(Params{}) {
		if _, ok := rc.Methods[m.Name]; ok {
			out = append(out, m.Name)
		}
	}
	return out
}
