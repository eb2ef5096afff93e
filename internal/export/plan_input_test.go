package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

func agreedPlan(in export.Input) *hotgrid.Plan {
	return &hotgrid.Plan{ID: 42, Unit: "BW", Version: 3, State: hotgrid.PlanAgreed,
		From: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC),
		AgreedBy: "chair", AgreedAt: time.Date(2017, 5, 28, 10, 30, 0, 0, time.UTC),
		Areas: []hotgrid.PlanArea{{ID: "BW-1", Rank: 1, Cells: append(append([]string(nil), in.Areas[0].Cells...), "89195da49b7ffff"),
			Count: 9, Harm: 99, Doses: []hotgrid.Dose{{Band: "fri-sat-night", VisitMinutes: 15, Visits: 4}}}}}
}

// TestPlanInput exports an agreed plan: its areas, its cells with their
// scores and area, and the plan (id, version, state, agreed by and at) in
// the provenance of every format.
func TestPlanInput(t *testing.T) {
	small := exporttest.Small()
	p := agreedPlan(small)
	in := export.PlanInput(p, small.Cells, exporttest.Provenance())
	if in.Layer != "hotgrid-plan-42" || len(in.Areas) != 1 || in.Areas[0].ID != "BW-1" {
		t.Fatalf("input %q %+v", in.Layer, in.Areas)
	}
	if len(in.Cells) != len(p.Areas[0].Cells) {
		t.Fatalf("%d cells, want the plan's %d", len(in.Cells), len(p.Areas[0].Cells))
	}
	byH3 := map[string]hotgrid.CellScore{}
	for _, c := range small.Cells {
		byH3[c.H3] = c
	}
	for _, c := range in.Cells {
		if c.Area != "BW-1" {
			t.Errorf("cell %s in area %q", c.H3, c.Area)
		}
		if want, ok := byH3[c.H3]; ok && (c.Harm != want.Harm || c.Rank != want.Rank) {
			t.Errorf("cell %s lost its scores: %+v", c.H3, c)
		}
		if _, ok := byH3[c.H3]; !ok && (c.Unit != "BW" || c.Harm != 0) {
			t.Errorf("unscored cell %+v", c)
		}
	}
	pl := in.Provenance.Plan
	if pl == nil || pl.ID != 42 || pl.Version != 3 || pl.State != hotgrid.PlanAgreed || pl.AgreedBy != "chair" || !pl.AgreedAt.Equal(p.AgreedAt) {
		t.Fatalf("plan provenance %+v", pl)
	}
	note := in.Provenance.Notes[len(in.Provenance.Notes)-1]
	if !strings.Contains(note, "Patrol plan 42") || !strings.Contains(note, "2017-06-01 to 2017-06-30") || !strings.Contains(note, "agreed by chair at 2017-05-28T10:30:00Z") {
		t.Errorf("note %q", note)
	}
	if exporttest.Provenance().Plan != nil || len(exporttest.Provenance().Notes) != 1 {
		t.Error("PlanInput changed the caller's provenance")
	}

	var gj bytes.Buffer
	if err := export.Write(context.Background(), &gj, "geojson", in); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		Provenance struct {
			Plan hotgrid.PlanProvenance `json:"plan"`
		} `json:"provenance"`
	}
	if err := json.Unmarshal(gj.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Provenance.Plan.ID != 42 || doc.Provenance.Plan.AgreedBy != "chair" {
		t.Errorf("geojson provenance plan %+v", doc.Provenance.Plan)
	}
	areas := 0
	for _, f := range doc.Features {
		if f.Properties["kind"] == "patrol_area" {
			areas++
		}
	}
	if areas != 1 || len(doc.Features) != len(in.Cells)+1 {
		t.Errorf("geojson: %d features, %d areas", len(doc.Features), areas)
	}
	for _, format := range []string{"kml", "csv"} {
		var b bytes.Buffer
		if err := export.Write(context.Background(), &b, format, in); err != nil {
			t.Fatal(err)
		}
		switch format {
		case "kml":
			for _, want := range []string{`name="plan_id"`, "<value>42</value>", `name="plan_agreed_by"`, "<value>chair</value>", `name="plan_state"`} {
				if !strings.Contains(b.String(), want) {
					t.Errorf("kml lacks %s", want)
				}
			}
		case "csv":
			if rows := strings.Count(b.String(), "\n"); rows != len(in.Cells)+1 || !strings.Contains(b.String(), ",BW-1,") {
				t.Errorf("csv: %d lines, want %d with the area:\n%s", rows, len(in.Cells)+1, b.String())
			}
		}
	}
}

// TestPlanNoteDraft says a plan not agreed is a draft.
func TestPlanNoteDraft(t *testing.T) {
	p := agreedPlan(exporttest.Small())
	p.State, p.AgreedBy, p.AgreedAt = hotgrid.PlanProposed, "", time.Time{}
	if n := export.PlanNote(p); !strings.Contains(n, "is proposed: not agreed") {
		t.Errorf("note %q", n)
	}
}
