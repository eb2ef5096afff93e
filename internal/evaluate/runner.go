package evaluate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// Config describes one backtest.
type Config struct {
	// TrainFrom..TrainTo and TestFrom..TestTo are the first origin's windows,
	// half-open [from, to). An offence trains (tests) only when its whole
	// occurrence window lies inside the training (test) window.
	TrainFrom, TrainTo, TestFrom, TestTo time.Time
	Rolling                              int       // number of origins; default 1
	StepMonths                           int       // months between origins; default 1
	Budgets                              []float64 // fractions of the study area; default DefaultBudgets
	By                                   string    // "unit" (offences without a unit fall back to their force) or "force"
	Band                                 hotgrid.Band
	Groups                               []string // crime groups; default {"all"}
	Res                                  int      // H3 resolution; default hotgrid.DefaultResolution
	Weights                              hotgrid.Weights
	// Boundaries maps a unit code or force name to its boundary; keys
	// without one use the training offences' footprint as study area.
	Boundaries map[string]orb.MultiPolygon
	Methods    []Method // default Methods(Params{})
	Location   *time.Location
	Workers    int // parallel study areas; default GOMAXPROCS
	// Studies keeps boundary study areas between runs; nil builds them
	// afresh (once per unit or force) in every run.
	Studies *StudyCache
}

// Result is one method's score for one unit or force, crime group, budget
// and origin.
type Result struct {
	Method       string  `json:"method"`
	Default      bool    `json:"default"`
	Budget       float64 `json:"budget"`
	Unit         string  `json:"unit"`
	Force        string  `json:"force"`
	CrimeGroup   string  `json:"crime_group"`
	Band         string  `json:"band"`
	Origin       int     `json:"origin"`
	TrainFrom    string  `json:"train_from"`
	TrainTo      string  `json:"train_to"` // exclusive
	TestFrom     string  `json:"test_from"`
	TestTo       string  `json:"test_to"` // exclusive
	StudyArea    string  `json:"study_area"`
	StudyCells   int     `json:"study_cells"`
	StudyKm2     Num     `json:"study_km2"`
	TrainN       float64 `json:"train_offences"`
	FlaggedCells int     `json:"flagged_cells"`
	FlaggedKm2   Num     `json:"flagged_km2"`
	AreaShare    Num     `json:"area_share"`
	N            Num     `json:"offences"`
	Hits         Num     `json:"hits"`
	HitRate      Num     `json:"hit_rate"`
	PAI          Num     `json:"pai"`
	PEIStar      Num     `json:"pei_star"`
	Harm         Num     `json:"harm"`
	HarmHits     Num     `json:"harm_hits"`
	HarmHitRate  Num     `json:"harm_hit_rate"`
	HarmPAI      Num     `json:"harm_pai"`
	HarmPEIStar  Num     `json:"harm_pei_star"`
}

// Report is a backtest's results and what a reader must know about them.
type Report struct {
	Config  ReportConfig `json:"config"`
	Results []Result     `json:"results"`
	Notes   []string     `json:"notes"`
}

// ReportConfig is the part of the configuration a report prints.
type ReportConfig struct {
	Origins  []Origin          `json:"origins"`
	Budgets  []float64         `json:"budgets"`
	By       string            `json:"by"`
	Band     string            `json:"band"`
	Groups   []string          `json:"crime_groups"`
	Res      int               `json:"resolution"`
	Methods  map[string]string `json:"methods"`
	Default  string            `json:"default_method"`
	Weights  string            `json:"weights"`
	Keys     int               `json:"units"`
	Offences int               `json:"offences_read"`
}

// Origin is one train/test split.
type Origin struct {
	TrainFrom, TrainTo, TestFrom, TestTo time.Time
}

// Origins returns the configured splits, each StepMonths after the last.
func (c *Config) Origins() []Origin {
	n := max(c.Rolling, 1)
	step := max(c.StepMonths, 1)
	out := make([]Origin, n)
	for i := range out {
		m := i * step
		out[i] = Origin{c.TrainFrom.AddDate(0, m, 0), c.TrainTo.AddDate(0, m, 0),
			c.TestFrom.AddDate(0, m, 0), c.TestTo.AddDate(0, m, 0)}
	}
	return out
}

func (c Config) withDefaults() (Config, error) {
	if len(c.Budgets) == 0 {
		c.Budgets = DefaultBudgets
	}
	if len(c.Groups) == 0 {
		c.Groups = []string{GroupAll}
	}
	if c.Res == 0 {
		c.Res = hotgrid.DefaultResolution
	}
	if c.By == "" {
		c.By = "unit"
	}
	if c.Band.Name == "" {
		c.Band = hotgrid.Band{Name: hotgrid.AnyTimeBand, Label: "any time", AnyTime: true}
	}
	if c.Methods == nil {
		c.Methods = Methods(Params{})
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Studies == nil {
		c.Studies = NewStudyCache()
	}
	switch {
	case c.By != "unit" && c.By != "force":
		return c, hotgrid.FieldErrorf("by", "must be unit or force, not %q", c.By)
	case c.Res < hotgrid.MinResolution || c.Res > hotgrid.MaxResolution:
		return c, hotgrid.FieldErrorf("res", "resolution %d outside %d..%d", c.Res, hotgrid.MinResolution, hotgrid.MaxResolution)
	case !c.TrainFrom.Before(c.TrainTo):
		return c, hotgrid.FieldErrorf("train", "training window is empty (%s to %s)", c.TrainFrom.Format(time.DateOnly), c.TrainTo.Format(time.DateOnly))
	case !c.TestFrom.Before(c.TestTo):
		return c, hotgrid.FieldErrorf("test", "test window is empty (%s to %s)", c.TestFrom.Format(time.DateOnly), c.TestTo.Format(time.DateOnly))
	case c.TestFrom.Before(c.TrainTo):
		return c, hotgrid.FieldErrorf("test-from", "test window starts %s, before training ends %s", c.TestFrom.Format(time.DateOnly), c.TrainTo.Format(time.DateOnly))
	}
	for _, b := range c.Budgets {
		if !(b > 0 && b <= 1) {
			return c, hotgrid.FieldErrorf("budgets", "budget %g is not a fraction in (0, 1]", b)
		}
	}
	for _, g := range c.Groups {
		if !validGroup(g) {
			return c, hotgrid.FieldErrorf("group", "unknown crime group %q (want all or one of %s)", g, strings.Join(hotgrid.CrimeGroups, ", "))
		}
	}
	return c, nil
}

func validGroup(g string) bool {
	if g == GroupAll {
		return true
	}
	for _, x := range hotgrid.CrimeGroups {
		if x == g {
			return true
		}
	}
	return false
}

// inGroup reports whether an event of crime group eg belongs to report group g.
func inGroup(eg, g string) bool {
	if g == GroupAll {
		return eg != "asb"
	}
	return eg == g
}

// Run backtests every method over the offences scan yields.
func Run(ctx context.Context, cfg Config, scan ScanFunc) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	origins := cfg.Origins()
	byKey, read, notes, err := loadEvents(cfg, origins, scan)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	rep := &Report{Notes: notes, Config: reportConfig(cfg, origins, len(keys), read)}
	out := make([][]Result, len(keys))
	errs := make([]error, len(keys))
	studies := make([]string, len(keys))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < cfg.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					continue
				}
				out[i], studies[i], errs[i] = runKey(cfg, origins, keys[i], byKey[keys[i]])
			}
		}()
	}
	for _, i := range biggestFirst(keys, cfg.Boundaries) {
		next <- i
	}
	close(next)
	wg.Wait()
	sources := map[string]int{}
	for i := range keys {
		if errs[i] != nil {
			return nil, errs[i]
		}
		rep.Results = append(rep.Results, out[i]...)
		sources[studies[i]]++
	}
	rep.Notes = append(rep.Notes, studyNote(sources, cfg.Res))
	return rep, nil
}

// biggestFirst orders key indexes by the bounding-box area of their
// boundary, largest first (keys without one last), so the costliest
// polyfills start first and the workers finish together.
func biggestFirst(keys []string, bounds map[string]orb.MultiPolygon) []int {
	size := make([]float64, len(keys))
	for i, k := range keys {
		if mp, ok := bounds[k]; ok && len(mp) > 0 {
			b := mp.Bound()
			size[i] = (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1]) * math.Cos(b.Center()[1]*math.Pi/180)
		}
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return size[order[a]] > size[order[b]] })
	return order
}

func studyNote(sources map[string]int, res int) string {
	parts := []string{}
	if n := sources[StudyBoundary]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d by the resolution-%d polyfill of their boundary", n, res))
	}
	if n := sources[StudyFootprint]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d (no boundary known) by the cells of their training offences plus one ring", n))
	}
	return "Study areas: " + strings.Join(parts, "; ") + ". A cell's area is its true H3 area: study cells are whole polyfill cells, so each lies wholly in its study area. Test offences outside the study area count in N as misses."
}

func reportConfig(cfg Config, origins []Origin, keys, read int) ReportConfig {
	rc := ReportConfig{Origins: origins, Budgets: cfg.Budgets, By: cfg.By, Band: cfg.Band.Name,
		Groups: cfg.Groups, Res: cfg.Res, Methods: map[string]string{}, Default: DefaultMethod,
		Keys: keys, Offences: read, Weights: "none (harm = count)"}
	for _, m := range cfg.Methods {
		rc.Methods[m.Name] = m.About
	}
	if cfg.Weights != nil {
		rc.Weights = cfg.Weights.Version()
	}
	return rc
}

// runKey evaluates every origin, group, method and budget of one unit or force.
func runKey(cfg Config, origins []Origin, key string, events []Event) ([]Result, string, error) {
	var fixed *Study
	if mp, ok := cfg.Boundaries[key]; ok && len(mp) > 0 {
		s, err := cfg.Studies.Boundary(key, mp, cfg.Res)
		if err != nil {
			return nil, "", err
		}
		fixed = s
	}
	var res []Result
	source := StudyFootprint
	for oi, o := range origins {
		study := fixed
		if study == nil {
			s, err := FootprintStudy(key, inWindow(events, o.TrainFrom, o.TrainTo, cfg.Groups), cfg.Res)
			if err != nil {
				continue // no training offences at all: nothing to forecast from
			}
			study = s
		} else {
			source = StudyBoundary
		}
		for _, g := range cfg.Groups {
			train := indexed(study, inWindow(events, o.TrainFrom, o.TrainTo, []string{g}))
			outcome := testOutcome(study, inWindow(events, o.TestFrom, o.TestTo, []string{g}))
			in := &Input{Study: study, Events: train, From: o.TrainFrom, To: o.TrainTo}
			for _, m := range cfg.Methods {
				ranked := Rank(m.Score(in))
				for _, b := range cfg.Budgets {
					flagged := Take(ranked, study.Area, study.Total, b)
					met := Score(flagged, study.Area, study.Total, outcome)
					res = append(res, result(m.Name, b, key, events[0].Force, g, cfg.Band.Name, oi, o, study, len(train), met))
				}
			}
		}
	}
	return res, source, nil
}

func result(method string, budget float64, key, force, group, band string, oi int, o Origin, s *Study, trainN int, m Metrics) Result {
	return Result{Method: method, Default: method == DefaultMethod, Budget: budget, Unit: key, Force: force,
		CrimeGroup: group, Band: band, Origin: oi,
		TrainFrom: o.TrainFrom.Format(time.DateOnly), TrainTo: o.TrainTo.Format(time.DateOnly),
		TestFrom: o.TestFrom.Format(time.DateOnly), TestTo: o.TestTo.Format(time.DateOnly),
		StudyArea: s.Source, StudyCells: len(s.Cells), StudyKm2: Num(s.Total), TrainN: float64(trainN),
		FlaggedCells: m.FlaggedCells, FlaggedKm2: Num(m.FlaggedKm2), AreaShare: Num(m.AreaShare),
		N: Num(m.N), Hits: Num(m.Hits), HitRate: Num(m.HitRate), PAI: Num(m.PAI), PEIStar: Num(m.PEIStar),
		Harm: Num(m.Harm), HarmHits: Num(m.HarmHits), HarmHitRate: Num(m.HarmHitRate), HarmPAI: Num(m.HarmPAI),
		HarmPEIStar: Num(m.HarmPEIStar)}
}

// inWindow returns the events of the groups whose whole occurrence window
// lies in [from, to). This is the only way events reach training or testing.
func inWindow(events []Event, from, to time.Time, groups []string) []Event {
	keep := func(e *Event) bool {
		if e.From.Before(from) || e.To.After(to) || !e.From.Before(to) {
			return false
		}
		for _, g := range groups {
			if inGroup(e.Group, g) {
				return true
			}
		}
		return false
	}
	n := 0
	for i := range events {
		if keep(&events[i]) {
			n++
		}
	}
	out := make([]Event, 0, n)
	for i := range events {
		if keep(&events[i]) {
			out = append(out, events[i])
		}
	}
	return out
}

// indexed sets each event's study index and drops events outside the study.
func indexed(s *Study, events []Event) []Event {
	out := events[:0]
	for _, e := range events {
		if i, ok := s.Index[e.Cell]; ok {
			e.Idx = i
			out = append(out, e)
		}
	}
	return out
}

func testOutcome(s *Study, events []Event) *Outcome {
	o := &Outcome{Count: make([]float64, len(s.Cells)), Harm: make([]float64, len(s.Cells))}
	for _, e := range events {
		if i, ok := s.Index[e.Cell]; ok {
			o.Count[i] += e.Weight
			o.Harm[i] += e.Harm
		} else {
			o.OutsideCount += e.Weight
			o.OutsideHarm += e.Harm
		}
	}
	return o
}

// loadEvents reads every offence whose occurrence overlaps one of the
// windows and turns it into an Event keyed by unit or force.
func loadEvents(cfg Config, origins []Origin, scan ScanFunc) (map[string][]Event, int, []string, error) {
	lo, hi := origins[0].TrainFrom, origins[0].TestTo
	for _, o := range origins {
		lo, hi = minTime(lo, o.TrainFrom), maxTime(hi, o.TestTo)
	}
	byKey := map[string][]Event{}
	read, monthOnlyOut, unknownCat := 0, 0, 0
	cats := map[string]hotgrid.Category{}
	err := scan(func(o *hotgrid.Offence) error {
		read++
		from, to := o.From, o.To
		if o.MonthOnly {
			from, to = monthSpan(o.From, cfg.Location)
		}
		if to.Before(from) {
			to = from
		}
		if !from.Before(hi) || to.Before(lo) {
			return nil
		}
		cat, ok := cats[o.Category]
		if !ok {
			c, err := hotgrid.LookupCategory(o.Category)
			if err != nil {
				unknownCat++
				return nil
			}
			cat, cats[o.Category] = c, c
		}
		share := 1.0
		if !cfg.Band.AnyTime {
			if o.MonthOnly {
				monthOnlyOut++
				return nil
			}
			if share = BandShare(cfg.Band, from.In(cfg.Location), to.In(cfg.Location)); share == 0 {
				return nil
			}
		}
		cell := geo.Parent(o.Cell, cfg.Res)
		if o.Cell == 0 || geo.Resolution(o.Cell) < cfg.Res {
			var err error
			if cell, err = geo.CellAt(o.Lon, o.Lat, cfg.Res); err != nil {
				return fmt.Errorf("offence %s (%s row %d): lon/lat: %w", o.ID, o.Source.File, o.Source.Row, err)
			}
		}
		key := o.Force
		if cfg.By == "unit" && o.Unit != "" {
			key = o.Unit
		}
		if key == "" {
			key = "(no force)"
		}
		w := 1.0
		if cfg.Weights != nil {
			w, _ = cfg.Weights.Weight(o.OffenceCode, cat.Name)
		}
		byKey[key] = append(byKey[key], Event{ID: o.ID, Force: o.Force, Cell: cell, Lon: o.Lon, Lat: o.Lat,
			From: from, To: to, Group: cat.Group, Harm: w * share, Weight: share, Idx: -1})
		return nil
	})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("scan offences: %w", err)
	}
	var notes []string
	if monthOnlyOut > 0 {
		notes = append(notes, fmt.Sprintf("%d month-only offences cannot be placed in band %q and are left out of it.", monthOnlyOut, cfg.Band.Name))
	}
	if unknownCat > 0 {
		notes = append(notes, fmt.Sprintf("%d offences with an unknown crime category are left out.", unknownCat))
	}
	if cfg.Weights == nil {
		notes = append(notes, "No severity weights: harm equals the offence count.")
	}
	return byKey, read, notes, nil
}

// monthSpan returns the calendar month holding t in loc, as [start, next).
// Twelve hours are added first so a month start stored in UTC or in local
// time lands in the same month.
func monthSpan(t time.Time, loc *time.Location) (time.Time, time.Time) {
	u := t.Add(12 * time.Hour).In(loc)
	start := time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, loc)
	return start, start.AddDate(0, 1, 0)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
