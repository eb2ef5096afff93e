package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/internal/evaluate"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// Backtest is what /api/v1/accuracy needs to backtest the hot grid
// forecasts on the loaded offences with package evaluate.
type Backtest struct {
	// Scan reads the offences in a window (usually OffenceStore.ScanOffences).
	Scan func(ctx context.Context, f hotgrid.OffenceFilter, fn func(*hotgrid.Offence) error) error
	// Weights weigh harm for the harm-weighted metrics (nil: harm = count).
	Weights hotgrid.Weights
	// Boundaries are the study areas by unit code (or force name); nil uses
	// the service's unit boundaries.
	Boundaries map[string]orb.MultiPolygon

	once    sync.Once
	reports *cache[*evaluate.Report] // by data version and settings
	studies *evaluate.StudyCache
}

// reportTTL is how long a backtest is kept: it is keyed by the data
// version, so new data gives a new key rather than a stale answer.
const reportTTL = 24 * time.Hour

func (b *Backtest) init(now func() time.Time) {
	b.once.Do(func() {
		b.reports = newCache[*evaluate.Report](8, reportTTL, now)
		b.studies = evaluate.NewStudyCache()
	})
}

// accuracyParams are the parameters of /api/v1/accuracy.
var accuracyParams = []string{"unit", "train-from", "train-to", "test-from", "test-to", "band", "group", "res", "format"}

// accuracyRequest is a parsed /api/v1/accuracy request.
type accuracyRequest struct {
	units  []string
	cfg    evaluate.Config
	format string
}

// accuracy answers /api/v1/accuracy: how well the hot grid forecasts did
// on the loaded data, as the self-contained HTML report of package evaluate
// (PAI, hit rate and harm caught against area share per method; format=json
// gives the results as JSON). The windows default to training on every
// month of the data but the last and testing on the last; train-from,
// train-to, test-from and test-to (YYYY-MM or YYYY-MM-DD; "to" inclusive)
// set them. unit narrows the results to units; band, group (all or a crime
// group) and res (H3 resolution) are as `hotgrid evaluate` takes them. Each
// backtest runs once per data version and settings, then comes from memory.
func (a *API) accuracy(ctx context.Context, c *call) *Response {
	b := a.cfg.Backtest
	if b == nil || b.Scan == nil {
		return a.fail(hotgrid.Errorf(hotgrid.ENOTFOUND, "forecast accuracy is not available on this server (no offence store)"))
	}
	b.init(a.now)
	req, err := a.parseAccuracy(ctx, c.Query)
	if err != nil {
		return a.fail(err)
	}
	version := a.dataVersion(ctx)
	cfgKey := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%d", version, req.cfg.TrainFrom.Format(time.RFC3339), req.cfg.TrainTo.Format(time.RFC3339),
		req.cfg.TestFrom.Format(time.RFC3339), req.cfg.TestTo.Format(time.RFC3339), req.cfg.Band.Name+"|"+strings.Join(req.cfg.Groups, ","), req.cfg.Res)
	rep, err := b.reports.get(cfgKey, func() (*evaluate.Report, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		return a.runBacktest(ctx, b, req.cfg)
	})
	if err != nil {
		return a.fail(err)
	}
	rep = onlyUnits(rep, req.units)
	return a.cached("accuracy|"+cfgKey+"|"+strings.Join(req.units, ",")+"|"+req.format, func() (*Response, error) {
		var buf bytes.Buffer
		if req.format == "json" {
			if err := evaluate.WriteJSON(&buf, rep); err != nil {
				return nil, err
			}
			return a.ok(ctJSON, buf.Bytes(), a.cfg.MaxAge), nil
		}
		if err := evaluate.WriteHTML(&buf, rep); err != nil {
			return nil, err
		}
		r := a.ok("text/html; charset=utf-8", buf.Bytes(), a.cfg.MaxAge)
		r.Header["Content-Security-Policy"] = pageCSP // inline CSS and SVG, no scripts
		return r, nil
	})
}

// runBacktest runs evaluate over the offences of the windows.
func (a *API) runBacktest(ctx context.Context, b *Backtest, cfg evaluate.Config) (*evaluate.Report, error) {
	cfg.Weights, cfg.Studies, cfg.Location = b.Weights, b.studies, a.loc
	cfg.Boundaries = b.Boundaries
	if cfg.Boundaries == nil {
		cfg.Boundaries = evaluate.Boundaries(a.unitList)
	}
	filter := hotgrid.OffenceFilter{From: cfg.TrainFrom, To: cfg.TestTo}
	start := a.now()
	rep, err := evaluate.Run(ctx, cfg, func(fn func(*hotgrid.Offence) error) error { return b.Scan(ctx, filter, fn) })
	if err != nil {
		return nil, fmt.Errorf("accuracy: %w", err)
	}
	a.log.Info("forecast accuracy computed", "train_from", cfg.TrainFrom, "test_to", cfg.TestTo, "results", len(rep.Results),
		"ms", a.now().Sub(start).Milliseconds())
	return rep, nil
}

// parseAccuracy reads the parameters, defaulting the windows from the data.
func (a *API) parseAccuracy(ctx context.Context, v url.Values) (*accuracyRequest, error) {
	if err := checkParams(v, accuracyParams...); err != nil {
		return nil, err
	}
	r := &accuracyRequest{format: strings.ToLower(strings.TrimSpace(v.Get("format")))}
	switch r.format {
	case "":
		r.format = "html"
	case "html", "json":
	default:
		return nil, hotgrid.FieldErrorf("format", "unknown format %q (want html or json)", r.format)
	}
	var err error
	if r.units, err = parseUnits(v.Get("unit"), a.unitList); err != nil {
		return nil, err
	}
	band, err := parseBand(v.Get("band"), a.bandList)
	if err != nil {
		return nil, err
	}
	r.cfg.Band = hotgrid.Band{Name: hotgrid.AnyTimeBand, Label: "any time", AnyTime: true}
	for _, x := range a.bandList {
		if band != "" && x.Name == band {
			r.cfg.Band = x
		}
	}
	if g := strings.TrimSpace(v.Get("group")); g != "" && g != evaluate.GroupAll {
		if !slices.Contains(hotgrid.CrimeGroups, g) {
			return nil, hotgrid.FieldErrorf("group", "unknown crime group %q (want all or one of %s)", g, strings.Join(hotgrid.CrimeGroups, ", "))
		}
		r.cfg.Groups = []string{g}
	}
	if r.cfg.Res, err = parseInt("res", v.Get("res"), hotgrid.MinResolution, hotgrid.MaxResolution, hotgrid.DefaultResolution); err != nil {
		return nil, err
	}
	if err := a.accuracyWindows(ctx, v, &r.cfg); err != nil {
		return nil, err
	}
	return r, nil
}

// accuracyWindows sets the training and test windows: given, or every
// month of the data but the last for training and the last for testing.
func (a *API) accuracyWindows(ctx context.Context, v url.Values, cfg *evaluate.Config) error {
	dates := map[string]time.Time{}
	for _, p := range []string{"train-from", "train-to", "test-from", "test-to"} {
		t, err := parseDate(p, v.Get(p), a.loc, strings.HasSuffix(p, "-to"))
		if err != nil {
			return err
		}
		dates[p] = t
	}
	if dates["train-from"].IsZero() || dates["train-to"].IsZero() {
		p := a.svc.Provenance(ctx, hotgrid.Query{})
		if p.DataFrom.IsZero() || p.DataTo.IsZero() {
			return hotgrid.Errorf(hotgrid.ENOTFOUND, "no offences loaded: nothing to backtest")
		}
		first := monthStart(p.DataFrom.In(a.loc))
		last := monthStart(p.DataTo.Add(-time.Second).In(a.loc))
		if !first.Before(last) {
			return hotgrid.FieldErrorf("train-from", "the data cover one month (%s): give train-from, train-to and test-from", first.Format("2006-01"))
		}
		if dates["train-from"].IsZero() {
			dates["train-from"] = first
		}
		if dates["train-to"].IsZero() {
			dates["train-to"] = last
		}
	}
	cfg.TrainFrom, cfg.TrainTo = dates["train-from"], dates["train-to"]
	cfg.TestFrom, cfg.TestTo = dates["test-from"], dates["test-to"]
	if cfg.TestFrom.IsZero() {
		cfg.TestFrom = cfg.TrainTo
	}
	if cfg.TestTo.IsZero() {
		cfg.TestTo = cfg.TestFrom.AddDate(0, 1, 0)
	}
	switch {
	case !cfg.TrainFrom.Before(cfg.TrainTo):
		return hotgrid.FieldErrorf("train-to", "training window is empty (%s to %s)", cfg.TrainFrom.Format(time.DateOnly), cfg.TrainTo.Format(time.DateOnly))
	case cfg.TestFrom.Before(cfg.TrainTo):
		return hotgrid.FieldErrorf("test-from", "test window starts %s, before training ends %s", cfg.TestFrom.Format(time.DateOnly), cfg.TrainTo.Format(time.DateOnly))
	case !cfg.TestFrom.Before(cfg.TestTo):
		return hotgrid.FieldErrorf("test-to", "test window is empty (%s to %s)", cfg.TestFrom.Format(time.DateOnly), cfg.TestTo.Format(time.DateOnly))
	}
	return nil
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// dataVersion names the loaded data: its sources, their hashes and the
// span of the offences. A reload with new data changes it.
func (a *API) dataVersion(ctx context.Context) string {
	p := a.svc.Provenance(ctx, hotgrid.Query{})
	b, _ := json.Marshal(struct {
		S        []hotgrid.SourceFile
		From, To time.Time
	}{p.Sources, p.DataFrom, p.DataTo})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// onlyUnits keeps the results of units (all when units is empty).
func onlyUnits(rep *evaluate.Report, units []string) *evaluate.Report {
	if len(units) == 0 {
		return rep
	}
	out := *rep
	out.Results = nil
	for _, r := range rep.Results {
		if slices.Contains(units, r.Unit) {
			out.Results = append(out.Results, r)
		}
	}
	out.Config.Keys = len(units)
	return &out
}

// WarmAccuracy runs the default backtest (every month but the last against
// the last) so the map page's accuracy link answers at once. It does
// nothing without a Backtest; errors are logged, not returned.
func (a *API) WarmAccuracy(ctx context.Context) {
	if a.cfg.Backtest == nil {
		return
	}
	if r := a.internalGet(ctx, "/api/v1/accuracy"); r.Status != 200 {
		a.log.Warn("accuracy warm-up failed", "status", r.Status, "body", string(r.Body))
	}
}
