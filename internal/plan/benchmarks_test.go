package plan_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/plan/plantest"
)

// benchPlan has 50 areas with a day and a night dose, and a month of four
// patrols a day per area.
func benchPlan() (*hotgrid.Plan, []hotgrid.PatrolLog) {
	cells := plantest.Cells(50)
	p := &hotgrid.Plan{ID: 1, Unit: "B1", From: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC)}
	var logs []hotgrid.PatrolLog
	for i, c := range cells {
		id := fmt.Sprintf("A%d", i)
		p.Areas = append(p.Areas, hotgrid.PlanArea{ID: id, Rank: i + 1, Harm: float64(100 - i), Cells: []string{c},
			Doses: []hotgrid.Dose{{Band: "day", VisitMinutes: 15, Visits: 2}, {Band: "night", VisitMinutes: 20, Visits: 1}}})
		for d := 0; d < 30; d++ {
			for h := 9; h < 24; h += 4 {
				logs = append(logs, hotgrid.PatrolLog{PlanID: 1, Area: id, Start: p.From.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour), Minutes: 15})
			}
		}
	}
	return p, logs
}

func BenchmarkCoverage(b *testing.B) {
	p, logs := benchPlan()
	bands := testBands()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := plan.BuildCoverage(p, logs, bands, time.UTC, time.Time{}, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFitCapacity(b *testing.B) {
	p, _ := benchPlan()
	caps := []hotgrid.Capacity{{Band: "day", Minutes: 600}, {Band: "night", Minutes: 300}}
	b.ReportAllocs()
	for b.Loop() {
		plan.FitCapacity(p, caps)
	}
}
