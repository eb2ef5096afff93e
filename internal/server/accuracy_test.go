package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/evaluate"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/score"
	"github.com/hotgrid/hotgrid/internal/server"
)

// backtestEnv is a server over synthetic offences with a Backtest that
// counts its scans.
type backtestEnv struct {
	api   *server.API
	data  *synthetic
	scans *atomic.Int64
	bt    *server.Backtest
}

func newBacktestEnv(t testing.TB, authCfg *server.Auth) *backtestEnv {
	t.Helper()
	d := syntheticOffences(t, 12000)
	eng, err := score.NewEngine(score.Config{Units: d.units, Weights: d.weights, Version: "test"}, d.scan)
	if err != nil {
		t.Fatal(err)
	}
	scans := &atomic.Int64{}
	bt := &server.Backtest{Weights: d.weights, Scan: func(_ context.Context, f hotgrid.OffenceFilter, fn func(*hotgrid.Offence) error) error {
		scans.Add(1)
		return d.scan(func(o *hotgrid.Offence) error {
			if (!f.From.IsZero() && o.To.Before(f.From)) || (!f.To.IsZero() && !o.From.Before(f.To)) {
				return nil
			}
			return fn(o)
		})
	}}
	a, err := server.New(server.Config{Service: eng, Static: page, Version: "test", Location: time.UTC, Open: authCfg == nil,
		Auth: authCfg, Backtest: bt})
	if err != nil {
		t.Fatal(err)
	}
	return &backtestEnv{api: a, data: d, scans: scans, bt: bt}
}

// TestAccuracy backtests the loaded data: by default trained on every month
// but the last and tested on the last, the same results evaluate.Run gives,
// computed once and then served from memory, as JSON or a self-contained
// HTML report.
func TestAccuracy(t *testing.T) {
	e := newBacktestEnv(t, nil)
	ctx := context.Background()
	get := func(q url.Values) *server.Response { return e.api.Get(ctx, "/api/v1/accuracy", q) }

	r := get(url.Values{"format": {"json"}})
	if r.Status != 200 || !strings.HasPrefix(r.Header["Content-Type"], "application/json") {
		t.Fatalf("json: %d %s %.300s", r.Status, r.Header["Content-Type"], r.Body)
	}
	var got struct {
		evaluate.Report
		Headline string `json:"headline"`
	}
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatal(err)
	}
	o := got.Config.Origins
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	if len(o) != 1 || !o[0].TrainFrom.Equal(day("2017-01-01")) || !o[0].TrainTo.Equal(day("2017-12-01")) ||
		!o[0].TestFrom.Equal(day("2017-12-01")) || !o[0].TestTo.Equal(day("2018-01-01")) {
		t.Fatalf("default windows %+v, want train 2017-01..2017-11, test 2017-12", o)
	}
	if got.Headline == "" || len(got.Results) == 0 {
		t.Fatalf("no headline or results: %.300s", r.Body)
	}

	// the same as evaluate.Run over the same offences and settings
	cfg := evaluate.Config{TrainFrom: day("2017-01-01"), TrainTo: day("2017-12-01"), TestFrom: day("2017-12-01"), TestTo: day("2018-01-01"),
		Weights: e.data.weights, Boundaries: evaluate.Boundaries(e.data.units), Location: time.UTC}
	want, err := evaluate.Run(ctx, cfg, e.data.scan)
	if err != nil {
		t.Fatal(err)
	}
	var wantJSON, gotJSON bytes.Buffer
	json.NewEncoder(&wantJSON).Encode(want.Results)
	json.NewEncoder(&gotJSON).Encode(got.Results)
	if wantJSON.String() != gotJSON.String() {
		t.Fatalf("results differ from evaluate.Run:\n got %.400s\nwant %.400s", gotJSON.String(), wantJSON.String())
	}
	scans := e.scans.Load()
	if scans == 0 {
		t.Fatal("backtest did not scan offences")
	}

	// HTML and a unit come from the kept backtest
	h := get(nil)
	if h.Status != 200 || !strings.HasPrefix(h.Header["Content-Type"], "text/html") {
		t.Fatalf("html: %d %s", h.Status, h.Header["Content-Type"])
	}
	body := string(h.Body)
	if !strings.Contains(body, "<svg") || strings.Contains(body, "<script") || strings.Contains(body, "src=\"http") {
		t.Error("HTML report is not a self-contained page with charts")
	}
	if csp := h.Header["Content-Security-Policy"]; !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("HTML report CSP %q", csp)
	}
	u := get(url.Values{"unit": {"be"}, "format": {"json"}})
	var one evaluate.Report
	if err := json.Unmarshal(u.Body, &one); err != nil || u.Status != 200 {
		t.Fatalf("unit BE: %d %v", u.Status, err)
	}
	if len(one.Results) == 0 {
		t.Fatal("no results for BE")
	}
	for _, res := range one.Results {
		if res.Unit != "BE" {
			t.Fatalf("unit=BE answered unit %s", res.Unit)
		}
	}
	if n := e.scans.Load(); n != scans {
		t.Errorf("offences scanned %d times after the first backtest, want it kept", n-scans)
	}

	// another window is another backtest
	w := get(url.Values{"train-from": {"2017-06"}, "train-to": {"2017-08"}, "format": {"json"}})
	var win evaluate.Report
	if err := json.Unmarshal(w.Body, &win); err != nil || w.Status != 200 {
		t.Fatalf("window: %d %s", w.Status, w.Body)
	}
	if o := win.Config.Origins[0]; !o.TrainFrom.Equal(day("2017-06-01")) || !o.TestFrom.Equal(day("2017-09-01")) || !o.TestTo.Equal(day("2017-10-01")) {
		t.Errorf("window %+v, want train 2017-06..08, test 2017-09", o)
	}
}

func TestAccuracyBadParameters(t *testing.T) {
	e := newBacktestEnv(t, nil)
	for _, c := range []struct {
		q     string
		param string
	}{
		{"format=pdf", "format"},
		{"unit=ZZ", "unit"},
		{"band=never", "band"},
		{"group=knitting", "group"},
		{"res=3", "res"},
		{"train-from=2017-13", "train-from"},
		{"train-from=2017-05&train-to=2017-03", "train-to"},
		{"train-from=2017-01&train-to=2017-06&test-from=2017-03", "test-from"},
		{"train-from=2017-01&train-to=2017-06&test-to=2017-05", "test-to"},
		{"trainfrom=2017-01", "trainfrom"},
	} {
		q, _ := url.ParseQuery(c.q)
		r := e.api.Get(context.Background(), "/api/v1/accuracy", q)
		var b struct{ Error, Parameter string }
		json.Unmarshal(r.Body, &b)
		if r.Status != 400 || b.Parameter != c.param {
			t.Errorf("%s: %d %s, want 400 naming %s", c.q, r.Status, r.Body, c.param)
		}
	}
	if n := e.scans.Load(); n != 0 {
		t.Errorf("bad requests scanned offences %d times", n)
	}
	a, _ := newAPI(t) // no Backtest configured
	if r := a.Get(context.Background(), "/api/v1/accuracy", nil); r.Status != 404 {
		t.Errorf("without a backtest: %d %s, want 404", r.Status, r.Body)
	}
}

// TestAccuracyAudited checks a view of the report is audited as a view and
// a unit-limited viewer gets only their unit.
func TestAccuracyAudited(t *testing.T) {
	trail := &audit.MemStore{}
	acc := &auth.Service{Store: &auth.MemStore{}, Params: auth.Params{Time: 1, Memory: 64, Threads: 1}}
	e := newBacktestEnv(t, &server.Auth{Accounts: acc, Audit: &audit.Logger{Store: trail}, Plans: &plan.Service{Store: &plan.MemStore{}}})
	ctx := context.Background()
	if _, err := acc.AddUser(ctx, "cv-viewer", testPassword, hotgrid.RoleViewer, "CV"); err != nil {
		t.Fatal(err)
	}
	resp := e.api.Serve(ctx, server.Request{Method: "POST", Path: "/login", ContentType: "application/json",
		Body: []byte(`{"name":"cv-viewer","password":"` + testPassword + `"}`)})
	cookie := cookieValue(t, resp.Header["Set-Cookie"])
	get := func(q url.Values) *server.Response {
		return e.api.Serve(ctx, server.Request{Method: "GET", Path: "/api/v1/accuracy", Query: q, SessionCookie: cookie})
	}
	if r := get(url.Values{"unit": {"BE"}}); r.Status != 403 {
		t.Fatalf("CV viewer asking for BE: %d", r.Status)
	}
	r := get(url.Values{"format": {"json"}})
	var rep evaluate.Report
	if err := json.Unmarshal(r.Body, &rep); err != nil || r.Status != 200 || len(rep.Results) == 0 {
		t.Fatalf("own unit: %d %v %.200s", r.Status, err, r.Body)
	}
	for _, res := range rep.Results {
		if res.Unit != "CV" {
			t.Fatalf("CV viewer saw unit %s", res.Unit)
		}
	}
	views := 0
	for _, rec := range trail.Records {
		if rec.Action == audit.ActionView && strings.Contains(strings.Join(rec.Objects, " "), "/api/v1/accuracy") && rec.User == "cv-viewer" {
			views++
		}
	}
	if views != 1 {
		t.Errorf("%d audited views of the accuracy report, want 1", views)
	}
}
