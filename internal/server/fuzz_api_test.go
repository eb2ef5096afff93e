package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzAPI sends fuzzed query strings (and cell and tile path parts) to
// every route of the core over the fake service. Properties: never a 5xx;
// every 4xx is a JSON error with a message, and one naming a parameter
// names one the request had (or a path part: h3, z, x, y); a 200 carries a
// body and an ETag.
func FuzzAPI(f *testing.F) {
	for _, s := range []struct {
		route       uint8
		part, query string
	}{
		{0, "", "unit=BE&band=late&metric=count&top=5"},
		{0, "", "top=0"},
		{0, "", "from=2017-06&to=2017-01"},
		{1, "", "unit=XX"},
		{2, "89195da49b7ffff", "res=9"},
		{2, "zzz", ""},
		{3, "12/2017/1349.mvt", "band=late"},
		{3, "23/0/0.mvt", ""},
		{4, "", "format=kml&layer=cells"},
		{5, "", "significant=maybe"},
		{0, "", "uint=BE"},
		{0, "", "unit=BE&unit=CV"},
		{0, "", "res=12"},
	} {
		f.Add(s.route, s.part, s.query)
	}
	a, _ := newAPI(f)
	routes := []string{"/api/v1/hotgrids", "/api/v1/knife-robbery-hotspots", "/api/v1/cells/", "/tiles/", "/api/v1/export", "/api/v1/summary", "/api/v1/units", "/api/v1/bands"}
	f.Fuzz(func(t *testing.T, route uint8, part, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return // the HTTP layer never passes an unparsable query
		}
		path := routes[int(route)%len(routes)]
		if strings.HasSuffix(path, "/") {
			path += part
		}
		r := a.Get(context.Background(), path, q)
		if r.Status >= 500 {
			t.Fatalf("GET %s?%s = %d %s", path, raw, r.Status, r.Body)
		}
		switch {
		case r.Status >= 400:
			var e struct {
				Error     string `json:"error"`
				Parameter string `json:"parameter"`
			}
			if err := json.Unmarshal(r.Body, &e); err != nil || e.Error == "" {
				t.Fatalf("GET %s?%s = %d with body %q, want a JSON error", path, raw, r.Status, r.Body)
			}
			if p := e.Parameter; p != "" && !hasParam(q, p) && p != "h3" && p != "z" && p != "x" && p != "y" &&
				!(p == "res" && strings.HasPrefix(path, "/api/v1/cells/")) {
				t.Fatalf("GET %s?%s: error names parameter %q the request did not have: %s", path, raw, p, r.Body)
			}
		case r.Status == http.StatusOK:
			if len(r.Body) == 0 || r.Header["ETag"] == "" {
				t.Fatalf("GET %s?%s = 200 without body or ETag", path, raw)
			}
		}
	})
}

// hasParam reports whether q has a parameter named p once JSON has made
// the name valid UTF-8 (each invalid byte becomes U+FFFD).
func hasParam(q url.Values, p string) bool {
	for k := range q {
		b, _ := json.Marshal(k)
		var s string
		if json.Unmarshal(b, &s) == nil && s == p {
			return true
		}
	}
	return false
}
