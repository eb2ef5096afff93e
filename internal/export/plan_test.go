package export_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

func TestPlanAreas(t *testing.T) {
	in := exporttest.Small()
	p := &hotgrid.Plan{Unit: "BW", State: hotgrid.PlanAgreed, Areas: []hotgrid.PlanArea{{
		ID: "BW-1", Rank: 1, Cells: in.Areas[0].Cells, Count: 9, Harm: 99,
		Doses: []hotgrid.Dose{{Band: "fri-sat-night", VisitMinutes: 15, EveryMinutes: 60, Visits: 6}, {Band: "weekday-evening", VisitMinutes: 10}},
	}}}
	areas := export.PlanAreas(p)
	if len(areas) != 1 {
		t.Fatalf("%d areas", len(areas))
	}
	a := areas[0]
	if a.ID != "BW-1" || a.Unit != "BW" || a.Rank != 1 || len(a.Cells) != 3 || a.Harm != 99 || a.Dose.Visits != 6 ||
		len(a.PeakBands) != 2 || a.PeakBands[1] != "weekday-evening" {
		t.Errorf("plan area %+v", a)
	}
	in.Areas = areas
	if err := export.Write(context.Background(), &bytes.Buffer{}, "gpkg", in); err != nil {
		t.Errorf("exporting a plan's areas: %v", err)
	}
}
