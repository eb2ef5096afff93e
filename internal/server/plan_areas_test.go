package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// TestPlanAreas answers a plan's areas as outlines with the plan in the
// provenance, for the map page's coverage view.
func TestPlanAreas(t *testing.T) {
	e := newAuthEnv(t)
	e.addUser(t, "v", hotgrid.RoleViewer, "")
	c := e.login(t, "v", nil)
	r := e.do(c, "GET", fmt.Sprintf("/api/v1/plans/%d/areas", e.plan["BE"]), nil, "")
	if r.Status != 200 || r.Header["Content-Type"] != "application/geo+json" {
		t.Fatalf("%d %v %.200s", r.Status, r.Header, r.Body)
	}
	var doc struct {
		Features []struct {
			Geometry struct {
				Type string `json:"type"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		Provenance hotgrid.Provenance `json:"provenance"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Features) != 2 || doc.Provenance.Plan == nil || doc.Provenance.Plan.ID != e.plan["BE"] {
		t.Fatalf("%d features, plan %+v", len(doc.Features), doc.Provenance.Plan)
	}
	for i, want := range []string{"BE-1", "BE-2"} {
		f := doc.Features[i]
		if f.Properties["kind"] != "patrol_area" || f.Properties["patrol_area"] != want || (f.Geometry.Type != "Polygon" && f.Geometry.Type != "MultiPolygon") {
			t.Errorf("feature %d: %s %v", i, f.Geometry.Type, f.Properties)
		}
	}
	if r := e.do(c, "GET", fmt.Sprintf("/api/v1/plans/%d/areas", e.plan["BE"]), url.Values{"unit": {"BE"}}, ""); r.Status != 400 {
		t.Errorf("unknown parameter: %d", r.Status)
	}
}
