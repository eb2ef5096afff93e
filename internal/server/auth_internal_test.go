package server

import (
	"context"
	"testing"

	"github.com/hotgrid/hotgrid/internal/auth"
)

// TestRouteWithoutPermissionRefused: a route added to the table without a
// permission (or with an unknown one) stops the server from starting.
func TestRouteWithoutPermissionRefused(t *testing.T) {
	h := func(context.Context, *call) *Response { return nil }
	for name, rs := range map[string][]route{
		"no perm":      {{method: "GET", pattern: "/x", h: h}},
		"unknown perm": {{method: "GET", pattern: "/x", perm: "superuser", h: h}},
		"no handler":   {{method: "GET", pattern: "/x", perm: auth.PermView}},
		"twice":        {{method: "GET", pattern: "/x", perm: auth.PermView, h: h}, {method: "GET", pattern: "/x", perm: auth.PermView, h: h}},
	} {
		if err := checkRoutes(rs); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := checkRoutes([]route{{method: "GET", pattern: "/x", perm: auth.PermView, h: h}}); err != nil {
		t.Error(err)
	}
}

func TestMatchPattern(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		ok            bool
		param         string
	}{
		{"/api/v1/plans/{id}", "/api/v1/plans/12", true, "12"},
		{"/api/v1/plans/{id}", "/api/v1/plans/", false, ""},
		{"/api/v1/plans/{id}", "/api/v1/plans/12/agree", false, ""},
		{"/tiles/{rest...}", "/tiles/1/2/3.mvt", true, "1/2/3.mvt"},
		{"/{rest...}", "/", true, ""},
		{"/healthz", "/healthz/", false, ""},
	} {
		ps, ok := matchPattern(c.pattern, c.path)
		if ok != c.ok {
			t.Errorf("%s %s: %v", c.pattern, c.path, ok)
		}
		for _, v := range ps {
			if v != c.param {
				t.Errorf("%s %s: param %q", c.pattern, c.path, v)
			}
		}
	}
}
