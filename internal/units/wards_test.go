package units

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// TestDeriveWardsMatchesCommitted re-derives data/units/wards.geojson from
// the shared ward files and checks it equals the committed (embedded) file,
// with 163 valid wards named and placed in their districts.
func TestDeriveWardsMatchesCommitted(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "data", "boundaries")
	wards, err := DeriveWards(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "wards.geojson")
	if err := WriteFeatureCollection(path, wards); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(data.Wards()) {
		t.Fatal("wards.geojson: derived file differs from the committed one; rerun hotgrid derive-units --wards-out data/units/wards.geojson")
	}
	fc, err := geojson.UnmarshalFeatureCollection(data.Wards())
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 163 {
		t.Fatalf("%d wards, want 163", len(fc.Features))
	}
	perDistrict := map[string]int{}
	codes := map[string]bool{}
	npus, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		code, name, district := f.Properties.MustString("code", ""), f.Properties.MustString("name", ""), f.Properties.MustString("district", "")
		if code == "" || name == "" || district == "" || codes[code] {
			t.Fatalf("ward %v: missing or repeated code, name or district", f.Properties)
		}
		codes[code] = true
		perDistrict[district]++
		mp, err := asMultiPolygon(f.Geometry)
		if err != nil {
			t.Fatal(err)
		}
		if err := Valid(mp); err != nil {
			t.Errorf("ward %s invalid: %v", code, err)
		}
		if !inUnitOf(npus, mp, district) {
			t.Errorf("ward %s (%s) has no vertex inside the unit of %s", code, name, district)
		}
	}
	want := map[string]int{"Birmingham": 40, "Coventry": 18, "Dudley": 24, "Sandwell": 24, "Solihull": 17, "Walsall": 20, "Wolverhampton": 20}
	for d, n := range want {
		if perDistrict[d] != n {
			t.Errorf("%s has %d wards, want %d", d, perDistrict[d], n)
		}
	}
}

// inUnitOf reports whether most points of a grid laid over a ward that
// fall inside it lie in the NPU of its district (Birmingham: BE or BW).
func inUnitOf(npus *Set, mp orb.MultiPolygon, district string) bool {
	names := map[string]string{}
	for _, u := range npus.Units() {
		names[u.Code] = u.Name
	}
	b := mp.Bound()
	in, n := 0, 0
	for i := 0; i < 20; i++ {
		for j := 0; j < 20; j++ {
			pt := orb.Point{b.Min[0] + (float64(i)+0.5)/20*(b.Max[0]-b.Min[0]), b.Min[1] + (float64(j)+0.5)/20*(b.Max[1]-b.Min[1])}
			if !planar.MultiPolygonContains(mp, pt) {
				continue
			}
			n++
			name := names[npus.Locate(pt[0], pt[1])]
			if name == district || (district == "Birmingham" && (name == "Birmingham East" || name == "Birmingham West")) {
				in++
			}
		}
	}
	return in*2 > n
}

// TestDeriveWardsBadInput names the missing ward file, and refuses a ward
// without a name.
func TestDeriveWardsBadInput(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lad"), 0o755); err != nil {
		t.Fatal(err)
	}
	lad := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","properties":{"LAD13CD":"E08000025","LAD13NM":"Birmingham"},"geometry":null}]}`
	if err := os.WriteFile(filepath.Join(dir, ladFile), []byte(lad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := DeriveWards(dir)
	if err == nil {
		t.Fatal("no error for missing districts")
	}
	if !strings.Contains(err.Error(), "E08000025.json") {
		t.Errorf("error does not name the missing ward file: %v", err)
	}
	ward := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"WD13CD":"E1"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`
	if _, err := deriveWard(mustFeature(t, ward), "Birmingham"); err == nil {
		t.Fatal("no error for a ward without a name")
	}
}

func mustFeature(t *testing.T, fcJSON string) *geojson.Feature {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection([]byte(fcJSON))
	if err != nil {
		t.Fatal(err)
	}
	return fc.Features[0]
}
