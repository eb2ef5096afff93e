package score

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

func TestRankEveryUnit(t *testing.T) {
	e := newTestEngine(t, synthOffences(t, 40000, 1))
	ctx := context.Background()
	r, err := e.Rank(ctx, hotgrid.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Units) != 8 || r.StudyArea != StudyUnits || r.Offences != 40000 {
		t.Fatalf("units %d, study %q, offences %d", len(r.Units), r.StudyArea, r.Offences)
	}
	if r.Query.Metric != hotgrid.MetricHarm || r.Query.Band != "any" || r.Query.Top != 10 || r.Query.Resolution != 9 {
		t.Fatalf("defaults not filled: %+v", r.Query)
	}
	for _, ur := range r.Units {
		if len(ur.Cells) != 10 {
			t.Fatalf("%s has %d cells", ur.Unit, len(ur.Cells))
		}
		// a 3 km square holds about 85 resolution-9 cells
		if ur.StudyCells < 70 || ur.StudyCells > 130 {
			t.Fatalf("%s study cells %d", ur.Unit, ur.StudyCells)
		}
		for i, c := range ur.Cells {
			if c.Rank != i+1 || c.Unit != ur.Unit || c.Area == "" || c.PeakBand == "" || c.PeakBand == "any" {
				t.Fatalf("%s cell %d: %+v", ur.Unit, i, c)
			}
			if i > 0 && (c.Harm > ur.Cells[i-1].Harm || c.Harm == ur.Cells[i-1].Harm && c.Count > ur.Cells[i-1].Count) {
				t.Fatalf("%s not ordered by harm then count at %d", ur.Unit, i)
			}
		}
		// clustered data: the top cell is a significant hot spot
		if !isHot(ur.Cells[0].Class) || ur.Cells[0].Z < 3 {
			t.Fatalf("%s top cell %+v not hot", ur.Unit, ur.Cells[0])
		}
		checkAreas(t, ur)
	}
	k, err := e.Knife(ctx, hotgrid.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ur := range k.Units {
		if len(ur.Cells) != 3 {
			t.Fatalf("%s knife cells %d", ur.Unit, len(ur.Cells))
		}
	}
	if k.Query.Metric != hotgrid.MetricCount || k.Query.Top != 3 {
		t.Fatalf("knife defaults %+v", k.Query)
	}
	// deterministic: the same query gives the same answer after a reload
	if err := e.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	r2, _ := e.Rank(ctx, hotgrid.Query{})
	for u := range r.Units {
		for i := range r.Units[u].Cells {
			a, b := r.Units[u].Cells[i], r2.Units[u].Cells[i]
			if a.H3 != b.H3 || a.Harm != b.Harm || a.Area != b.Area {
				t.Fatalf("rank changed after reload: %+v vs %+v", a, b)
			}
		}
	}
}

// checkAreas asserts patrol areas hold 1..3 adjacent chosen cells, cover
// every chosen cell once, and carry a dose in their first peak band.
func checkAreas(t *testing.T, ur hotgrid.UnitRanking) {
	t.Helper()
	seen := map[string]bool{}
	for _, a := range ur.Areas {
		if len(a.Cells) < 1 || len(a.Cells) > MaxAreaCells {
			t.Fatalf("area %s has %d cells", a.ID, len(a.Cells))
		}
		for i, h := range a.Cells {
			seen[h] = true
			if i == 0 {
				continue
			}
			c, _ := geo.ParseCell(h)
			adj := false
			for _, o := range a.Cells[:i] {
				oc, _ := geo.ParseCell(o)
				adj = adj || geo.Neighbours(c, oc)
			}
			if !adj {
				t.Fatalf("area %s cell %s touches no earlier cell", a.ID, h)
			}
		}
		if len(a.PeakBands) == 0 || a.Dose.Band != a.PeakBands[0] || a.Dose.VisitMinutes != 15 || a.Dose.EveryMinutes != 120 {
			t.Fatalf("area %s peak %v dose %+v", a.ID, a.PeakBands, a.Dose)
		}
		if want := map[string]int{"nte": 4}[a.Dose.Band]; want > 0 && a.Dose.Visits != want || want == 0 && a.Dose.Visits != 3 {
			t.Fatalf("area %s dose visits %d in %s", a.ID, a.Dose.Visits, a.Dose.Band)
		}
	}
	if len(seen) != len(ur.Cells) {
		t.Fatalf("areas cover %d of %d cells", len(seen), len(ur.Cells))
	}
}

// TestCountVersusHarm builds a unit where many low-harm offences sit in one
// cell and a few high-harm ones in another: count ranks the first top,
// harm the second.
func TestCountVersusHarm(t *testing.T) {
	us := testUnits()
	c := us[0].Geometry.Bound().Center()
	shop := cellAt(t, c)
	rob := cellAt(t, orbOffset(c, 0.8, 0))
	at := time.Date(2017, 5, 5, 14, 0, 0, 0, time.UTC)
	var os []hotgrid.Offence
	for i := 0; i < 12; i++ {
		os = append(os, hotgrid.Offence{ID: "S" + string(rune('a'+i)), Unit: "U1", Category: "Shoplifting", From: at, To: at, Cell: shop})
	}
	for i := 0; i < 2; i++ {
		os = append(os, hotgrid.Offence{ID: "R" + string(rune('a'+i)), Unit: "U1", Category: "Robbery", From: at, To: at, Cell: rob, Weapon: hotgrid.WeaponKnife})
	}
	e := newTestEngine(t, os)
	top := func(m hotgrid.Metric) hotgrid.CellScore {
		r, err := e.Rank(context.Background(), hotgrid.Query{Units: []string{"U1"}, Metric: m})
		if err != nil {
			t.Fatal(err)
		}
		return r.Units[0].Cells[0]
	}
	byCount, byHarm := top(hotgrid.MetricCount), top(hotgrid.MetricHarm)
	if byCount.Cell != geo.Parent(shop, 9) || byCount.Count != 12 || byCount.Harm != 240 {
		t.Fatalf("count top %+v", byCount)
	}
	if byHarm.Cell != geo.Parent(rob, 9) || byHarm.Count != 2 || byHarm.Harm != 1800 {
		t.Fatalf("harm top %+v", byHarm)
	}
}

func cellAt(t *testing.T, p orb.Point) uint64 {
	t.Helper()
	c, err := geo.CellAt(p[0], p[1], hotgrid.StoreResolution)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBandsConserveInEngine checks that the eight partition bands' expected
// counts add up to the any-time count in every cell.
func TestBandsConserveInEngine(t *testing.T) {
	e := newTestEngine(t, synthOffences(t, 8000, 3))
	ctx := context.Background()
	total := map[string]float64{}
	for _, b := range e.Bands() {
		cs, err := e.Cells(ctx, hotgrid.Query{Band: b.Name, Units: []string{"U2"}, Metric: hotgrid.MetricCount})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, c := range cs {
			sum += c.Count
		}
		total[b.Name] = sum
	}
	part := 0.0
	for _, b := range []string{"weekday-early", "weekday-morning", "weekday-afternoon", "weekday-evening",
		"weekend-early", "weekend-morning", "weekend-afternoon", "weekend-evening"} {
		part += total[b]
	}
	// shares are stored to 1/65535; the error per offence is below 8e-6
	if math.Abs(part-total["any"]) > 8e-6*total["any"] || total["any"] != 1000 {
		t.Fatalf("partition bands sum %g, any %g", part, total["any"])
	}
	if total["nte"] <= 0 || total["nte"] >= total["any"] {
		t.Fatalf("nte %g", total["nte"])
	}
}

func TestQueryValidation(t *testing.T) {
	e := newTestEngine(t, synthOffences(t, 500, 4))
	day := time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		q     hotgrid.Query
		field string
	}{
		{"unit", hotgrid.Query{Units: []string{"NOPE"}}, "unit"},
		{"band", hotgrid.Query{Band: "lunch"}, "band"},
		{"metric", hotgrid.Query{Metric: "fear"}, "metric"},
		{"res low", hotgrid.Query{Resolution: 6}, "resolution"},
		{"res high", hotgrid.Query{Resolution: 12}, "resolution"},
		{"window", hotgrid.Query{From: day, To: day}, "from"},
		{"top", hotgrid.Query{Top: -1}, "top"},
		{"category", hotgrid.Query{Categories: []string{"jaywalking"}}, "category"},
		{"k", hotgrid.Query{K: 9}, "k"},
		{"half-life", hotgrid.Query{HalfLifeDays: -2}, "half_life_days"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.Rank(context.Background(), c.q)
			var he *hotgrid.Error
			if err == nil || hotgrid.ErrorCode(err) != hotgrid.EINVALID {
				t.Fatalf("err = %v, want invalid", err)
			}
			if ok := asError(err, &he); !ok || he.Field != c.field {
				t.Fatalf("field %q, want %q (%v)", he.Field, c.field, err)
			}
		})
	}
}

func asError(err error, he **hotgrid.Error) bool {
	e, ok := err.(*hotgrid.Error)
	*he = e
	return ok
}

func TestFiltersAndWindow(t *testing.T) {
	os := synthOffences(t, 6000, 5)
	e := newTestEngine(t, os)
	ctx := context.Background()
	from := time.Date(2017, 4, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC)
	r, err := e.Rank(ctx, hotgrid.Query{Units: []string{"U3"}, Categories: []string{"robbery", "Burglary"}, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, o := range os {
		mid := o.From.Add(o.To.Sub(o.From) / 2)
		if o.Unit == "U3" && (o.Category == "Robbery" || o.Category == "Burglary") && !mid.Before(from) && mid.Before(to) {
			want++
		}
	}
	if r.Offences != want || want == 0 {
		t.Fatalf("offences %d, want %d", r.Offences, want)
	}
	if !slices.Equal(r.Query.Categories, []string{"Burglary", "Robbery"}) {
		t.Fatalf("categories %v", r.Query.Categories)
	}
	for _, c := range r.Units[0].Cells {
		if c.Trend == "" {
			t.Fatalf("three months should give a monthly trend: %+v", c)
		}
	}
}

func TestMonthOnlyAndForces(t *testing.T) {
	// police.uk style: month-only, no weapon flag, outside the units.
	staffs := hotgrid.Unit{Code: "Staffordshire Police", Name: "Staffordshire Police",
		Geometry: orb.MultiPolygon{{{{-2.10, 52.70}, {-2.00, 52.70}, {-2.00, 52.76}, {-2.10, 52.76}, {-2.10, 52.70}}}}}
	var os []hotgrid.Offence
	jan := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 300; i++ {
		force, lon, lat := "Staffordshire Police", -2.05+float64(i%7)*0.003, 52.73+float64(i%5)*0.002
		if i%3 == 0 {
			force, lon, lat = "Far Away Police", -1.0+float64(i%4)*0.002, 51.5
		}
		os = append(os, hotgrid.Offence{ID: "P" + string(rune(i)), Force: force, MonthOnly: true,
			From: jan, To: jan.AddDate(0, 1, 0), Category: "Robbery", Cell: cellAt(t, orb.Point{lon, lat})})
	}
	e := newTestEngine(t, os, staffs)
	ctx := context.Background()
	r, err := e.Rank(ctx, hotgrid.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Units) != 2 || r.Units[0].Unit != "Far Away Police" || r.Units[1].Unit != "Staffordshire Police" {
		t.Fatalf("units %+v", r.Units)
	}
	if !strings.Contains(r.StudyArea, StudyForce) || !strings.Contains(r.StudyArea, StudyRingsAlone) {
		t.Fatalf("study area %q", r.StudyArea)
	}
	notes := strings.Join(r.Notes, "\n")
	if !strings.Contains(notes, "300 of 300 offences carry only a month") || !strings.Contains(notes, "Far Away Police has no boundary") {
		t.Fatalf("notes %q", notes)
	}
	// a 7 km x 6.7 km box is about 450 res-9 cells, zeros included
	if sc := r.Units[1].StudyCells; sc < 350 || sc > 550 {
		t.Fatalf("force study cells %d", sc)
	}
	if c := r.Units[1].Cells[0]; c.PeakBand != "" {
		t.Fatalf("month-only peak band %q", c.PeakBand)
	}
	if a := r.Units[1].Areas[0]; a.Dose.Band != "any" || len(a.PeakBands) != 0 || a.Dose.Visits != 12 {
		t.Fatalf("month-only area %+v", a)
	}
	r, err = e.Rank(ctx, hotgrid.Query{Band: "nte"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Units[0].Cells) != 0 || !strings.Contains(strings.Join(r.Notes, " "), `left out of "nte"`) {
		t.Fatalf("nte on month-only data: %+v %q", r.Units[0].Cells, r.Notes)
	}
	k, err := e.Knife(ctx, hotgrid.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Units) != 0 || len(k.Notes) != 1 || !strings.Contains(k.Notes[0], "carry no weapon flag") {
		t.Fatalf("knife on unflagged data: %+v", k)
	}
}

func TestCellDetail(t *testing.T) {
	e := newTestEngine(t, synthOffences(t, 8000, 6))
	ctx := context.Background()
	r, _ := e.Rank(ctx, hotgrid.Query{Units: []string{"U5"}, From: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)})
	top := r.Units[0].Cells[0]
	year := hotgrid.Query{From: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)}
	d, err := e.Cell(ctx, top.H3, year)
	if err != nil {
		t.Fatal(err)
	}
	if d.Unit != "U5" || d.H3 != top.H3 || d.Harm != top.Harm || len(d.Monthly) != 12 {
		t.Fatalf("detail %+v", d.CellScore)
	}
	sum, msum := 0.0, 0.0
	for _, v := range d.ByCategory {
		sum += v
	}
	for _, m := range d.Monthly {
		msum += m.Count
	}
	if math.Abs(sum-d.Count) > 1e-9 || math.Abs(msum-d.Count) > 1e-9 || d.ByBand["any"] != d.Count {
		t.Fatalf("by category %g, monthly %g, count %g, by band %v", sum, msum, d.Count, d.ByBand)
	}
	if _, err := e.Cell(ctx, geo.String(geo.Parent(cellAt(t, orb.Point{0.5, 51}), 9)), hotgrid.Query{}); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
		t.Fatalf("outside cell: %v", err)
	}
	if _, err := e.Cell(ctx, "zz", hotgrid.Query{}); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Fatalf("bad cell: %v", err)
	}
	p := e.Provenance(ctx, hotgrid.Query{})
	if p.WeightsVersion != "test-weights-1" || len(p.Bands) != 10 || p.DataFrom.Year() != 2016 && p.DataFrom.Year() != 2017 {
		t.Fatalf("provenance %+v", p)
	}
}

func TestSignificantOnly(t *testing.T) {
	e := newTestEngine(t, synthOffences(t, 3000, 8))
	r, err := e.Rank(context.Background(), hotgrid.Query{SignificantOnly: true, Top: 50})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ur := range r.Units {
		for _, c := range ur.Cells {
			n++
			if !isHot(c.Class) || c.Q >= 0.10 {
				t.Fatalf("non-significant cell %+v", c)
			}
		}
	}
	if n == 0 {
		t.Fatal("no significant cells in clustered data")
	}
}

func TestBadOffence(t *testing.T) {
	at := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := NewEngine(Config{Weights: defaultTestWeights()}, sliceScan([]hotgrid.Offence{
		{ID: "X1", Source: hotgrid.Source{File: "f.csv", Row: 7}, From: at, To: at.Add(-time.Hour), Cell: 1},
	}))
	if err == nil || !strings.Contains(err.Error(), "f.csv row 7") {
		t.Fatalf("err = %v", err)
	}
}
