package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// TestBadParameters is the hostile-input table for the API: every bad
// value of every parameter of every scored route gets a 400 whose JSON
// names the parameter; never a 500, never an answer.
func TestBadParameters(t *testing.T) {
	a, _ := newAPI(t)
	bad := []struct{ param, value string }{
		{"unit", "XX"}, {"unit", "BE,XX"}, {"band", "brunch"}, {"from", "2017-13"}, {"from", "yesterday"},
		{"to", "2017-02-30"}, {"to", "1e9"}, {"metric", "danger"}, {"res", "6"}, {"res", "12"}, {"res", "9.5"},
		{"res", "NaN"}, {"category", "jaywalking"}, {"category", "robbery,,x"}, {"significant", "maybe"},
		{"top", "0"}, {"top", "501"}, {"top", "-1"}, {"top", "99999999999999999999"}, {"format", "docx"},
		{"layer", "everything"}, {"uint", "BE"},
	}
	routes := map[string]bool{"/api/v1/hotgrids": true, "/api/v1/knife-robbery-hotspots": true, "/api/v1/summary": true,
		"/api/v1/export": true, "/tiles/12/2017/1349.mvt": true, "/api/v1/cells/89195da49b7ffff": true}
	// A value a route takes must be valid; a parameter it does not take is
	// refused as unknown: either way a 400 naming the parameter.
	for path := range routes {
		for _, b := range bad {
			q := url.Values{}
			name := b.param
			q.Set(name, b.value)
			r := a.Get(context.Background(), path, q)
			if r.Status != http.StatusBadRequest {
				t.Errorf("GET %s?%s = %d %s, want 400", path, q.Encode(), r.Status, r.Body)
				continue
			}
			var e struct{ Error, Parameter string }
			if err := json.Unmarshal(r.Body, &e); err != nil || e.Error == "" || e.Parameter != name {
				t.Errorf("GET %s?%s: body %s, want an error naming %q", path, q.Encode(), r.Body, name)
			}
		}
	}
	// the bad pair of from/to names the window's end
	r := a.Get(context.Background(), "/api/v1/hotgrids", url.Values{"from": {"2017-06"}, "to": {"2017-01"}})
	if r.Status != http.StatusBadRequest || !json.Valid(r.Body) {
		t.Fatalf("from after to: %d %s", r.Status, r.Body)
	}
	// tile coordinates
	for _, p := range []struct{ path, param string }{
		{"/tiles/23/0/0.mvt", "z"}, {"/tiles/-1/0/0.mvt", "z"}, {"/tiles/3/8/0.mvt", "x"}, {"/tiles/3/0/8.mvt", "y"},
		{"/tiles/a/0/0.mvt", "z"}, {"/tiles/3/0/b.mvt", "y"},
	} {
		r := a.Get(context.Background(), p.path, nil)
		var e struct{ Error, Parameter string }
		if r.Status != http.StatusBadRequest || json.Unmarshal(r.Body, &e) != nil || e.Parameter != p.param {
			t.Errorf("GET %s = %d %s, want 400 naming %s", p.path, r.Status, r.Body, p.param)
		}
	}
	// a malformed cell index names h3
	r = a.Get(context.Background(), "/api/v1/cells/not-a-cell", nil)
	if r.Status != http.StatusBadRequest || !json.Valid(r.Body) {
		t.Fatalf("bad cell: %d %s", r.Status, r.Body)
	}
}
