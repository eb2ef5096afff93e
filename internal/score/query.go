package score

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Query defaults.
const (
	DefaultTop          = 10
	DefaultKnifeTop     = 3
	DefaultHalfLifeDays = 28
	DefaultK            = 1
	MaxK                = 3
)

// normQuery is a validated query with defaults filled and names resolved.
type normQuery struct {
	q        hotgrid.Query // echoed back, defaults filled
	units    []int
	band     int
	from, to int64 // unix seconds, [from, to)
	catKey   string
	cats     []bool  // by category byte; nil = every category
	halfLife float64 // seconds
	knife    bool
}

// normalise validates q against the engine and fills defaults. Callers
// hold e.mu.
func (e *Engine) normalise(q hotgrid.Query, knife bool) (*normQuery, error) {
	n := &normQuery{q: q, knife: knife}
	// units
	if len(q.Units) == 0 {
		for u := range e.units {
			if e.ix.unitStart[u+1] > e.ix.unitStart[u] {
				n.units = append(n.units, u)
			}
		}
		if len(n.units) == 0 {
			for u := range e.cfg.Units {
				n.units = append(n.units, u)
			}
		}
	}
	for _, code := range q.Units {
		u, ok := e.unitIdx[code]
		if !ok {
			return nil, hotgrid.FieldErrorf("unit", "unknown unit %q (known: %s)", code, e.unitList())
		}
		n.units = append(n.units, u)
	}
	// band
	if q.Band == "" {
		n.q.Band = hotgrid.AnyTimeBand
		if e.bandIndex(n.q.Band) < 0 {
			n.q.Band = e.bands[e.anyIdx].Name
		}
	}
	if n.band = e.bandIndex(n.q.Band); n.band < 0 {
		names := make([]string, len(e.bands))
		for i, b := range e.bands {
			names[i] = b.Name
		}
		return nil, hotgrid.FieldErrorf("band", "unknown band %q (known: %s)", q.Band, strings.Join(names, ", "))
	}
	// metric
	switch q.Metric {
	case "":
		n.q.Metric = hotgrid.MetricHarm
		if knife {
			n.q.Metric = hotgrid.MetricCount
		}
	case hotgrid.MetricCount, hotgrid.MetricHarm, hotgrid.MetricRecency:
	default:
		return nil, hotgrid.FieldErrorf("metric", "unknown metric %q (want count, harm or recency)", q.Metric)
	}
	// top
	switch {
	case q.Top < 0:
		return nil, hotgrid.FieldErrorf("top", "top %d must be at least 1", q.Top)
	case q.Top == 0 && knife:
		n.q.Top = DefaultKnifeTop
	case q.Top == 0:
		n.q.Top = DefaultTop
	}
	// resolution
	if q.Resolution == 0 {
		n.q.Resolution = hotgrid.DefaultResolution
	}
	if r := n.q.Resolution; r < hotgrid.MinResolution || r > hotgrid.MaxResolution {
		return nil, hotgrid.FieldErrorf("resolution", "resolution %d outside %d..%d", r, hotgrid.MinResolution, hotgrid.MaxResolution)
	}
	// window
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return nil, hotgrid.FieldErrorf("from", "from %s is not before to %s", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	n.from, n.to = e.ix.minMid, e.ix.maxMid+1
	if !q.From.IsZero() {
		n.from = q.From.Unix()
	}
	if !q.To.IsZero() {
		n.to = q.To.Unix()
	}
	// categories
	if len(q.Categories) > 0 {
		n.cats = make([]bool, 256)
		names := make([]string, 0, len(q.Categories))
		for _, c := range q.Categories {
			cat, err := hotgrid.LookupCategory(c)
			if err != nil {
				return nil, hotgrid.FieldErrorf("category", "%v", err)
			}
			names = append(names, cat.Name)
			if i, ok := e.catIdx[cat.Name]; ok {
				n.cats[i] = true
			}
		}
		slices.Sort(names)
		names = slices.Compact(names)
		n.q.Categories = names
		n.catKey = strings.Join(names, "|")
	}
	// half-life and ring size
	switch {
	case q.HalfLifeDays < 0 || math.IsNaN(q.HalfLifeDays) || math.IsInf(q.HalfLifeDays, 0):
		return nil, hotgrid.FieldErrorf("half_life_days", "half-life %g days must be positive", q.HalfLifeDays)
	case q.HalfLifeDays == 0:
		n.q.HalfLifeDays = DefaultHalfLifeDays
	}
	n.halfLife = n.q.HalfLifeDays * 86400
	switch {
	case q.K < 0 || q.K > MaxK:
		return nil, hotgrid.FieldErrorf("k", "ring size %d outside 1..%d", q.K, MaxK)
	case q.K == 0:
		n.q.K = DefaultK
	}
	return n, nil
}

func (e *Engine) bandIndex(name string) int {
	for i, b := range e.bands {
		if b.Name == name {
			return i
		}
	}
	return -1
}

func (e *Engine) unitList() string {
	codes := make([]string, 0, len(e.units))
	for _, u := range e.units {
		codes = append(codes, u.Code)
	}
	if len(codes) > 12 {
		codes = append(codes[:12], fmt.Sprintf("and %d more", len(codes)-12))
	}
	return strings.Join(codes, ", ")
}

// keep reports whether offence i passes the query's window and filters.
func (e *Engine) keep(n *normQuery, i int) bool {
	ix := e.ix
	if m := ix.mid[i]; m < n.from || m >= n.to {
		return false
	}
	if n.cats != nil && !n.cats[ix.cat[i]] {
		return false
	}
	if n.knife && (e.cats[ix.cat[i]] != "Robbery" || hotgrid.Weapon(ix.weapon[i]) != hotgrid.WeaponKnife) {
		return false
	}
	return true
}
