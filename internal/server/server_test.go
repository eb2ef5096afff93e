package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

var page = fstest.MapFS{
	"index.html": {Data: []byte("<!doctype html><title>hotgrid</title>")},
	"app.js":     {Data: []byte("console.log('hotgrid')")},
}

func newAPI(t testing.TB) (*server.API, *fakeService) {
	t.Helper()
	f := newFake()
	a, err := server.New(server.Config{Service: f, Static: page, Version: "test", Open: true,
		AllowOrigins: []string{"https://intranet.example"}, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return a, f
}

// fc is the part of a FeatureCollection the tests read.
type fc struct {
	Type     string `json:"type"`
	Features []struct {
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	} `json:"features"`
	Provenance struct {
		Notes []string `json:"notes"`
	} `json:"provenance"`
}

func decodeFC(t *testing.T, b []byte) fc {
	t.Helper()
	var c fc
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	if c.Type != "FeatureCollection" {
		t.Fatalf("type %q, want FeatureCollection", c.Type)
	}
	return c
}

// kinds counts features by their "kind" property and unit.
func kinds(c fc) map[string]int {
	n := map[string]int{}
	for _, f := range c.Features {
		n[f.Properties["kind"].(string)]++
		if u, ok := f.Properties["unit"].(string); ok {
			n["unit:"+u]++
		}
	}
	return n
}

// tileAt is the z12 tile over Birmingham.
var tileAt = maptile.At(orb.Point{-1.8904, 52.4862}, 12)

func tilePath(t maptile.Tile) string {
	return "/tiles/" + itoa(int(t.Z)) + "/" + itoa(int(t.X)) + "/" + itoa(int(t.Y)) + ".mvt"
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestRoutes(t *testing.T) {
	a, f := newAPI(t)
	top, _ := f.Rank(context.Background(), hotgrid.Query{Resolution: 9})
	topCell := top.Units[0].Cells[0].H3
	far, _ := geo.CellAt(0.1, 51.5, 9)

	tests := []struct {
		name   string
		path   string
		query  string
		status int
		param  string // parameter named by a 400
		check  func(t *testing.T, body []byte, h map[string]string)
	}{
		{name: "healthz", path: "/healthz", status: 200, check: func(t *testing.T, b []byte, _ map[string]string) {
			if !bytes.Contains(b, []byte(`"status":"ok"`)) || !bytes.Contains(b, []byte(`"units":2`)) {
				t.Fatalf("healthz %s", b)
			}
		}},
		{name: "config", path: "/api/v1/config", status: 200, check: func(t *testing.T, b []byte, _ map[string]string) {
			var c map[string]any
			json.Unmarshal(b, &c)
			if c["default_resolution"] != float64(9) || len(c["metrics"].([]any)) != 3 || len(c["categories"].([]any)) != 14 || c["attribution"] != server.BoundaryAttribution {
				t.Fatalf("config %s", b)
			}
		}},
		{name: "config unknown param", path: "/api/v1/config", query: "x=1", status: 400, param: "x"},
		{name: "units", path: "/api/v1/units", status: 200, check: func(t *testing.T, b []byte, h map[string]string) {
			c := decodeFC(t, b)
			if len(c.Features) != 2 || c.Features[0].Properties["code"] != "BE" || c.Features[1].Properties["name"] != "Coventry" {
				t.Fatalf("units %s", b)
			}
			if h["Content-Type"] != "application/geo+json" {
				t.Fatalf("content type %q", h["Content-Type"])
			}
		}},
		{name: "bands", path: "/api/v1/bands", status: 200, check: func(t *testing.T, b []byte, _ map[string]string) {
			var bs []struct {
				Name string   `json:"name"`
				Days []string `json:"days"`
			}
			json.Unmarshal(b, &bs)
			if len(bs) != 2 || bs[1].Name != "late" || strings.Join(bs[1].Days, ",") != "fri,sat" || len(bs[0].Days) != 7 {
				t.Fatalf("bands %s", b)
			}
		}},
		{name: "hotgrids default", path: "/api/v1/hotgrids", status: 200, check: func(t *testing.T, b []byte, _ map[string]string) {
			c := decodeFC(t, b)
			k := kinds(c)
			if k["cell"] != 20 || k["patrol_area"] != 2 || k["unit:BE"] != 11 {
				t.Fatalf("kinds %v", k)
			}
			p := c.Features[0].Properties
			for _, name := range []string{"h3", "unit", "rank", "count", "harm", "z", "p", "q", "class", "trend", "peak_band", "patrol_area"} {
				if _, ok := p[name]; !ok {
					t.Errorf("cell property %q missing: %v", name, p)
				}
			}
			if p["h3"] != topCell || p["rank"] != float64(1) {
				t.Fatalf("first cell %v, want %s rank 1", p, topCell)
			}
			if !strings.Contains(strings.Join(c.Provenance.Notes, ";"), "fake data") {
				t.Fatalf("notes %v lack the ranking's notes", c.Provenance.Notes)
			}
		}},
		{name: "hotgrids one unit, any case", path: "/api/v1/hotgrids", query: "unit=be&top=3&band=LATE&metric=count&from=2017-01&to=2017-06-30&res=9&category=robbery,Burglary&significant=true", status: 200,
			check: func(t *testing.T, b []byte, _ map[string]string) {
				k := kinds(decodeFC(t, b))
				if k["cell"] != 3 || k["unit:CV"] != 0 {
					t.Fatalf("kinds %v", k)
				}
			}},
		{name: "hotgrids two units", path: "/api/v1/hotgrids", query: "unit=CV,BE&top=2", status: 200, check: func(t *testing.T, b []byte, _ map[string]string) {
			if k := kinds(decodeFC(t, b)); k["cell"] != 4 {
				t.Fatalf("kinds %v", k)
			}
		}},
		{name: "bad unit", path: "/api/v1/hotgrids", query: "unit=XX", status: 400, param: "unit"},
		{name: "bad band", path: "/api/v1/hotgrids", query: "band=dawn", status: 400, param: "band"},
		{name: "bad from", path: "/api/v1/hotgrids", query: "from=2017-13", status: 400, param: "from"},
		{name: "bad to", path: "/api/v1/hotgrids", query: "to=yesterday", status: 400, param: "to"},
		{name: "window backwards", path: "/api/v1/hotgrids", query: "from=2017-06&to=2017-01", status: 400, param: "to"},
		{name: "bad metric", path: "/api/v1/hotgrids", query: "metric=fear", status: 400, param: "metric"},
		{name: "top zero", path: "/api/v1/hotgrids", query: "top=0", status: 400, param: "top"},
		{name: "top not a number", path: "/api/v1/hotgrids", query: "top=ten", status: 400, param: "top"},
		{name: "res too coarse", path: "/api/v1/hotgrids", query: "res=6", status: 400, param: "res"},
		{name: "bad category", path: "/api/v1/hotgrids", query: "category=jaywalking", status: 400, param: "category"},
		{name: "bad significant", path: "/api/v1/hotgrids", query: "significant=maybe", status: 400, param: "significant"},
		{name: "typo parameter", path: "/api/v1/hotgrids", query: "uint=BE", status: 400, param: "uint"},
		{name: "repeated parameter", path: "/api/v1/hotgrids", query: "unit=BE&unit=CV", status: 400, param: "unit"},
		{name: "knife", path: "/api/v1/knife-robbery-hotspots", query: "unit=BE", status: 200, check: func(t *testing.T, b []byte, _ map[string]string) {
			c := decodeFC(t, b)
			if k := kinds(c); k["cell"] != 3 || k["patrol_area"] != 0 {
				t.Fatalf("kinds %v", k)
			}
			if !strings.Contains(strings.Join(c.Provenance.Notes, ";"), "knife: fake data") {
				t.Fatalf("notes %v", c.Provenance.Notes)
			}
		}},
		{name: "knife takes no band", path: "/api/v1/knife-robbery-hotspots", query: "band=late", status: 400, param: "band"},
		{name: "knife bad top", path: "/api/v1/knife-robbery-hotspots", query: "top=-1", status: 400, param: "top"},
		{name: "cell", path: "/api/v1/cells/" + topCell, query: "unit=BE", status: 200, check: func(t *testing.T, b []byte, _ map[string]string) {
			var d map[string]any
			json.Unmarshal(b, &d)
			if d["h3"] != topCell || d["rank"] != float64(1) || d["by_category"] == nil || len(d["monthly"].([]any)) != 2 {
				t.Fatalf("cell %s", b)
			}
		}},
		{name: "cell not h3", path: "/api/v1/cells/nothex", status: 400, param: "h3"},
		{name: "cell outside", path: "/api/v1/cells/" + geo.String(far), status: 404},
		{name: "cell wrong res", path: "/api/v1/cells/" + topCell, query: "res=8", status: 400, param: "res"},
		{name: "cell bad unit", path: "/api/v1/cells/" + topCell, query: "unit=nope", status: 400, param: "unit"},
		{name: "summary", path: "/api/v1/summary", status: 200, check: func(t *testing.T, b []byte, _ map[string]string) {
			var s struct {
				Cells   int                  `json:"cells"`
				BBox    []float64            `json:"bbox"`
				Classes map[string]int       `json:"classes"`
				Breaks  map[string][]float64 `json:"breaks"`
			}
			json.Unmarshal(b, &s)
			if s.Cells != 122 || len(s.BBox) != 4 || s.Classes["hot-99"] != 2 || len(s.Breaks["harm"]) < 3 {
				t.Fatalf("summary %s", b)
			}
			for i := 1; i < len(s.Breaks["harm"]); i++ {
				if s.Breaks["harm"][i] <= s.Breaks["harm"][i-1] {
					t.Fatalf("breaks not increasing: %v", s.Breaks["harm"])
				}
			}
		}},
		{name: "tile", path: tilePath(tileAt), status: 200, check: func(t *testing.T, b []byte, h map[string]string) {
			if h["Content-Type"] != "application/vnd.mapbox-vector-tile" {
				t.Fatalf("content type %q", h["Content-Type"])
			}
			ls, err := mvt.Unmarshal(b)
			if err != nil || len(ls) != 1 || ls[0].Name != "cells" || len(ls[0].Features) == 0 || len(ls[0].Features) > 61 {
				t.Fatalf("tile: %v layers, err %v", ls, err)
			}
			for _, f := range ls[0].Features {
				if f.Properties["unit"] != "BE" || f.Properties["h3"] == nil {
					t.Fatalf("tile feature %v", f.Properties)
				}
			}
		}},
		{name: "tile res auto deep", path: tilePath(tileAt), query: "res=auto", status: 200, check: tileResolution(9)},
		{name: "tile res auto coarse", path: tilePath(maptile.At(orb.Point{-1.8904, 52.4862}, 9)), query: "res=auto", status: 200, check: tileResolution(8)},
		{name: "tile res explicit at low zoom", path: tilePath(maptile.At(orb.Point{-1.8904, 52.4862}, 9)), query: "res=9", status: 200, check: tileResolution(9)},
		{name: "tile res not auto", path: tilePath(tileAt), query: "res=coarse", status: 400, param: "res"},
		{name: "summary res auto is tiles only", path: "/api/v1/summary", query: "res=auto", status: 400, param: "res"},
		{name: "tile filtered", path: tilePath(tileAt), query: "unit=CV", status: 204},
		{name: "empty tile", path: "/tiles/12/0/0.mvt", status: 204},
		{name: "tile zoom too deep", path: "/tiles/23/0/0.mvt", status: 400, param: "z"},
		{name: "tile x out of range", path: "/tiles/2/4/0.mvt", status: 400, param: "x"},
		{name: "tile y out of range", path: "/tiles/2/0/4.mvt", status: 400, param: "y"},
		{name: "tile negative y", path: "/tiles/2/0/-1.mvt", status: 400, param: "y"},
		{name: "tile z not a number", path: "/tiles/a/0/0.mvt", status: 400, param: "z"},
		{name: "tile bad path", path: "/tiles/1/0.mvt", status: 404},
		{name: "tile bad filter", path: tilePath(tileAt), query: "metric=x", status: 400, param: "metric"},
		{name: "export geojson", path: "/api/v1/export", query: "format=geojson&unit=BE", status: 200, check: func(t *testing.T, b []byte, h map[string]string) {
			if k := kinds(decodeFC(t, b)); k["cell"] != 10 {
				t.Fatalf("kinds %v", k)
			}
			if h["Content-Disposition"] != `attachment; filename="hotgrid-hotgrids.geojson"` {
				t.Fatalf("disposition %q", h["Content-Disposition"])
			}
		}},
		{name: "export csv of every cell", path: "/api/v1/export", query: "format=csv&layer=cells&unit=BE", status: 200, check: func(t *testing.T, b []byte, h map[string]string) {
			if !strings.HasPrefix(h["Content-Type"], "text/csv") || bytes.Count(b, []byte(topCell)) == 0 {
				t.Fatalf("csv %q: %.200s", h["Content-Type"], b)
			}
		}},
		{name: "export bad format", path: "/api/v1/export", query: "format=shp", status: 400, param: "format"},
		{name: "export bad layer", path: "/api/v1/export", query: "layer=wards", status: 400, param: "layer"},
		{name: "unknown api route", path: "/api/v1/nope", status: 404},
		{name: "page", path: "/", status: 200, check: func(t *testing.T, b []byte, h map[string]string) {
			if !strings.HasPrefix(h["Content-Type"], "text/html") || !bytes.Contains(b, []byte("<title>hotgrid")) {
				t.Fatalf("page %q %s", h["Content-Type"], b)
			}
		}},
		{name: "page script", path: "/app.js", status: 200, check: func(t *testing.T, b []byte, h map[string]string) {
			if h["Content-Type"] != "text/javascript; charset=utf-8" {
				t.Fatalf("content type %q", h["Content-Type"])
			}
		}},
		{name: "missing page file", path: "/nope.js", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			r := a.Get(context.Background(), tt.path, q)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if r.Header["X-Content-Type-Options"] != "nosniff" || !strings.Contains(r.Header["Content-Security-Policy"], "frame-ancestors 'none'") {
				t.Fatalf("security headers missing: %v", r.Header)
			}
			if tt.status >= 400 {
				var e struct{ Error, Parameter string }
				if err := json.Unmarshal(r.Body, &e); err != nil || e.Error == "" {
					t.Fatalf("error body %s: %v", r.Body, err)
				}
				if e.Parameter != tt.param {
					t.Fatalf("parameter %q, want %q (%s)", e.Parameter, tt.param, e.Error)
				}
				return
			}
			if tt.status == 204 {
				if len(r.Body) != 0 {
					t.Fatalf("204 with a body")
				}
				return
			}
			if tt.path != "/healthz" && (r.Header["ETag"] == "" || r.Header["Cache-Control"] == "") {
				t.Fatalf("no ETag/Cache-Control: %v", r.Header)
			}
			if tt.check != nil {
				tt.check(t, r.Body, r.Header)
			}
		})
	}
}

func TestETag(t *testing.T) {
	a, f := newAPI(t)
	ctx := context.Background()
	for _, path := range []string{"/api/v1/hotgrids", "/api/v1/units", tilePath(tileAt), "/"} {
		first := a.Serve(ctx, server.Request{Method: "GET", Path: path})
		etag := first.Header["ETag"]
		if first.Status != 200 || etag == "" {
			t.Fatalf("%s: status %d etag %q", path, first.Status, etag)
		}
		again := a.Serve(ctx, server.Request{Method: "GET", Path: path, IfNoneMatch: `"other", ` + etag})
		if again.Status != http.StatusNotModified || len(again.Body) != 0 || again.Header["ETag"] != etag {
			t.Fatalf("%s: revalidation gave %d with %d bytes", path, again.Status, len(again.Body))
		}
		stale := a.Serve(ctx, server.Request{Method: "GET", Path: path, IfNoneMatch: `"other"`})
		if stale.Status != 200 || !bytes.Equal(stale.Body, first.Body) {
			t.Fatalf("%s: stale etag gave %d", path, stale.Status)
		}
	}
	// a different query is a different answer with a different ETag
	q := url.Values{"unit": {"BE"}}
	if a.Get(ctx, "/api/v1/hotgrids", q).Header["ETag"] == a.Get(ctx, "/api/v1/hotgrids", nil).Header["ETag"] {
		t.Fatal("same ETag for different queries")
	}
	// answers are cached: asking again does not score again
	a.Get(ctx, tilePath(tileAt), q)
	n := f.calls.Load()
	for range 5 {
		a.Get(ctx, "/api/v1/hotgrids", q)
		a.Get(ctx, tilePath(tileAt), q)
	}
	if got := f.calls.Load(); got != n {
		t.Fatalf("%d scoring calls for cached answers", got-n)
	}
}

func TestGzipHeadMethods(t *testing.T) {
	a, _ := newAPI(t)
	ctx := context.Background()
	plain := a.Get(ctx, "/api/v1/hotgrids", nil)
	z := a.Serve(ctx, server.Request{Method: "GET", Path: "/api/v1/hotgrids", AcceptEncoding: "gzip, br"})
	if z.Header["Content-Encoding"] != "gzip" {
		t.Fatalf("no gzip: %v", z.Header)
	}
	if z.Header["ETag"] == plain.Header["ETag"] || z.Header["ETag"] == "" {
		t.Fatalf("gzip and identity share ETag %s", z.Header["ETag"])
	}
	if r := a.Serve(ctx, server.Request{Method: "GET", Path: "/api/v1/hotgrids", AcceptEncoding: "gzip", IfNoneMatch: z.Header["ETag"]}); r.Status != 304 {
		t.Fatalf("gzip revalidation: %d", r.Status)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z.Body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if !bytes.Equal(b, plain.Body) {
		t.Fatal("gzip body differs")
	}
	tz := a.Serve(ctx, server.Request{Method: "GET", Path: tilePath(tileAt), AcceptEncoding: "gzip"})
	tp := a.Serve(ctx, server.Request{Method: "GET", Path: tilePath(tileAt)})
	if tz.Header["Content-Encoding"] != "gzip" || tp.Header["Content-Encoding"] != "" || len(tz.Body) >= len(tp.Body) {
		t.Fatalf("tile gzip: %v, %d vs %d bytes", tz.Header["Content-Encoding"], len(tz.Body), len(tp.Body))
	}
	if h := a.Serve(ctx, server.Request{Method: "HEAD", Path: "/api/v1/hotgrids"}); h.Status != 200 || len(h.Body) != 0 {
		t.Fatalf("HEAD: %d with %d bytes", h.Status, len(h.Body))
	}
	if p := a.Serve(ctx, server.Request{Method: "POST", Path: "/api/v1/hotgrids"}); p.Status != 405 || p.Header["Allow"] == "" {
		t.Fatalf("POST: %d %v", p.Status, p.Header)
	}
}

func TestCORS(t *testing.T) {
	a, _ := newAPI(t)
	ctx := context.Background()
	ok := a.Serve(ctx, server.Request{Method: "GET", Path: "/api/v1/bands", Origin: "https://intranet.example"})
	if ok.Header["Access-Control-Allow-Origin"] != "https://intranet.example" {
		t.Fatalf("allowed origin not echoed: %v", ok.Header)
	}
	no := a.Serve(ctx, server.Request{Method: "GET", Path: "/api/v1/bands", Origin: "https://evil.example"})
	if _, ok := no.Header["Access-Control-Allow-Origin"]; ok {
		t.Fatalf("other origin allowed: %v", no.Header)
	}
	for _, bad := range []string{"*", "intranet", "https://x.example/path"} {
		if _, err := server.New(server.Config{Service: newFake(), Open: true, AllowOrigins: []string{bad}}); err == nil {
			t.Errorf("origin %q accepted", bad)
		}
	}
	if _, err := server.New(server.Config{Service: newFake(), Open: true, Basemap: "ftp://tiles"}); err == nil {
		t.Error("ftp basemap accepted")
	}
	b, err := server.New(server.Config{Service: newFake(), Open: true, Basemap: "https://tiles.example/{z}/{x}/{y}.png"})
	if err != nil {
		t.Fatal(err)
	}
	if csp := b.Get(ctx, "/healthz", nil).Header["Content-Security-Policy"]; !strings.Contains(csp, "img-src 'self' data: blob: https://tiles.example") {
		t.Fatalf("basemap not in CSP: %s", csp)
	}
}

// TestFiber runs the fiber adapter on a real listener and shuts it down.
func TestFiber(t *testing.T) {
	a, _ := newAPI(t)
	s := server.NewServer(a, server.Options{LogRequests: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	res, err := http.Get(base + "/api/v1/hotgrids?unit=XX")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 400 || !bytes.Contains(body, []byte(`"parameter":"unit"`)) || res.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("bad unit over HTTP: %d %s %v", res.StatusCode, body, res.Header)
	}

	res, err = http.Get(base + "/api/v1/hotgrids?unit=BE")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	etag := res.Header.Get("ETag")
	if res.StatusCode != 200 || etag == "" || !bytes.Contains(body, []byte("FeatureCollection")) {
		t.Fatalf("hotgrids over HTTP: %d %q", res.StatusCode, etag)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/hotgrids?unit=BE", nil)
	req.Header.Set("If-None-Match", etag)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 304 {
		t.Fatalf("revalidation over HTTP: %d", res.StatusCode)
	}

	res, err = http.Get(base + "/tiles/12/0/0.mvt")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 204 {
		t.Fatalf("empty tile over HTTP: %d", res.StatusCode)
	}

	big := strings.NewReader(strings.Repeat("x", 5<<20)) // over the 4 MiB default
	res, err = http.Post(base+"/api/v1/hotgrids", "text/plain", big)
	if err == nil {
		res.Body.Close()
		if res.StatusCode != 413 {
			t.Fatalf("oversized body: %d", res.StatusCode)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("server still answering after shutdown")
	}
}

// tileResolution checks that every cell of a tile is of resolution res.
func tileResolution(res int) func(t *testing.T, b []byte, _ map[string]string) {
	return func(t *testing.T, b []byte, _ map[string]string) {
		ls, err := mvt.Unmarshal(b)
		if err != nil || len(ls) != 1 || len(ls[0].Features) == 0 {
			t.Fatalf("tile: %v layers, err %v", ls, err)
		}
		for _, f := range ls[0].Features {
			h, _ := f.Properties["h3"].(string)
			if id, err := geo.ParseCell(h); err != nil || geo.Resolution(id) != res {
				t.Fatalf("cell %q in the tile: err %v, want resolution %d", h, err, res)
			}
		}
	}
}

func TestWarm(t *testing.T) {
	a, f := newAPI(t)
	a.Warm(context.Background())
	n := f.calls.Load()
	if n == 0 {
		t.Fatal("warm-up scored nothing")
	}
	low := maptile.At(orb.Point{-1.8904, 52.4862}, 9)
	for _, p := range []struct {
		path  string
		query url.Values
	}{
		{"/api/v1/hotgrids", nil},
		{"/api/v1/summary", nil},
		{"/api/v1/summary", url.Values{"res": {"8"}}},
		{"/api/v1/knife-robbery-hotspots", nil},
		{tilePath(low), url.Values{"res": {"auto"}}},
		{tilePath(maptile.At(orb.Point{-1.8904, 52.4862}, 10)), url.Values{"res": {"auto"}}},
	} {
		if r := a.Get(context.Background(), p.path, p.query); r.Status != 200 {
			t.Fatalf("%s?%s: %d", p.path, p.query.Encode(), r.Status)
		}
	}
	if got := f.calls.Load(); got != n {
		t.Fatalf("the page's first requests scored %d more times after warm-up", got-n)
	}
}

// TestLowZoomTilesKept: a tile of zoom 10 or less is drawn once and shared
// (after Warm, the map's first tiles are already drawn); deeper tiles are
// drawn per request; DataChanged drops the kept ones.
func TestLowZoomTilesKept(t *testing.T) {
	type Response = server.Response
	a, _ := newAPI(t)
	ctx := context.Background()
	path := func(t maptile.Tile) string { return fmt.Sprintf("/tiles/%d/%d/%d.mvt", t.Z, t.X, t.Y) }
	low := maptile.At(orb.Point{-1.8904, 52.4862}, 9)
	a.Warm(ctx)
	shared := func(a, b *Response) bool { return len(a.Body) > 0 && len(b.Body) > 0 && &a.Body[0] == &b.Body[0] }
	r1, r2 := a.Get(ctx, path(low), nil), a.Get(ctx, path(low), nil)
	if r1.Status != 200 || !shared(r1, r2) {
		t.Fatalf("zoom 9 tile: status %d, kept answer shared: %v", r1.Status, shared(r1, r2))
	}
	if d1, d2 := a.Get(ctx, path(tileAt), nil), a.Get(ctx, path(tileAt), nil); d1.Status != 200 || shared(d1, d2) || !bytes.Equal(d1.Body, d2.Body) {
		t.Errorf("zoom 12 tile: status %d, drawn per request: %v, same bytes: %v", d1.Status, !shared(d1, d2), bytes.Equal(d1.Body, d2.Body))
	}
	a.DataChanged()
	if r3 := a.Get(ctx, path(low), nil); shared(r3, r1) || !bytes.Equal(r3.Body, r1.Body) {
		t.Errorf("after DataChanged the kept tile was reused (%v) or differs (%v)", shared(r3, r1), !bytes.Equal(r3.Body, r1.Body))
	}
}
