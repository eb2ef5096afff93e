package server_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/mapsvg"
	"github.com/hotgrid/hotgrid/internal/server"
)

// picture is the part of /api/v1/map.svg the tests read.
type picture struct {
	View   string `xml:"data-view,attr"`
	Cells  int    `xml:"data-cells,attr"`
	Title  string `xml:"title"`
	Badges []struct {
		Rank int    `xml:"data-rank,attr"`
		H3   string `xml:"data-h3,attr"`
	} `xml:"g"`
	Circles []struct{} `xml:"circle"`
	Texts   []string   `xml:"text"`
}

func getPicture(t *testing.T, a *server.API, query string) (picture, map[string]string) {
	t.Helper()
	q, _ := url.ParseQuery(query)
	r := a.Get(context.Background(), "/api/v1/map.svg", q)
	if r.Status != http.StatusOK {
		t.Fatalf("map.svg?%s: %d %s", query, r.Status, r.Body)
	}
	if r.Header["Content-Type"] != "image/svg+xml" || r.Header["ETag"] == "" {
		t.Fatalf("map.svg?%s headers %v", query, r.Header)
	}
	var p picture
	if err := xml.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("map.svg?%s is not SVG: %v", query, err)
	}
	if p.View != r.Header[server.HeaderView] {
		t.Fatalf("data-view %q, %s %q", p.View, server.HeaderView, r.Header[server.HeaderView])
	}
	return p, r.Header
}

func TestMapSVG(t *testing.T) {
	a, f := newAPI(t)
	all, _ := getPicture(t, a, "width=1020&height=860")
	if all.Cells == 0 || len(all.Badges) != 20 || len(all.Circles) == 0 || len(all.Texts) != 2 {
		t.Fatalf("force view: %d cells, %d badges, %d circles, names %q", all.Cells, len(all.Badges), len(all.Circles), all.Texts)
	}
	// fitted to the units as the page fits them (40 pixels clear)
	var bound = f.units[0].Geometry.Bound().Union(f.units[1].Geometry.Bound())
	want := mapsvg.Fit(bound, 1020, 860, mapsvg.Padding{Top: 40, Right: 40, Bottom: 40, Left: 40}, 7, 18)
	if all.View != want.String() {
		t.Errorf("view %s; the page's fit %s", all.View, want)
	}
	be, _ := getPicture(t, a, "unit=BE&width=600&height=400&top=3")
	if len(be.Badges) != 3 || be.Title != "hotgrid: hot grids of BE, any time, ranked by harm" {
		t.Errorf("unit BE top 3: %d badges, title %q", len(be.Badges), be.Title)
	}
	for _, b := range be.Badges {
		if !strings.HasPrefix(b.H3, "89") {
			t.Errorf("badge %+v", b)
		}
	}
	if be.View == all.View {
		t.Error("a unit's picture has the force's view")
	}
	// at a camera given by the page's hash; hidden layers are left out
	at, _ := getPicture(t, a, "map=12/52.48/-1.89&hide=grids,knife,units&width=300&height=200")
	if at.View != "12.0000/52.480000/-1.890000" || len(at.Badges) != 0 || len(at.Circles) != 0 || len(at.Texts) != 0 {
		t.Errorf("hidden layers: view %s, %d badges, %d circles, %d names", at.View, len(at.Badges), len(at.Circles), len(at.Texts))
	}
	// further out than the cells' tiles go, no hexagons, as on the page
	if out, _ := getPicture(t, a, "map=7.5/52.48/-1.89"); out.Cells != 0 {
		t.Errorf("zoom 7.5: %d cells drawn", out.Cells)
	}
	class, _ := getPicture(t, a, "colour=class&width=1020&height=860")
	if class.Cells != all.Cells {
		t.Errorf("coloured by class: %d cells; by metric %d", class.Cells, all.Cells)
	}
}

// TestMapSVGResolution: the hexagons follow the zoom as the page's tiles
// do (resolution 8 on tiles of zoom 9 and less, 9 deeper); res= fixes them.
func TestMapSVGResolution(t *testing.T) {
	a, _ := newAPI(t)
	// width is the width in pixels of the first hexagon drawn, per unit of
	// zoom scale: about 2.6 times as much for a resolution-8 cell as for 9
	width := func(query string) float64 {
		q, _ := url.ParseQuery(query)
		body := string(a.Get(context.Background(), "/api/v1/map.svg", q).Body)
		m := regexp.MustCompile(`<path d="M([-0-9. ]+)l([-0-9. ]+)z`).FindStringSubmatch(body[strings.Index(body, "</defs>"):])
		if m == nil {
			t.Fatalf("map.svg?%s draws no hexagon", query)
		}
		nums := strings.Fields(strings.ReplaceAll(m[2], "-", " -"))
		x, lo, hi := 0.0, 0.0, 0.0
		for i := 0; i < len(nums); i += 2 {
			dx, _ := strconv.ParseFloat(nums[i], 64)
			x += dx
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		zoom, _ := strconv.ParseFloat(strings.Split(q.Get("map"), "/")[0], 64)
		return (hi - lo) / math.Exp2(zoom)
	}
	coarse, fine, fixed := width("map=9.9/52.48/-1.89"), width("map=10/52.48/-1.89"), width("map=9.9/52.48/-1.89&res=9")
	if r := coarse / fine; r < 2.3 || r > 3 {
		t.Errorf("zoom 9.9 draws hexagons %.2f times as wide as zoom 10; want resolution 8 against 9 (about 2.6)", r)
	}
	if r := fixed / fine; r < 0.95 || r > 1.05 {
		t.Errorf("res=9 at zoom 9.9: hexagons %.2f times those of zoom 10; want the same resolution", r)
	}
}

func TestMapSVGBadParameters(t *testing.T) {
	a, _ := newAPI(t)
	for _, tc := range []struct{ query, param string }{
		{"width=abc", "width"}, {"width=10", "width"}, {"height=5000", "height"}, {"map=9/52", "map"}, {"map=30/52/-1", "map"},
		{"map=9/95/-1", "map"}, {"hide=cells", "hide"}, {"hide=grids,", "hide"}, {"colour=rainbow", "colour"}, {"top=0", "top"},
		{"unit=XX", "unit"}, {"metric=danger", "metric"}, {"res=6", "res"}, {"zoom=9", "zoom"}, {"legend=maybe", "legend"},
	} {
		q, _ := url.ParseQuery(tc.query)
		r := a.Get(context.Background(), "/api/v1/map.svg", q)
		var e struct{ Error, Parameter string }
		if r.Status != http.StatusBadRequest || json.Unmarshal(r.Body, &e) != nil || e.Parameter != tc.param || e.Error == "" {
			t.Errorf("map.svg?%s = %d %s; want 400 naming %s", tc.query, r.Status, r.Body, tc.param)
		}
	}
}

// TestMapSVGLegend: legend=1 adds what a picture that stands alone needs:
// what it shows, the colour steps and the boundaries' attribution.
func TestMapSVGLegend(t *testing.T) {
	a, _ := newAPI(t)
	get := func(query string) string {
		q, _ := url.ParseQuery(query)
		r := a.Get(context.Background(), "/api/v1/map.svg", q)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", query, r.Status, r.Body)
		}
		return string(r.Body)
	}
	if plain := get("unit=BE"); strings.Contains(plain, `class="key"`) || strings.Contains(plain, "OGL") {
		t.Error("a picture without legend=1 has a legend: the page's first view must match the map")
	}
	withKey := get("unit=BE&legend=1&from=2017-03&to=2017-05&band=late&metric=count&top=4")
	for _, want := range []string{`<g class="key"`, "Hot grids · BE · Fri-Sat 20:00-04:00 · 1 Mar 2017 – 31 May 2017",
		"Offences (expected count) per cell, H3 resolution 9; top 4 per unit", "Boundaries: ONS/OS", "Patrol area", "Knife robbery"} {
		if !strings.Contains(withKey, want) {
			t.Errorf("legend=1 lacks %q", want)
		}
	}
	if class := get("legend=1&colour=class"); !strings.Contains(class, "Getis-Ord Gi* significance per cell") || !strings.Contains(class, "n.s.") {
		t.Error("legend=1&colour=class does not key the Gi* classes")
	}
}

// TestMapSVGBounds: only the cells on the map are drawn, and a picture of
// more cells than a response may hold is refused, as other routes do.
func TestMapSVGBounds(t *testing.T) {
	a, _ := newAPI(t)
	if london, _ := getPicture(t, a, "map=12/51.5/0.1"); london.Cells != 0 {
		t.Errorf("a view of London draws %d of Birmingham's and Coventry's cells", london.Cells)
	}
	be, _ := getPicture(t, a, "map=12.5/52.4862/-1.8904")
	all, _ := getPicture(t, a, "map=9/52.45/-1.7")
	if be.Cells == 0 || be.Cells >= all.Cells {
		t.Errorf("zoomed in on Birmingham %d cells, both units %d", be.Cells, all.Cells)
	}
	small, err := server.New(server.Config{Service: newFake(), Open: true, MaxCells: 10})
	if err != nil {
		t.Fatal(err)
	}
	r := small.Get(context.Background(), "/api/v1/map.svg", nil)
	if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.Body), "limit of 10") {
		t.Errorf("over the cell limit: %d %s", r.Status, r.Body)
	}
}
