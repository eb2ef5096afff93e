package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/export/csv"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

// unzip returns the files of a ZIP by name.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// TestExportCSVBundle: a CSV export carries its provenance in a ZIP
// (bundle=zip) with the same CSV, its .csvt and provenance.json; the plain
// CSV names that bundle in X-Hotgrid-Provenance.
func TestExportCSVBundle(t *testing.T) {
	a, _ := newAPI(t)
	ctx := context.Background()
	plain := a.Get(ctx, "/api/v1/export", url.Values{"format": {"csv"}, "unit": {"BE"}})
	if plain.Status != 200 {
		t.Fatalf("csv: %d %s", plain.Status, plain.Body)
	}
	link := plain.Header[server.HeaderProvenance]
	u, err := url.Parse(link)
	if err != nil || u.Path != "/api/v1/export" || u.Query().Get("bundle") != "zip" || u.Query().Get("unit") != "BE" || u.Query().Get("format") != "csv" {
		t.Fatalf("provenance link %q", link)
	}
	r := a.Get(ctx, u.Path, u.Query())
	if r.Status != 200 || r.Header["Content-Type"] != "application/zip" || r.Header["Content-Disposition"] != `attachment; filename="hotgrid-hotgrids.zip"` {
		t.Fatalf("bundle: %d %v %.200s", r.Status, r.Header, r.Body)
	}
	if _, ok := r.Header[server.HeaderProvenance]; ok {
		t.Error("the bundle links to itself")
	}
	files := unzip(t, r.Body)
	if len(files) != 3 {
		t.Fatalf("bundle holds %d files", len(files))
	}
	if !bytes.Equal(files["hotgrid-hotgrids.csv"], plain.Body) {
		t.Error("bundled CSV differs from the plain CSV export")
	}
	var csvt bytes.Buffer
	csv.WriteCSVT(&csvt)
	if !bytes.Equal(files["hotgrid-hotgrids.csvt"], csvt.Bytes()) {
		t.Errorf("csvt %q", files["hotgrid-hotgrids.csvt"])
	}
	var prov hotgrid.Provenance
	if err := json.Unmarshal(files["hotgrid-hotgrids.provenance.json"], &prov); err != nil {
		t.Fatalf("provenance.json: %v", err)
	}
	if len(prov.Query.Units) != 1 || prov.Query.Units[0] != "BE" || prov.MadeAt.IsZero() || len(prov.Bands) == 0 {
		t.Errorf("provenance %+v", prov)
	}
	for _, c := range []struct{ q, param string }{
		{"format=geojson&bundle=zip", "bundle"},
		{"format=csv&bundle=tar", "bundle"},
	} {
		q, _ := url.ParseQuery(c.q)
		r := a.Get(ctx, "/api/v1/export", q)
		var b struct{ Parameter string }
		json.Unmarshal(r.Body, &b)
		if r.Status != 400 || b.Parameter != c.param {
			t.Errorf("%s: %d %s", c.q, r.Status, r.Body)
		}
	}
	if g := a.Get(ctx, "/api/v1/export", url.Values{"format": {"geojson"}}); g.Header[server.HeaderProvenance] != "" {
		t.Error("a GeoJSON export links to a CSV bundle")
	}

	// GDAL opens the CSV inside the bundle, with the .csvt types
	ogr := testenv.Tool(t, "ogrinfo")
	path := filepath.Join(t.TempDir(), "bundle.zip")
	if err := os.WriteFile(path, r.Body, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ogr, "-ro", "-so", "-oo", "GEOM_POSSIBLE_NAMES=wkt", "/vsizip/"+path+"/hotgrid-hotgrids.csv", "hotgrid-hotgrids").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	rows := strings.Count(string(plain.Body), "\n") - 1
	for _, want := range []string{fmt.Sprintf("Feature Count: %d", rows), "harm: Real", "rank: Integer"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ogrinfo lacks %q:\n%s", want, out)
		}
	}
}

// TestExportPlanAPI: ?plan=ID exports the plan's areas with the plan in the
// provenance, for an account that may see its unit; another unit's plan is
// refused, and the audit record names the plan and the recipient.
func TestExportPlanAPI(t *testing.T) {
	e := newAuthEnv(t)
	e.addUser(t, "be-viewer", hotgrid.RoleViewer, "BE")
	e.addUser(t, "all-viewer", hotgrid.RoleViewer, "")
	be := e.login(t, "be-viewer", nil)
	all := e.login(t, "all-viewer", nil)
	get := func(c *client, q string) *server.Response {
		v, _ := url.ParseQuery(q)
		return e.do(c, "GET", "/api/v1/export", v, "")
	}
	beID, cvID := e.plan["BE"], e.plan["CV"]

	r := get(be, fmt.Sprintf("plan=%d&recipient=trm@example", beID))
	if r.Status != 200 || r.Header["Content-Disposition"] != fmt.Sprintf(`attachment; filename="hotgrid-plan-%d.geojson"`, beID) {
		t.Fatalf("own plan: %d %v %.300s", r.Status, r.Header, r.Body)
	}
	var doc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		Provenance hotgrid.Provenance `json:"provenance"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if pl := doc.Provenance.Plan; pl == nil || pl.ID != beID || pl.State != hotgrid.PlanAgreed || pl.AgreedBy != "setup" || pl.Unit != "BE" {
		t.Fatalf("provenance plan %+v", doc.Provenance.Plan)
	}
	areas := map[string]bool{}
	for _, f := range doc.Features {
		if f.Properties["kind"] == "patrol_area" {
			areas[fmt.Sprint(f.Properties["patrol_area"])] = true
		}
	}
	if len(areas) != 2 || !areas["BE-1"] || !areas["BE-2"] {
		t.Errorf("areas %v, want BE-1 and BE-2", areas)
	}
	found := false
	for _, rec := range e.trail.Records {
		objs := strings.Join(rec.Objects, " ")
		if rec.Action == audit.ActionExport && rec.User == "be-viewer" && strings.Contains(objs, fmt.Sprintf("plan:%d", beID)) && rec.Recipient == "trm@example" {
			found = true
		}
	}
	if !found {
		t.Error("no export audit record naming the plan and recipient")
	}

	if r := get(be, fmt.Sprintf("plan=%d", cvID)); r.Status != 403 {
		t.Errorf("BE viewer exporting CV's plan: %d %s", r.Status, r.Body)
	}
	if r := get(all, fmt.Sprintf("plan=%d&format=csv&bundle=zip", cvID)); r.Status != 200 || !bytes.Contains(unzip(t, r.Body)[fmt.Sprintf("hotgrid-plan-%d.provenance.json", cvID)], []byte(`"agreed_by": "setup"`)) {
		t.Errorf("CV plan as a CSV bundle: %d", r.Status)
	}
	for _, c := range []struct {
		q      string
		status int
		param  string
	}{
		{"plan=999", 404, ""},
		{"plan=abc", 400, "plan"},
		{fmt.Sprintf("plan=%d&unit=CV", beID), 400, "unit"},
		{fmt.Sprintf("plan=%d&top=5", beID), 400, "top"},
		{fmt.Sprintf("plan=%d&format=kml&bundle=zip", beID), 400, "bundle"},
	} {
		r := get(all, c.q)
		var b struct{ Parameter string }
		json.Unmarshal(r.Body, &b)
		if r.Status != c.status || b.Parameter != c.param {
			t.Errorf("%s: %d %s, want %d naming %q", c.q, r.Status, r.Body, c.status, c.param)
		}
	}
}
