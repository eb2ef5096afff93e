package mapsvg

import (
	"bytes"
	"encoding/xml"
	"flag"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// cellAt is the resolution-9 cell at lon/lat.
func cellAt(t testing.TB, lon, lat float64) uint64 {
	t.Helper()
	c, err := geo.CellAt(lon, lat, 9)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// small is a picture of a few cells in Birmingham: a unit, three cells in
// two paints, two ranked cells (one far off the map), a patrol area, a
// knife hotspot.
func small(t testing.TB, zoom float64) Picture {
	a, b, c := cellAt(t, -1.9, 52.48), cellAt(t, -1.897, 52.481), cellAt(t, -1.903, 52.479)
	far := cellAt(t, -1.5, 52.4)
	area, err := geo.CellsOutline([]uint64{a, b})
	if err != nil {
		t.Fatal(err)
	}
	return Picture{
		View:     View{Lon: -1.9, Lat: 52.48, Zoom: zoom, Width: 400, Height: 300},
		Title:    "hot grids of B1 & B2 <test>",
		Units:    []Unit{{Name: "Birmingham <Centre>", Geometry: orb.MultiPolygon{geo.BoundPolygon(orb.Bound{Min: orb.Point{-1.91, 52.475}, Max: orb.Point{-1.89, 52.485}})}}},
		Outlines: true,
		Cells:    []Cell{{a, "#b10026", 0.82}, {b, "#fed976", 0.82}, {c, "#b10026", 0.82}, {far, "#fed976", 0.82}},
		Grids:    []Grid{{Cell: a, Rank: 1, Unit: "B1", H3: geo.String(a)}, {Cell: b, Rank: 5, Unit: "B1", H3: geo.String(b)}, {Cell: far, Rank: 2, Unit: "B2", H3: geo.String(far)}},
		Areas:    []orb.MultiPolygon{area},
		Knife:    []uint64{c},
	}
}

func write(t testing.TB, p Picture) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteGolden(t *testing.T) {
	got := write(t, small(t, 14))
	testenv.Golden(t, filepath.Join("testdata", "small.svg"), got, *update)
}

// svgDoc is the part of the picture the tests read back.
type svgDoc struct {
	View  string `xml:"data-view,attr"`
	Cells int    `xml:"data-cells,attr"`
	Title string `xml:"title"`
	Defs  struct {
		Path []svgPath `xml:"path"`
	} `xml:"defs"`
	Uses []struct {
		Fill   string `xml:"fill,attr"`
		Stroke string `xml:"stroke,attr"`
	} `xml:"use"`
	Paths   []svgPath `xml:"path"`
	Circles []struct {
		R string `xml:"r,attr"`
	} `xml:"circle"`
	Texts  []string `xml:"text"`
	Badges []struct {
		Rank      int    `xml:"data-rank,attr"`
		H3        string `xml:"data-h3,attr"`
		Transform string `xml:"transform,attr"`
		Title     string `xml:"title"`
		Circle    struct {
			R string `xml:"r,attr"`
		} `xml:"circle"`
		Text string `xml:"text"`
	} `xml:"g"`
}

type svgPath struct {
	D      string `xml:"d,attr"`
	Fill   string `xml:"fill,attr"`
	Stroke string `xml:"stroke,attr"`
}

func parse(t *testing.T, b []byte) svgDoc {
	t.Helper()
	var d svgDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("not well-formed SVG: %v\n%s", err, b)
	}
	return d
}

func TestWriteDrawsWhatIsOnTheMap(t *testing.T) {
	d := parse(t, write(t, small(t, 14)))
	if d.View != "14.0000/52.480000/-1.900000" || d.Cells != 3 {
		t.Errorf("data-view %q, data-cells %d; want the view and the 3 cells on the map", d.View, d.Cells)
	}
	if d.Title != "hot grids of B1 & B2 <test>" {
		t.Errorf("title %q", d.Title)
	}
	fills := map[string]int{}
	for _, p := range d.Paths {
		if p.Fill != "none" {
			fills[p.Fill] += strings.Count(p.D, "M")
		}
	}
	if fills["#b10026"] != 2 || fills["#fed976"] != 1 || len(fills) != 2 {
		t.Errorf("hexagons by fill %v; want 2 red in one path and 1 yellow (the far one left out)", fills)
	}
	if len(d.Uses) != 2 || d.Uses[0].Fill != unitFill || d.Uses[1].Stroke != unitLine || len(d.Defs.Path) != 1 {
		t.Errorf("unit land and outline: %+v", d.Uses)
	}
	if len(d.Badges) != 2 || d.Badges[1].Rank != 1 || d.Badges[0].Rank != 5 {
		t.Fatalf("badges %+v; want ranks 5 then 1 (the best on top), the far one left out", d.Badges)
	}
	if b := d.Badges[1]; b.Text != "1" || b.Circle.R != "10" || !strings.Contains(b.Title, "Rank 1 in B1") {
		t.Errorf("rank 1 badge %+v", b)
	}
	if len(d.Circles) != 2 || d.Circles[1].R != "8" {
		t.Errorf("knife marker circles %+v; want a halo and a disc", d.Circles)
	}
	if len(d.Texts) != 1 || d.Texts[0] != "BIRMINGHAM <CENTRE>" {
		t.Errorf("unit names %q", d.Texts)
	}
}

func TestWriteFarOut(t *testing.T) {
	d := parse(t, write(t, small(t, 11)))
	for _, b := range d.Badges {
		if want := map[bool]string{true: "10", false: "3.75"}[b.Rank <= 3]; b.Circle.R != want || (b.Rank > 3) != (b.Text == "") {
			t.Errorf("zoom 11, rank %d: radius %s, text %q; ranks past 3 are dots", b.Rank, b.Circle.R, b.Text)
		}
	}
}

func TestWriteLeavesOut(t *testing.T) {
	p := small(t, 14)
	p.Outlines, p.Basemap = false, true
	p.Grids, p.Knife, p.Areas = nil, nil, nil
	d := parse(t, write(t, p))
	if len(d.Uses) != 0 || len(d.Badges) != 0 || len(d.Circles) != 0 || len(d.Texts) != 0 {
		t.Errorf("hidden layers drawn: uses %d, badges %d, circles %d, names %d", len(d.Uses), len(d.Badges), len(d.Circles), len(d.Texts))
	}
	for _, path := range d.Paths {
		if path.Fill == "none" {
			t.Errorf("an outline drawn with nothing to outline: %+v", path)
		}
	}
}

// TestRingKeepsItsPlace reads a long ring's relative path back: every
// corner is within a rounding of where View.Project puts it, however many
// steps come before it.
func TestRingKeepsItsPlace(t *testing.T) {
	v := View{Lon: -1.9, Lat: 52.48, Zoom: 12.37, Width: 800, Height: 600}
	var ring orb.Ring
	for i := 0; i <= 2000; i++ {
		a := 2 * math.Pi * float64(i) / 2000
		ring = append(ring, orb.Point{-1.9 + 0.05*math.Cos(a)*(1+0.1*math.Sin(7*a)), 52.48 + 0.03*math.Sin(a)})
	}
	d := drawer{v: v}
	pts := readPath(t, string(d.ring(nil, ring, 0)))
	if len(pts) != len(ring) {
		t.Fatalf("%d corners read back; want %d", len(pts), len(ring))
	}
	for i, p := range ring {
		x, y := v.Project(p[0], p[1])
		if math.Abs(pts[i][0]-x) > 0.051 || math.Abs(pts[i][1]-y) > 0.051 {
			t.Fatalf("corner %d at %v; want %.3f, %.3f", i, pts[i], x, y)
		}
	}
	if simple := readPath(t, string(d.ring(nil, ring, 2))); len(simple) >= len(ring)/2 || len(simple) < 50 {
		t.Errorf("with a 2-pixel step %d corners kept of %d", len(simple), len(ring))
	}
}

// readPath reads "M x y l dx dy dx dy ... z" into absolute points.
func readPath(t *testing.T, d string) [][2]float64 {
	t.Helper()
	toks := regexp.MustCompile(`[Mlz]|-?[0-9]+(\.[0-9]+)?`).FindAllString(d, -1)
	var pts [][2]float64
	var nums []float64
	rel := false
	for _, tok := range toks {
		switch tok {
		case "M", "l", "z":
			rel = tok == "l"
			continue
		}
		x, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			t.Fatal(err)
		}
		if nums = append(nums, x); len(nums) < 2 {
			continue
		}
		p := [2]float64{nums[0], nums[1]}
		if rel {
			p[0] += pts[len(pts)-1][0]
			p[1] += pts[len(pts)-1][1]
		}
		pts, nums = append(pts, p), nil
	}
	return pts
}

func TestShortNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{0, "0"}, {1.254, "1.25"}, {99.5, "99.5"}, {100, "100"}, {9999.4, "9999"}, {13433, "13.4k"}, {486215, "486.2k"}, {2.5e6, "2.5M"}, {-13433, "-13.4k"}} {
		if got := shortNumber(tc.v); got != tc.want {
			t.Errorf("shortNumber(%v) = %q; want %q", tc.v, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	p := small(t, 14)
	if strings.Contains(string(write(t, p)), `class="key"`) {
		t.Fatal("a picture without a Key has a legend")
	}
	swatches := func(k Key) (int, string) {
		p.Key = &k
		s := string(write(t, p))
		i := strings.Index(s, `<g class="key"`)
		if i < 0 {
			t.Fatal("no legend drawn")
		}
		key := s[i:]
		return strings.Count(key, `height="10" fill=`), key
	}
	n, key := swatches(Key{Title: "Hot grids <BE>", Subtitle: "Harm per cell", Breaks: []float64{10, 13433, 50000}, Attribution: "OGL & co"})
	if n != 4 || !containsAll(key, "Hot grids &lt;BE&gt;", ">13.4k<", ">50k<", "OGL &amp; co", "Hot grid (rank)") {
		t.Errorf("ramp legend: %d swatches; want 4 (3 breaks):\n%s", n, key)
	}
	if n, key = swatches(Key{Title: "x", Classes: true}); n != 7 || !containsAll(key, "hot 99%", "n.s.", "cold 90%") {
		t.Errorf("class legend: %d swatches; want 7:\n%s", n, key)
	}
	if n, _ = swatches(Key{Title: "x"}); n != 1 {
		t.Errorf("no breaks: %d swatches; want one", n)
	}
}
