package server

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/csv"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Exports of /api/v1/export beyond the plain file:
//
//   - bundle=zip (format=csv only) answers a ZIP of NAME.csv, NAME.csvt
//     (column types for GDAL and QGIS) and NAME.provenance.json, what
//     `hotgrid export --format csv` writes beside the file: GDAL's CSV
//     reader has no comment lines, so a CSV carries its provenance in the
//     bundle (ogrinfo /vsizip/FILE.zip/NAME.csv opens it; spreadsheets open
//     the CSV inside). A plain format=csv answer names its provenance in the
//     X-Hotgrid-Provenance header: the same URL with bundle=zip.
//   - plan=ID exports patrol plan ID (export.PlanInput: its areas, its cells
//     scored over the window of the filters, the plan's id, version, state
//     and agreement in the provenance). The plan's unit must be one the
//     account may export; unit, when given, must be the plan's; top and
//     layer do not apply.

// HeaderProvenance names where a CSV export's provenance is: the URL of the
// same export as a ZIP bundle.
const HeaderProvenance = "X-Hotgrid-Provenance"

// parseBundle reads bundle: "" (a plain file) or zip (csv only).
func parseBundle(s, format string) (string, error) {
	switch b := strings.ToLower(strings.TrimSpace(s)); b {
	case "":
		return "", nil
	case "zip":
		if format != "csv" {
			return "", hotgrid.FieldErrorf("bundle", "bundle=zip is for format=csv (%s carries its provenance inside the file)", format)
		}
		return b, nil
	}
	return "", hotgrid.FieldErrorf("bundle", "unknown bundle %q (want zip)", s)
}

// exportResponse writes in as a download named name: a plain file of
// format, or with bundle=zip a CSV bundle with its sidecars.
func (a *API) exportResponse(ctx context.Context, format, bundle, name string, in export.Input) (*Response, error) {
	ct, ext, err := export.ContentType(format)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if bundle == "zip" {
		if err := writeCSVBundle(ctx, &buf, name, in, a.now()); err != nil {
			return nil, err
		}
		ct, ext = "application/zip", ".zip"
	} else if err := export.Write(ctx, &buf, format, in); err != nil {
		return nil, err
	}
	r := a.ok(ct, buf.Bytes(), a.cfg.MaxAge)
	r.Header["Content-Disposition"] = `attachment; filename="` + name + ext + `"`
	return r, nil
}

// writeCSVBundle writes a ZIP of name.csv, name.csvt and
// name.provenance.json.
func writeCSVBundle(ctx context.Context, w *bytes.Buffer, name string, in export.Input, now time.Time) error {
	if in.Provenance.MadeAt.IsZero() {
		in.Provenance.MadeAt = now.UTC()
	}
	zw := zip.NewWriter(w)
	for _, f := range []struct {
		name  string
		write func(*zip.Writer, string) error
	}{
		{name + ".csv", func(zw *zip.Writer, n string) error {
			return zipEntry(zw, n, now, func(b *bytes.Buffer) error { return export.Write(ctx, b, "csv", in) })
		}},
		{name + ".csvt", func(zw *zip.Writer, n string) error {
			return zipEntry(zw, n, now, func(b *bytes.Buffer) error { return csv.WriteCSVT(b) })
		}},
		{name + ".provenance.json", func(zw *zip.Writer, n string) error {
			return zipEntry(zw, n, now, func(b *bytes.Buffer) error { return csv.WriteProvenance(b, in.Provenance) })
		}},
	} {
		if err := f.write(zw, f.name); err != nil {
			return fmt.Errorf("csv bundle %s: %w", f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("csv bundle: %w", err)
	}
	return nil
}

func zipEntry(zw *zip.Writer, name string, now time.Time, write func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now.UTC()})
	if err != nil {
		return err
	}
	_, err = f.Write(b.Bytes())
	return err
}

// withProvenanceLink adds the X-Hotgrid-Provenance header to a plain CSV
// export: the same request as a ZIP bundle.
func withProvenanceLink(r *Response, path string, v url.Values) *Response {
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header["Content-Type"], "text/csv") {
		return r
	}
	q := cloneValues(v)
	q.Set("bundle", "zip")
	out := *r
	out.Header = make(map[string]string, len(r.Header)+1)
	for k, x := range r.Header {
		out.Header[k] = x
	}
	out.Header[HeaderProvenance] = path + "?" + q.Encode()
	return &out
}

// exportPlan answers /api/v1/export?plan=ID: the plan's areas and cells,
// once the plan's unit is checked against the account.
func (a *API) exportPlan(ctx context.Context, c *call, v url.Values) *Response {
	id, err := strconv.ParseInt(strings.TrimSpace(v.Get("plan")), 10, 64)
	if err != nil || id <= 0 {
		return a.fail(hotgrid.FieldErrorf("plan", "%q is not a plan id", v.Get("plan")))
	}
	p, err := a.plans().Store.Plan(ctx, id)
	if err != nil {
		return a.fail(err)
	}
	if !a.allowed(c, auth.PermExport, true, p.Unit) {
		return a.deny(ctx, c, "/api/v1/export", hotgrid.Errorf(hotgrid.EFORBIDDEN, "your account may not export plans of unit %s", p.Unit), 0, nil)
	}
	c.plan, c.units = p, []string{p.Unit}
	if err := checkParams(v, append(filterParams, "format", "bundle", "plan")...); err != nil {
		return a.fail(err)
	}
	if u := strings.TrimSpace(v.Get("unit")); u != "" && a.canonicalUnit(u) != p.Unit {
		return a.fail(hotgrid.FieldErrorf("unit", "plan %d is for unit %s, not %s", p.ID, p.Unit, u))
	}
	format := strings.ToLower(strings.TrimSpace(v.Get("format")))
	if format == "" {
		format = "geojson"
	}
	if _, _, err := export.ContentType(format); err != nil {
		return a.fail(err)
	}
	bundle, err := parseBundle(v.Get("bundle"), format)
	if err != nil {
		return a.fail(err)
	}
	qv := cloneValues(v)
	qv.Del("plan")
	qv.Set("unit", p.Unit)
	q, err := a.parseQuery(qv)
	if err != nil {
		return a.fail(err)
	}
	k := key("export-plan", q, format, bundle, strconv.FormatInt(p.ID, 10), strconv.Itoa(p.Version), string(p.State))
	return a.cached(k, func() (*Response, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		ix, err := a.index(ctx, q)
		if err != nil {
			return nil, err
		}
		in := export.PlanInput(p, ix.cells, a.svc.Provenance(ctx, q))
		for _, u := range a.unitList {
			if u.Code == p.Unit {
				in.Units = append(in.Units, u)
			}
		}
		return a.exportResponse(ctx, format, bundle, in.Layer, in)
	})
}
