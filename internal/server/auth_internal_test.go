package server

import (
	"context"
	"strings"
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
		{"/healthz", "/healthz", true, ""},
		{"/tiles/{rest...}", "/tiles", false, ""},
		{"/tiles/{rest...}", "/tiles/", true, ""},
		{"/{rest...}", "/a/b/", true, "a/b/"},
		{"/api/v1/plans/{id}/agree", "/api/v1/plans/7/agree", true, "7"},
		{"/api/v1/plans/{id}/agree", "/api/v1/plans//agree", false, ""},
		{"/api/v1/plans/{id}/agree", "/api/v1/plans/7", false, ""},
		{"/api/v1/units", "/api/v1/units/x", false, ""},
		{"/api/v1/units", "api/v1/units", false, ""},
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

// splitMatch is the first matchPattern (split both on "/"): the reference
// the allocation-free one must agree with.
func splitMatch(pattern, path string) (map[string]string, bool) {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	params := map[string]string{}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "...}") {
			if i >= len(xs) {
				return nil, false
			}
			params[p[1:len(p)-4]] = strings.Join(xs[i:], "/")
			return params, true
		}
		if i >= len(xs) {
			return nil, false
		}
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if xs[i] == "" {
				return nil, false
			}
			params[p[1:len(p)-1]] = xs[i]
			continue
		}
		if p != xs[i] {
			return nil, false
		}
	}
	return params, len(ps) == len(xs)
}

func FuzzMatchPattern(f *testing.F) {
	for _, p := range []string{"/healthz", "/tiles/{zxy...}", "/{file...}", "/api/v1/plans/{id}", "/api/v1/plans/{id}/agree"} {
		for _, x := range []string{"/", "", "/healthz", "/healthz/", "/tiles", "/tiles/1/2/3.mvt", "/api/v1/plans/3", "/api/v1/plans//agree", "//"} {
			f.Add(p, x)
		}
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		got, ok := matchPattern(pattern, path)
		want, wantOK := splitMatch(pattern, path)
		if ok != wantOK {
			t.Fatalf("%q %q: %v, want %v", pattern, path, ok, wantOK)
		}
		if !ok {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("%q %q: params %v, want %v", pattern, path, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%q %q: params %v, want %v", pattern, path, got, want)
			}
		}
	})
}
