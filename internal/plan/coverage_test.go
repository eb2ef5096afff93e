package plan_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
)

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 9, 64) }

func TestBandDay(t *testing.T) {
	night := testBands()[2]
	fri := time.Date(2017, 6, 2, 0, 0, 0, 0, time.UTC) // a Friday
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{fri.Add(21 * time.Hour), "2017-06-02"},
		{fri.Add(26 * time.Hour), "2017-06-02"}, // Saturday 02:00 is Friday night
		{fri.Add(50 * time.Hour), "2017-06-03"}, // Sunday 02:00 is Saturday night
		{fri.Add(2 * time.Hour), ""},            // Friday 02:00 belongs to Thursday: no band
		{fri.Add(12 * time.Hour), ""},
	} {
		d, ok := plan.BandDay(night, c.at)
		got := ""
		if ok {
			got = d.Format(time.DateOnly)
		}
		if got != c.want {
			t.Errorf("%v: %q, want %q", c.at, got, c.want)
		}
	}
}

func TestCoverage(t *testing.T) {
	loc := london(t)
	p := &hotgrid.Plan{ID: 3, Unit: "B1", From: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC),
		Areas: []hotgrid.PlanArea{
			{ID: "A", Doses: []hotgrid.Dose{{Band: "night", VisitMinutes: 15, Visits: 2}}},
			{ID: "B", Doses: []hotgrid.Dose{{Band: "day", VisitMinutes: 20, Visits: 1}}},
		}}
	at := func(day, h, m int) time.Time { return time.Date(2017, 6, day, h, m, 0, 0, loc) }
	logs := []hotgrid.PatrolLog{
		{PlanID: 3, Area: "A", Start: at(2, 21, 0), Minutes: 15},  // Fri night visit 1
		{PlanID: 3, Area: "A", Start: at(3, 1, 30), Minutes: 15},  // Fri night visit 2 (after midnight)
		{PlanID: 3, Area: "A", Start: at(3, 22, 0), Minutes: 10},  // Sat night, short
		{PlanID: 3, Area: "B", Start: at(2, 9, 0), Minutes: 25},   // Fri day covered
		{PlanID: 3, Area: "B", Start: at(3, 17, 0), Minutes: 25},  // Sat outside the day band
		{PlanID: 9, Area: "B", Start: at(3, 9, 0), Minutes: 25},   // another plan's log
		{PlanID: 3, Area: "Z", Start: at(3, 9, 0), Minutes: 25},   // unknown area
		{PlanID: 3, Area: "A", Start: at(10, 1, 0), Minutes: 100}, // outside the window
	}
	cov, err := plan.BuildCoverage(p, logs, testBands(), loc, time.Date(2017, 6, 2, 0, 0, 0, 0, time.UTC), time.Date(2017, 6, 4, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range cov.Rows {
		got = append(got, fmt.Sprintf("%s %s %s %d/%d %d/%d %s", r.Date, r.Band, r.Area, r.LoggedMinutes, r.NeedMinutes, r.Visits, r.NeedVisits, r.Status))
	}
	want := []string{
		"2017-06-02 night A 30/30 2/2 covered",
		"2017-06-02 day B 25/20 1/1 covered",
		"2017-06-03 night A 10/30 1/2 short",
		"2017-06-03 day B 0/20 0/1 missed",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("coverage:\n%v\nwant\n%v", got, want)
	}
	if cov.Covered != 2 || cov.Short != 1 || cov.Missed != 1 || cov.From != "2017-06-02" || cov.To != "2017-06-04" {
		t.Errorf("totals = %+v", cov)
	}
	// window defaults to the plan period; a Thursday has no night band
	full, _ := plan.BuildCoverage(p, nil, testBands(), loc, time.Time{}, time.Time{})
	if len(full.Rows) != 30+9 || full.Missed != len(full.Rows) {
		t.Errorf("full month: %d rows (%d missed), want 39", len(full.Rows), full.Missed)
	}
	p.Areas[0].Doses[0].Band = "lunch"
	if _, err := plan.BuildCoverage(p, nil, testBands(), loc, time.Time{}, time.Time{}); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Errorf("unknown band: %v", err)
	}
}
