package main

import (
	"bytes"
	"context"
	"fmt"

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
// new data (PostgreSQL), the engine reloads itself until then.
func openService(ctx context.Context, env *Env, dbPath string) (hotgrid.Service, func(), error) {
	if dbPath == "" {
		dbPath = env.Getenv("HOTGRID_DB")
	}
	npus, err := units.Default()
	if err != nil {
		return nil, nil, fmt.Errorf("load units: %w", err)
	}
	forces, err := units.DefaultForces()
	if err != nil {
		return nil, nil, fmt.Errorf("load force areas: %w", err)
	}
	weights, err := severity.Default()
	if err != nil {
		return nil, nil, fmt.Errorf("load severity weights: %w", err)
	}
	var st hotgrid.OffenceStore
	if dbPath != "" {
		if st, err = storeopen.Open(ctx, dbPath); err != nil {
			return nil, nil, fmt.Errorf("open store %s: %w", dbPath, err)
		}
	} else if st, err = demoStore(ctx, npus, weights); err != nil {
		return nil, nil, err
	}
	sources, err := st.Sources(ctx)
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("list sources: %w", err)
	}
	eng, err := score.NewEngine(score.Config{Units: npus.Units(), Forces: forces.Units(), Weights: weights,
		Version: env.Version, Sources: sources}, func(fn func(*hotgrid.Offence) error) error {
		return st.ScanOffences(ctx, hotgrid.OffenceFilter{}, fn)
	})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	wctx, stop := context.WithCancel(ctx)
	if w, ok := st.(hotgrid.DataWatcher); ok {
		go watchData(wctx, env, w, eng)
	}
	return eng, func() { stop(); st.Close() }, nil
}

// watchData reloads the engine whenever the store's data version changes
// after the first report.
func watchData(ctx context.Context, env *Env, w hotgrid.DataWatcher, eng *score.Engine) {
	var first = true
	var last int64
	err := w.WatchDataVersion(ctx, func(v int64) {
		if first || v == last {
			first, last = false, v
			return
		}
		last = v
		if err := eng.Reload(ctx); err != nil {
			fmt.Fprintln(env.Stderr, "hotgrid: reload after new data:", err)
		}
	})
	if err != nil && ctx.Err() == nil {
		fmt.Fprintln(env.Stderr, "hotgrid: watching for new data stopped:", err)
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
