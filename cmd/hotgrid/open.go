package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/score"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/internal/store/memory"
	storeopen "github.com/hotgrid/hotgrid/internal/store/open"
	"github.com/hotgrid/hotgrid/internal/units"
)

// openService loads the scoring engine over a store: dbPath, else the
// HOTGRID_DB environment variable, else the embedded demo data ingested
// into an in-memory store. Units are the embedded West Midlands NPUs,
// forces the embedded police force areas, weights the embedded ONS CSS
// table. The returned func closes the store; with a store that announces
// new data (PostgreSQL), the engine reloads itself until then, and the
// service is a reloadNotifier.
func openService(ctx context.Context, env *Env, dbPath string) (hotgrid.Service, func(), error) {
	svc, _, closeAll, err := openServiceStore(ctx, env, dbPath)
	return svc, closeAll, err
}

// openServiceStore is openService that also returns the offence store the
// engine reads (serve backtests forecasts on it).
func openServiceStore(ctx context.Context, env *Env, dbPath string) (hotgrid.Service, hotgrid.OffenceStore, func(), error) {
	if dbPath == "" {
		dbPath = env.Getenv("HOTGRID_DB")
	}
	npus, err := units.Default()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load units: %w", err)
	}
	forces, err := units.DefaultForces()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load force areas: %w", err)
	}
	weights, err := severity.Default()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load severity weights: %w", err)
	}
	var st hotgrid.OffenceStore
	if dbPath != "" {
		if st, err = storeopen.Open(ctx, dbPath); err != nil {
			return nil, nil, nil, fmt.Errorf("open store %s: %w", dbPath, err)
		}
	} else if st, err = demoStore(ctx, npus, weights); err != nil {
		return nil, nil, nil, err
	}
	sources, err := st.Sources(ctx)
	if err != nil {
		st.Close()
		return nil, nil, nil, fmt.Errorf("list sources: %w", err)
	}
	// A shared store is watched from before the engine's first scan, so
	// that data landing during the scan is not missed.
	wctx, stop := context.WithCancel(ctx)
	var w *dataWatch
	if dw, ok := st.(hotgrid.DataWatcher); ok {
		w = startWatch(wctx, env, dw)
	}
	eng, err := score.NewEngine(score.Config{Units: npus.Units(), Forces: forces.Units(), Weights: weights,
		Version: env.Version, Sources: sources}, func(fn func(*hotgrid.Offence) error) error {
		return st.ScanOffences(ctx, hotgrid.OffenceFilter{}, fn)
	})
	if err != nil {
		stop()
		st.Close()
		return nil, nil, nil, err
	}
	closeAll := func() { stop(); st.Close() }
	if w == nil {
		return eng, st, closeAll, nil
	}
	w.loaded(wctx, eng)
	return &watchedEngine{Engine: eng, w: w}, st, closeAll, nil
}

// reloadNotifier is a service that reloads itself when new data lands in
// a shared store; fn is called after each reload (serve drops its cached
// answers).
type reloadNotifier interface {
	OnReload(fn func())
}

// watchedEngine is the engine over a shared store, reloaded by its watch.
type watchedEngine struct {
	*score.Engine
	w *dataWatch
}

// OnReload implements reloadNotifier.
func (e *watchedEngine) OnReload(fn func()) {
	e.w.mu.Lock()
	defer e.w.mu.Unlock()
	e.w.hooks = append(e.w.hooks, fn)
}

// watchStartWait bounds how long loading waits for the watch to report the
// current data version; after it the engine loads anyway and reloads once
// the watch reports.
const watchStartWait = 15 * time.Second

// dataWatch reloads an engine whenever a shared store's data version
// changes. The watch starts before the engine's first scan: versions
// reported before the scan began are in the scan; a different version
// reported during the scan, or a first report after it began, reloads the
// engine once it is loaded.
type dataWatch struct {
	env     *Env
	started chan struct{} // closed at the first report
	mu      sync.Mutex
	known   bool          // version holds a reported version
	version int64         // the version the engine holds (or will, once loaded)
	scan    bool          // the engine's first scan has begun
	missed  bool          // a version the scan may not hold was reported during it
	eng     *score.Engine // nil until loaded
	hooks   []func()
}

// startWatch starts watching and waits for the first report (at most
// watchStartWait).
func startWatch(ctx context.Context, env *Env, dw hotgrid.DataWatcher) *dataWatch {
	w := &dataWatch{env: env, started: make(chan struct{})}
	go func() {
		err := dw.WatchDataVersion(ctx, func(v int64) { w.report(ctx, v) })
		if err != nil && ctx.Err() == nil {
			fmt.Fprintln(env.Stderr, "hotgrid: watching for new data stopped:", err)
		}
	}()
	select {
	case <-w.started:
	case <-ctx.Done():
	case <-time.After(watchStartWait):
		fmt.Fprintln(env.Stderr, "hotgrid: not yet watching for new data; loading anyway")
	}
	w.mu.Lock()
	w.scan = true
	w.mu.Unlock()
	return w
}

// report handles one reported data version.
func (w *dataWatch) report(ctx context.Context, v int64) {
	w.mu.Lock()
	if !w.scan { // the scan is still to come: it will hold v
		if !w.known {
			close(w.started)
		}
		w.known, w.version = true, v
		w.mu.Unlock()
		return
	}
	if w.known && v == w.version {
		w.mu.Unlock()
		return
	}
	w.known, w.version = true, v
	eng := w.eng
	if eng == nil { // scanning: reload once loaded
		w.missed = true
		w.mu.Unlock()
		return
	}
	w.mu.Unlock()
	w.reload(ctx, eng)
}

// loaded hands the watch the engine after its first scan.
func (w *dataWatch) loaded(ctx context.Context, eng *score.Engine) {
	w.mu.Lock()
	w.eng = eng
	missed := w.missed
	w.mu.Unlock()
	if missed {
		w.reload(ctx, eng)
	}
}

// reload rescans the store and calls the OnReload functions.
func (w *dataWatch) reload(ctx context.Context, eng *score.Engine) {
	if err := eng.Reload(ctx); err != nil {
		if ctx.Err() == nil {
			fmt.Fprintln(w.env.Stderr, "hotgrid: reload after new data:", err)
		}
		return
	}
	w.mu.Lock()
	hooks := slices.Clone(w.hooks)
	w.mu.Unlock()
	for _, fn := range hooks {
		fn()
	}
}

// demoStore ingests the embedded demo offences into an in-memory store.
func demoStore(ctx context.Context, npus *units.Set, weights *severity.Table) (hotgrid.OffenceStore, error) {
	st := memory.New()
	m, err := ingest.LoadMapping(bytes.NewReader(data.DemoMapping()), "data/mappings/demo.json")
	if err != nil {
		return nil, err
	}
	rc, name := data.DemoCSV()
	defer rc.Close()
	in := &ingest.Ingester{Store: st, Units: npus, Codes: weights}
	if _, err := in.IngestReader(ctx, rc, name, ingest.FormatMapped, m); err != nil {
		return nil, fmt.Errorf("ingest demo data %s: %w", name, err)
	}
	if err := in.Flush(); err != nil {
		return nil, fmt.Errorf("ingest demo data %s: %w", name, err)
	}
	return st, nil
}
