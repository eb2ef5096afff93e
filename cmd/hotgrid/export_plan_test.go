package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

// planStore makes a SQLite store holding one plan of unit BW over the small
// fixed input's first patrol area, agreed by "chair" when agree is set.
func planStore(t *testing.T, agree bool) (string, *hotgrid.Plan) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "plans.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	band := hotgrid.Band{Name: "fri-sat-night", Start: 20 * 60, End: 4 * 60}
	band.Days[time.Friday], band.Days[time.Saturday] = true, true
	svc := &plan.Service{Store: db, Bands: []hotgrid.Band{{Name: hotgrid.AnyTimeBand, AnyTime: true}, band}}
	in := exporttest.Small()
	p := &hotgrid.Plan{Unit: "BW", From: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC),
		Areas: []hotgrid.PlanArea{{ID: "BW-1", Rank: 1, Cells: in.Areas[0].Cells, Harm: in.Areas[0].Harm,
			Doses: []hotgrid.Dose{{Band: "fri-sat-night", VisitMinutes: 15, Visits: 4}}}}}
	if err := svc.Create(ctx, p, "planner"); err != nil {
		t.Fatal(err)
	}
	if agree {
		q, err := svc.Transition(ctx, p.ID, p.Version, hotgrid.PlanProposed, "planner")
		if err == nil {
			p, err = svc.Transition(ctx, q.ID, q.Version, hotgrid.PlanAgreed, "chair")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return path, p
}

// TestExportPlan exports an agreed plan from the store: its areas and
// cells, the plan's id, version, state and agreement in the provenance of
// the GeoJSON and in the CSV's provenance sidecar.
func TestExportPlan(t *testing.T) {
	db, p := planStore(t, true)
	dir := t.TempDir()
	svc := &fixedService{}
	gj := filepath.Join(dir, "plan.geojson")
	if out, err := runExportFixed(t, svc, "--format", "geojson", "--out", gj, "--db", db, "--plan", fmt.Sprint(p.ID), "--from", "2017-03"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(svc.last.Units) != 1 || svc.last.Units[0] != "BW" || svc.last.From.IsZero() {
		t.Errorf("cells scored for %+v, want unit BW over the window", svc.last)
	}
	b, err := os.ReadFile(gj)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Name     string `json:"name"`
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		Provenance hotgrid.Provenance `json:"provenance"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	pl := doc.Provenance.Plan
	if pl == nil || pl.ID != p.ID || pl.State != hotgrid.PlanAgreed || pl.AgreedBy != "chair" || pl.AgreedAt.IsZero() || pl.Version != p.Version {
		t.Fatalf("provenance plan %+v", pl)
	}
	areas, cells := 0, 0
	for _, f := range doc.Features {
		switch f.Properties["kind"] {
		case "patrol_area":
			areas++
			if f.Properties["patrol_area"] != "BW-1" && f.Properties["id"] != "BW-1" {
				t.Errorf("area %v", f.Properties)
			}
		case "cell":
			cells++
			if f.Properties["patrol_area"] != "BW-1" {
				t.Errorf("cell not in the plan's area: %v", f.Properties)
			}
		}
	}
	if areas != 1 || cells != len(p.Areas[0].Cells) {
		t.Errorf("%d areas and %d cells, want 1 and %d", areas, cells, len(p.Areas[0].Cells))
	}

	csvPath := filepath.Join(dir, "plan.csv")
	if out, err := runExportFixed(t, svc, "--format", "csv", "--out", csvPath, "--db", db, "--plan", fmt.Sprint(p.ID)); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	side, err := os.ReadFile(csvPath + ".provenance.json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(side), `"agreed_by": "chair"`) || !strings.Contains(string(side), fmt.Sprintf(`"id": %d`, p.ID)) {
		t.Errorf("csv provenance sidecar lacks the plan:\n%s", side)
	}
}

func TestExportPlanErrors(t *testing.T) {
	db, p := planStore(t, false)
	out := filepath.Join(t.TempDir(), "x.geojson")
	id := fmt.Sprint(p.ID)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--plan", id}, "--plan needs --db"},
		{[]string{"--plan", id, "--db", db, "--all"}, "cannot be combined"},
		{[]string{"--plan", id, "--db", db, "--unit", "BE"}, "cannot be combined"},
		{[]string{"--plan", "-3", "--db", db}, "not a plan id"},
		{[]string{"--plan", "999", "--db", db}, "plan 999"},
		{[]string{"--plan", id, "--db", filepath.Join(t.TempDir(), "missing.db")}, "missing.db"},
	} {
		_, err := runExportFixed(t, &fixedService{}, append([]string{"--format", "geojson", "--out", out}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error with %q", c.args, err, c.want)
		}
	}
	// a draft exports, saying it is not agreed
	if _, err := runExportFixed(t, &fixedService{}, "--format", "geojson", "--out", out, "--plan", id, "--db", db); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "not agreed") || !strings.Contains(string(b), `"state":"draft"`) {
		t.Errorf("draft plan export does not say so: %.300s", b)
	}
}
