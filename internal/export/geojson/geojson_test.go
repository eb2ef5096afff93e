package geojson_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"regexp"
	"testing"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/export/geojson"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
	ogeojson "github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

func write(t *testing.T, in feature.Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := geojson.Write(context.Background(), &buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	in := exporttest.Small()
	in.Cells[1].Unit = `Bad "unit"\ with	tab` + "\x01 and \u2028 é"
	in.Cells[2].Z = math.NaN()
	b := write(t, in)
	if !json.Valid(b) {
		t.Fatal("output is not valid JSON")
	}
	fc, err := ogeojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(fc.Features), len(in.Cells)+len(in.Areas); got != want {
		t.Fatalf("%d features, want %d", got, want)
	}
	for i, c := range in.Cells {
		f := fc.Features[i]
		p := f.Properties
		if p["kind"] != "cell" || p["h3"] != c.H3 || p["unit"] != c.Unit || p["class"] != string(c.Class) ||
			p["patrol_area"] != c.Area || p["peak_band"] != c.PeakBand || p["trend"] != c.Trend {
			t.Errorf("cell %d: text properties %v differ from %+v", i, p, c)
		}
		for k, v := range map[string]float64{"rank": float64(c.Rank), "count": c.Count, "harm": c.Harm, "recency": c.Recency, "z": c.Z, "p": c.P, "q": c.Q} {
			got, ok := p[k].(float64)
			if math.IsNaN(v) {
				if p[k] != nil {
					t.Errorf("cell %d: %s = %v, want null for NaN", i, k, p[k])
				}
				continue
			}
			if !ok || got != v {
				t.Errorf("cell %d: %s = %v, want %v", i, k, p[k], v)
			}
		}
		poly, ok := f.Geometry.(orb.Polygon)
		if !ok {
			t.Fatalf("cell %d geometry %T", i, f.Geometry)
		}
		checkPolygon(t, poly)
		want := geo.Boundary(c.Cell)
		for j, pt := range poly[0] {
			if math.Abs(pt[0]-want[0][j][0]) > 5e-8 || math.Abs(pt[1]-want[0][j][1]) > 5e-8 {
				t.Errorf("cell %d vertex %d = %v, want %v", i, j, pt, want[0][j])
			}
		}
	}
	for i, a := range in.Areas {
		f := fc.Features[len(in.Cells)+i]
		if f.Properties["kind"] != "patrol_area" || f.Properties["patrol_area"] != a.ID || f.Properties["n_cells"] != float64(len(a.Cells)) {
			t.Errorf("area %d properties %v", i, f.Properties)
		}
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			t.Fatalf("area %d geometry %T", i, g)
		}
		for _, p := range mp {
			checkPolygon(t, p)
		}
		var want float64
		for _, h := range a.Cells {
			c, _ := geo.ParseCell(h)
			want += planar.Area(geo.Boundary(c))
		}
		if got := planar.Area(mp); math.Abs(got-want) > want*1e-4 {
			t.Errorf("area %s: outline area %g, want the cells' %g", a.ID, got, want)
		}
	}
	if len(fc.Features[len(in.Cells)].Geometry.(orb.Polygon)) != 1 {
		t.Error("BW-1 (adjacent cells) should be one polygon with no hole")
	}
	if _, ok := fc.Features[len(in.Cells)+1].Geometry.(orb.MultiPolygon); !ok {
		t.Error("BE-1 (two separate cells) should be a MultiPolygon")
	}
	var prov hotgrid.Provenance
	raw, _ := json.Marshal(fc.ExtraMembers["provenance"])
	if err := json.Unmarshal(raw, &prov); err != nil {
		t.Fatal(err)
	}
	if !prov.MadeAt.Equal(exporttest.MadeAt) || prov.WeightsVersion != "ons-css-2023" || len(prov.Sources) != 1 || prov.Query.Resolution != 9 {
		t.Errorf("provenance %+v", prov)
	}
	if fc.ExtraMembers["name"] != "hotgrid" {
		t.Errorf("name member %v", fc.ExtraMembers["name"])
	}
}

// checkPolygon asserts RFC 7946 rings: closed, outer counter-clockwise,
// holes clockwise.
func checkPolygon(t *testing.T, p orb.Polygon) {
	t.Helper()
	for i, r := range p {
		if len(r) < 4 || r[0] != r[len(r)-1] {
			t.Errorf("ring %d not closed: %v", i, r)
		}
		want := orb.CCW
		if i > 0 {
			want = orb.CW
		}
		if r.Orientation() != want {
			t.Errorf("ring %d orientation %v, want %v", i, r.Orientation(), want)
		}
	}
}

func TestRFC7946(t *testing.T) {
	b := write(t, exporttest.Synthetic())
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	if _, ok := top["crs"]; ok {
		t.Error(`"crs" member present`)
	}
	// No coordinate has more than 7 decimals.
	long := regexp.MustCompile(`[\[,]-?\d+\.\d{8,}[\],]`)
	coords := regexp.MustCompile(`"coordinates":\[[^"]*\]`)
	for _, m := range coords.FindAll(b, -1) {
		if l := long.Find(m); l != nil {
			t.Fatalf("coordinate with more than 7 decimals: %s", l)
		}
	}
}

func TestEmpty(t *testing.T) {
	b := write(t, feature.Input{Provenance: exporttest.Provenance()})
	fc, err := ogeojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 0 || fc.BBox != nil {
		t.Errorf("empty input: %d features, bbox %v", len(fc.Features), fc.BBox)
	}
}
