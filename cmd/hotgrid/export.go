package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/csv"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	storeopen "github.com/hotgrid/hotgrid/internal/store/open"
)

// exportOptions are the parsed flags of `hotgrid export`.
type exportOptions struct {
	format string
	out    string // "-" is standard output
	db     string
	query  hotgrid.Query
	all    bool  // every scored cell (Service.Cells) instead of the top hot grids
	knife  bool  // knife-point robbery hotspots (Service.Knife)
	plan   int64 // a patrol plan's areas (export.PlanInput), read from the --db store
}

// exportLayers names the export's layer by what it holds, as the server's
// /api/v1/export does.
const (
	exportLayerRank  = "hotgrid-hotgrids"
	exportLayerCells = "hotgrid-cells"
	exportLayerKnife = "hotgrid-knife"
)

// runExport writes hot grids for GIS tools:
//
//	hotgrid export --format geojson|gpkg|kml|csv --out FILE [--db PATH]
//	  [--unit U[,U...]] [--band B] [--from D] [--to D] [--metric M]
//	  [--top N | --all] [--res R] [--category C[,C...]] [--knife] [--plan ID]
//
// By default it writes each unit's top N cells and their patrol areas
// (Service.Rank); --all writes every scored cell (Service.Cells), --knife
// the knife-point robbery hotspots (Service.Knife). CSV gets two sidecars:
// FILE.csvt (column types for GDAL and QGIS) and FILE.provenance.json
// (GDAL's CSV reader has no comment lines, so the provenance cannot go in
// the file). --plan ID writes patrol plan ID of the --db store (an agreed
// plan, usually): its areas as patrol areas and its cells with their
// scores over the window (export.PlanInput), the plan's id, version, state
// and agreement in the provenance.
func runExport(ctx context.Context, env *Env, args []string) error {
	return exportCommand(ctx, env, args, openService)
}

// exportCommand is runExport with the service opener as a parameter, so
// tests can run it over a fixed service.
func exportCommand(ctx context.Context, env *Env, args []string, open func(context.Context, *Env, string) (hotgrid.Service, func(), error)) error {
	o, err := parseExportFlags(env, args)
	if err != nil {
		return err
	}
	svc, closeSvc, err := open(ctx, env, o.db)
	if err != nil {
		return err
	}
	defer closeSvc()
	var in export.Input
	if o.plan > 0 {
		p, err := loadExportPlan(ctx, env, o.db, o.plan)
		if err != nil {
			return err
		}
		in, err = exportPlanInput(ctx, svc, o, p, time.Now().UTC())
		if err != nil {
			return err
		}
	} else if in, err = exportInput(ctx, svc, o, time.Now().UTC()); err != nil {
		return err
	}
	if err := writeExport(ctx, env, o, in); err != nil {
		return err
	}
	if o.out != "-" {
		fmt.Fprintf(env.Stderr, "hotgrid: wrote %d cells, %d patrol areas and %d units to %s (%s)\n",
			len(in.Cells), len(in.Areas), len(in.Units), o.out, o.format)
	}
	return nil
}

// parseExportFlags reads export's own flags and the query flags of
// `hotgrid rank` (the same names, defaults and parsing: rankFlags.query).
func parseExportFlags(env *Env, args []string) (*exportOptions, error) {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := &exportOptions{}
	f := &rankFlags{}
	fs.StringVar(&o.format, "format", "", "output format: "+strings.Join(export.Formats, ", ")+" (required)")
	fs.StringVar(&o.out, "out", "", `output file; "-" writes to standard output (required)`)
	fs.StringVar(&f.db, "db", "", "offence store: SQLite path or postgres:// URL (default $HOTGRID_DB, else the embedded demo data)")
	fs.StringVar(&f.units, "unit", "", "unit codes, comma-separated (default: every unit with data)")
	fs.StringVar(&f.band, "band", "any", "time band name (see data/bands.csv)")
	fs.StringVar(&f.from, "from", "", "first day or month, YYYY-MM-DD or YYYY-MM (default: start of the data)")
	fs.StringVar(&f.to, "to", "", "last day or month included, YYYY-MM-DD or YYYY-MM (default: end of the data)")
	fs.StringVar(&f.metric, "metric", "", "rank by count, harm or recency (default harm; knife: count)")
	fs.IntVar(&f.top, "top", 0, "cells per unit (default 10; knife: 3)")
	fs.BoolVar(&o.all, "all", false, "export every scored cell, not just the top N and their patrol areas")
	fs.BoolVar(&o.knife, "knife", false, "export the knife-point robbery hotspots")
	fs.Int64Var(&o.plan, "plan", 0, "export patrol plan ID of the --db store: its areas and cells, the plan in the provenance")
	fs.IntVar(&f.res, "res", hotgrid.DefaultResolution, "H3 resolution 7..11")
	fs.IntVar(&f.k, "k", 1, "Gi* ring size")
	fs.Float64Var(&f.halfLife, "half-life", 28, "recency half-life in days")
	fs.StringVar(&f.cats, "category", "", "crime categories, comma-separated names or slugs (default: all)")
	fs.BoolVar(&f.significant, "significant", false, "only cells that are significant hot spots (Gi*, FDR q < 0.10)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("export: unexpected argument %q", fs.Arg(0))
	}
	switch {
	case o.format == "":
		return nil, hotgrid.FieldErrorf("format", "--format is required (%s)", strings.Join(export.Formats, ", "))
	case o.out == "":
		return nil, hotgrid.FieldErrorf("out", "--out FILE is required")
	case o.all && o.knife:
		return nil, hotgrid.FieldErrorf("all", "--all and --knife cannot be combined")
	case o.all && f.top != 0:
		return nil, hotgrid.FieldErrorf("top", "--top and --all cannot be combined")
	case f.top < 0:
		return nil, hotgrid.FieldErrorf("top", "--top %d must be at least 1", f.top)
	case o.plan < 0:
		return nil, hotgrid.FieldErrorf("plan", "--plan %d is not a plan id", o.plan)
	case o.plan > 0 && (o.all || o.knife || f.top != 0 || f.units != ""):
		return nil, hotgrid.FieldErrorf("plan", "--plan exports the plan's own unit and areas: it cannot be combined with --all, --knife, --top or --unit")
	}
	if _, _, err := export.ContentType(o.format); err != nil {
		return nil, err
	}
	q, err := f.query()
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	o.db, o.query = f.db, q
	return o, nil
}

// exportInput asks the service for what o selects and adds the unit
// boundaries and provenance, made at now.
func exportInput(ctx context.Context, svc hotgrid.Service, o *exportOptions, now time.Time) (export.Input, error) {
	var in export.Input
	var notes []string
	switch {
	case o.all:
		cells, err := svc.Cells(ctx, o.query)
		if err != nil {
			return in, err
		}
		in.Cells, in.Layer = cells, exportLayerCells
	default:
		rank, layer := svc.Rank, exportLayerRank
		if o.knife {
			rank, layer = svc.Knife, exportLayerKnife
		}
		rk, err := rank(ctx, o.query)
		if err != nil {
			return in, err
		}
		for _, u := range rk.Units {
			in.Cells = append(in.Cells, u.Cells...)
			in.Areas = append(in.Areas, u.Areas...)
		}
		in.Layer, notes = layer, rk.Notes
	}
	in.Units = exportUnits(svc.Units(), o.query.Units)
	in.Provenance = svc.Provenance(ctx, o.query)
	for _, n := range notes {
		if !exportHas(in.Provenance.Notes, n) {
			in.Provenance.Notes = append(in.Provenance.Notes, n)
		}
	}
	in.Provenance.MadeAt = now
	return in, nil
}

// exportUnits returns the units asked for (all when codes is empty),
// sorted by code.
func exportUnits(all []hotgrid.Unit, codes []string) []hotgrid.Unit {
	var out []hotgrid.Unit
	for _, u := range all {
		if len(codes) == 0 || exportHas(codes, u.Code) {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

func exportHas(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// writeExport writes in to o.out (atomically, through a temporary file in
// the same directory) or to standard output; a CSV file gets its .csvt and
// .provenance.json sidecars.
func writeExport(ctx context.Context, env *Env, o *exportOptions, in export.Input) error {
	if o.out == "-" {
		return export.Write(ctx, env.Stdout, o.format, in)
	}
	if err := exportWriteAtomic(o.out, func(w io.Writer) error { return export.Write(ctx, w, o.format, in) }); err != nil {
		return err
	}
	if o.format != "csv" {
		return nil
	}
	base := strings.TrimSuffix(o.out, filepath.Ext(o.out))
	if err := exportWriteAtomic(base+".csvt", csv.WriteCSVT); err != nil {
		return err
	}
	return exportWriteAtomic(o.out+".provenance.json", func(w io.Writer) error { return csv.WriteProvenance(w, in.Provenance) })
}

func exportWriteAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}

// loadExportPlan reads plan id from the store at dsn (else $HOTGRID_DB):
// plans live in the store, so --plan needs one.
func loadExportPlan(ctx context.Context, env *Env, dsn string, id int64) (*hotgrid.Plan, error) {
	if dsn == "" {
		dsn = env.Getenv("HOTGRID_DB")
	}
	if dsn == "" {
		return nil, hotgrid.FieldErrorf("plan", "--plan needs --db or HOTGRID_DB: plans are kept in the store")
	}
	if !storeopen.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("export: store %s: %w", dsn, err)
		}
	}
	st, err := storeopen.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer st.Close()
	ps, ok := st.(hotgrid.PlanStore)
	if !ok {
		return nil, fmt.Errorf("export: store %s keeps no plans", dsn)
	}
	p, err := ps.Plan(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("export: plan %d: %w", id, err)
	}
	return p, nil
}

// exportPlanInput is the export of plan p: its unit's cells scored over
// the window of o, the plan's areas and cells, and the plan's provenance.
func exportPlanInput(ctx context.Context, svc hotgrid.Service, o *exportOptions, p *hotgrid.Plan, now time.Time) (export.Input, error) {
	q := o.query
	q.Units = []string{p.Unit}
	scored, err := svc.Cells(ctx, q)
	if err != nil {
		return export.Input{}, err
	}
	prov := svc.Provenance(ctx, q)
	prov.MadeAt = now
	in := export.PlanInput(p, scored, prov)
	in.Units = exportUnits(svc.Units(), q.Units)
	return in, nil
}
