package units

import (
	"compress/gzip"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/geo"
	"github.com/paulmach/orb"
)

const square = `[[[-1,52],[-0.9,52],[-0.9,52.1],[-1,52.1],[-1,52]]]`

func TestLoadErrors(t *testing.T) {
	feat := func(props, geom string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":` + props +
			`,"geometry":` + geom + `}]}`
	}
	cases := []struct{ name, in, want string }{
		{"not json", `{`, "not a GeoJSON FeatureCollection"},
		{"no features", `{"type":"FeatureCollection","features":[]}`, "no features"},
		{"no code", feat(`{"name":"x"}`, `{"type":"Polygon","coordinates":`+square+`}`), "feature 0: property code"},
		{"point", feat(`{"code":"A"}`, `{"type":"Point","coordinates":[-1,52]}`), "unit A: geometry Point is not a Polygon"},
		{"open ring", feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[-1,52],[-0.9,52],[-0.9,52.1],[-1,52.1]]]}`), "ring is not closed"},
		{"short ring", feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[-1,52],[-0.9,52],[-1,52]]]}`), "need at least 4"},
		{"lat 95", feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[-1,52],[-0.9,95],[-0.9,52.1],[-1,52]]]}`), "latitude 95 out of range"},
		{"duplicate", `{"type":"FeatureCollection","features":[` +
			`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":` + square + `}},` +
			`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":` + square + `}}]}`,
			`feature 1: code "A" repeats feature 0`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(c.in), "bad.geojson")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.geojson") {
				t.Fatalf("err = %v, want it to name bad.geojson and contain %q", err, c.want)
			}
		})
	}
}

func TestLoadProperties(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A","name":"Alpha",` +
		`"force":"F","approximate":true},"geometry":{"type":"Polygon","coordinates":` + square + `}}]}`
	s, err := Load(strings.NewReader(in), "a.geojson")
	if err != nil {
		t.Fatal(err)
	}
	u := s.Units()[0]
	if u.Code != "A" || u.Name != "Alpha" || u.Force != "F" || !u.Approximate || len(u.Geometry) != 1 {
		t.Fatalf("unit %+v", u)
	}
	if got := s.Locate(-0.95, 52.05); got != "A" {
		t.Fatalf("inside: %q", got)
	}
	if got := s.Locate(-0.85, 52.05); got != "" {
		t.Fatalf("outside: %q", got)
	}
}

func TestDefaultPlaces(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Units()); n != 8 {
		t.Fatalf("%d units", n)
	}
	cases := []struct {
		place    string
		lon, lat float64
		want     string
	}{
		{"Birmingham New Street", -1.8990, 52.4778, "BW"},
		{"Broad Street", -1.9125, 52.4760, "BW"},
		{"Erdington", -1.8390, 52.5230, "BE"},
		{"Sutton Coldfield", -1.8238, 52.5631, "BE"},
		{"Hodge Hill", -1.8110, 52.4970, "BE"},
		{"Selly Oak", -1.9380, 52.4410, "BW"},
		{"Coventry", -1.5106, 52.4068, "CV"},
		{"Wolverhampton", -2.1288, 52.5862, "WV"},
		{"Walsall", -1.9826, 52.5862, "WS"},
		{"Dudley", -2.0810, 52.5123, "DY"},
		{"West Bromwich", -1.9945, 52.5187, "SW"},
		{"Solihull", -1.7780, 52.4118, "SH"},
		{"London", -0.1276, 51.5072, ""},
		{"Lichfield", -1.8262, 52.6816, ""},
	}
	for _, c := range cases {
		if got := s.Locate(c.lon, c.lat); got != c.want {
			t.Errorf("%s: Locate = %q, want %q", c.place, got, c.want)
		}
	}
}

// TestLocateAgreesWithExact checks the cell index against the exact
// point-in-polygon test on random points over the force area and on points
// jittered around every boundary vertex, where disagreement would show.
func TestLocateAgreesWithExact(t *testing.T) {
	for _, load := range []func() (*Set, error){Default, DefaultForces} {
		s, err := load()
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		pts := randomPoints(rng, s.index.all.Pad(0.02), min(200_000, 20_000*len(s.Units())))
		pts = append(pts, jitteredVertices(rng, s, 0.001, 20)...)
		checked, inside := 0, 0
		for _, p := range pts {
			got, want := s.Locate(p[0], p[1]), s.LocateExact(p[0], p[1])
			if got != want {
				t.Fatalf("%s: Locate(%v) = %q, exact %q", s.Name(), p, got, want)
			}
			c11, _ := geo.CellAt(p[0], p[1], 11)
			if got := s.LocateCell(c11, p[0], p[1]); got != want {
				t.Fatalf("%s: LocateCell(res 11, %v) = %q, exact %q", s.Name(), p, got, want)
			}
			checked++
			if got != "" {
				inside++
			}
		}
		t.Logf("%s: %d points agree (%d inside a unit); index %+v", s.Name(), checked, inside, s.IndexStats())
	}
}

func randomPoints(rng *rand.Rand, b orb.Bound, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
	}
	return pts
}

// jitteredVertices returns up to per points within d degrees of each
// boundary vertex (every vertex for small sets, a sample for large ones).
func jitteredVertices(rng *rand.Rand, s *Set, d float64, per int) []orb.Point {
	var pts []orb.Point
	for _, u := range s.Units() {
		for _, p := range u.Geometry {
			for _, r := range p {
				step := max(1, len(r)/300)
				for k := 0; k < len(r); k += step {
					for j := 0; j < per; j++ {
						pts = append(pts, orb.Point{r[k][0] + (rng.Float64()*2-1)*d, r[k][1] + (rng.Float64()*2-1)*d})
					}
				}
			}
		}
	}
	return pts
}

func TestLocateInvalid(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	nan := func() float64 { var z float64; return z / z }()
	for _, p := range [][2]float64{{nan, 52.48}, {-1.9, nan}, {0, 0}, {-1.9, 95}, {400, 52}} {
		if got := s.Locate(p[0], p[1]); got != "" {
			t.Errorf("Locate(%v) = %q, want outside", p, got)
		}
	}
}

func TestParentBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1000; i++ {
		c, err := geo.CellAt(-3+rng.Float64()*4, 51+rng.Float64()*3, fineRes)
		if err != nil {
			t.Fatal(err)
		}
		for res := coarseRes; res <= fineRes; res++ {
			if got, want := parentBits(c, res), geo.Parent(c, res); got != want {
				t.Fatalf("parentBits(%s,%d) = %x, want %x", geo.String(c), res, got, want)
			}
		}
	}
}

// TestDeriveMatchesCommitted re-derives the boundary files from the shared
// ONS/OS files and checks they equal the committed (embedded) files.
func TestDeriveMatchesCommitted(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "data", "boundaries")
	tmp := t.TempDir()
	npus, err := DeriveNPUs(dir)
	if err != nil {
		t.Fatal(err)
	}
	forces, err := DeriveForces(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		fc   interface{ Len() int }
		want []byte
	}{} {
		_ = c
	}
	if err := WriteFeatureCollection(filepath.Join(tmp, "npu.geojson"), npus); err != nil {
		t.Fatal(err)
	}
	if err := WriteFeatureCollection(filepath.Join(tmp, "forces.geojson"), forces); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"npu.geojson": data.Units(), "forces.geojson": data.Forces()} {
		got, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: derived file differs from the committed one; rerun hotgrid derive-units", name)
		}
	}
	for _, f := range npus.Features {
		mp, _ := asMultiPolygon(f.Geometry)
		if err := Valid(mp); err != nil {
			t.Errorf("npu %v invalid: %v", f.Properties["code"], err)
		}
		if len(mp) != 1 {
			t.Errorf("npu %v has %d polygons, want 1", f.Properties["code"], len(mp))
		}
	}
}

// TestForcesNamePoliceUK checks every force named in the national police.uk
// files (bar British Transport Police, which has no area) is a force code.
func TestForcesNamePoliceUK(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedDir(t), "data", "police-uk", "national-2025", "*.csv.gz"))
	if len(files) == 0 {
		t.Fatal("no national police.uk files")
	}
	s, err := DefaultForces()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, u := range s.Units() {
		codes[u.Code] = true
	}
	for _, f := range files {
		name := fallsWithin(t, f)
		if name != "British Transport Police" && !codes[name] {
			t.Errorf("%s: force %q is not a force area code", filepath.Base(f), name)
		}
	}
	if got := s.Locate(-1.9026, 52.4797); got != "West Midlands Police" {
		t.Errorf("Birmingham in force %q", got)
	}
}

func fallsWithin(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(z)
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	rec, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rec[3]
}
