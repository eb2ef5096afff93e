package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London on machines without a zoneinfo database

	"github.com/hotgrid/hotgrid/internal/evaluate"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/score"
	"github.com/hotgrid/hotgrid/internal/severity"
	storeopen "github.com/hotgrid/hotgrid/internal/store/open"
	"github.com/hotgrid/hotgrid/internal/units"
	"github.com/paulmach/orb"
)

// runEvaluate backtests the ranking methods on a store's offences.
func runEvaluate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dbPath := fs.String("db", "", "store to read: SQLite file or postgres:// URL (default $HOTGRID_DB, else the embedded demo data)")
	trainFrom := fs.String("train-from", "", "first month (YYYY-MM) or day (YYYY-MM-DD) of training")
	trainTo := fs.String("train-to", "", "last month or day of training, inclusive (default: train-from)")
	testFrom := fs.String("test-from", "", "first month or day of the test window (default: the day after training)")
	testTo := fs.String("test-to", "", "last month or day of the test window, inclusive (default: one month from test-from)")
	rolling := fs.Int("rolling", 1, "number of rolling origins")
	step := fs.Int("step", 1, "months between rolling origins")
	budgets := fs.String("budgets", "0.005,0.01,0.02,0.05", "area budgets, fractions of the study area")
	by := fs.String("by", "unit", "study areas: unit (offences without a unit use their force) or force")
	band := fs.String("band", hotgrid.AnyTimeBand, "time band name")
	group := fs.String("group", evaluate.GroupAll, "crime groups, comma separated: all (every crime but ASB) or "+strings.Join(hotgrid.CrimeGroups, "|"))
	res := fs.Int("res", hotgrid.DefaultResolution, "H3 resolution")
	study := fs.String("study", evaluate.StudyBoundary, "study area: boundary (unit or force polyfill; footprint where none is known) or footprint (training offences' cells plus one ring, for extracts smaller than a unit)")
	format := fs.String("format", "table", "output: table, json or html")
	out := fs.String("out", "", "output file (default stdout)")
	weightsPath := fs.String("weights", "", "severity weights CSV (code,category,name,weight; default: the embedded ONS CSS category table)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("evaluate: unexpected argument %q", fs.Arg(0))
	}
	if *format != "table" && *format != "json" && *format != "html" {
		return hotgrid.FieldErrorf("format", "must be table, json or html, not %q", *format)
	}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	cfg, err := evaluateConfig(loc, *trainFrom, *trainTo, *testFrom, *testTo)
	if err != nil {
		return err
	}
	cfg.Rolling, cfg.StepMonths, cfg.By, cfg.Res, cfg.Location = *rolling, *step, *by, *res, loc
	if cfg.Budgets, err = parseBudgets(*budgets); err != nil {
		return err
	}
	cfg.Groups = strings.Split(*group, ",")
	if cfg.Band, err = findBand(*band); err != nil {
		return err
	}
	switch *study {
	case evaluate.StudyBoundary:
		if cfg.Boundaries, err = evaluateBoundaries(*by); err != nil {
			return err
		}
	case evaluate.StudyFootprint:
	default:
		return hotgrid.FieldErrorf("study", "must be boundary or footprint, not %q", *study)
	}
	weights, err := loadWeights(*weightsPath)
	if err != nil {
		return err
	}
	cfg.Weights = weights

	db, err := openEvaluateStore(ctx, env, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	origins := cfg.Origins()
	filter := hotgrid.OffenceFilter{From: origins[0].TrainFrom, To: origins[len(origins)-1].TestTo}
	scan := func(fn func(*hotgrid.Offence) error) error { return db.ScanOffences(ctx, filter, fn) }

	rep, err := evaluate.Run(ctx, cfg, scan)
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	return writeReport(env.Stdout, *out, *format, rep)
}

// openEvaluateStore opens --db, else $HOTGRID_DB, else (like every
// read-only command) the embedded demo data in an in-memory store.
func openEvaluateStore(ctx context.Context, env *Env, path string) (hotgrid.OffenceStore, error) {
	if path == "" {
		path = env.Getenv("HOTGRID_DB")
	}
	if path == "" {
		npus, err := units.Default()
		if err != nil {
			return nil, fmt.Errorf("evaluate: load units: %w", err)
		}
		codes, err := severity.Default()
		if err != nil {
			return nil, fmt.Errorf("evaluate: load severity weights: %w", err)
		}
		fmt.Fprintln(env.Stderr, "hotgrid evaluate: no --db or HOTGRID_DB: evaluating the embedded demo data (West Midlands NPUs, 2017)")
		st, err := demoStore(ctx, npus, codes)
		if err != nil {
			return nil, fmt.Errorf("evaluate: %w", err)
		}
		return st, nil
	}
	if !storeopen.IsPostgres(path) {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("evaluate: store %s: %w", path, err)
		}
	}
	db, err := storeopen.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	return db, nil
}

func writeReport(stdout io.Writer, path, format string, rep *evaluate.Report) (err error) {
	w := stdout
	if path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("evaluate: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("evaluate: close %s: %w", path, cerr)
			}
		}()
		w = f
	}
	switch format {
	case "json":
		return evaluate.WriteJSON(w, rep)
	case "html":
		return evaluate.WriteHTML(w, rep)
	}
	return evaluate.WriteTable(w, rep)
}

// evaluateConfig turns the window flags into half-open windows. Months are
// whole months, days whole days; "to" flags are inclusive.
func evaluateConfig(loc *time.Location, trainFrom, trainTo, testFrom, testTo string) (evaluate.Config, error) {
	var c evaluate.Config
	if trainFrom == "" {
		return c, hotgrid.FieldErrorf("train-from", "required (YYYY-MM or YYYY-MM-DD)")
	}
	if trainTo == "" {
		trainTo = trainFrom
	}
	var err error
	if c.TrainFrom, _, err = parsePeriod("train-from", trainFrom, loc); err != nil {
		return c, err
	}
	if _, c.TrainTo, err = parsePeriod("train-to", trainTo, loc); err != nil {
		return c, err
	}
	c.TestFrom = c.TrainTo
	if testFrom != "" {
		if c.TestFrom, _, err = parsePeriod("test-from", testFrom, loc); err != nil {
			return c, err
		}
	}
	c.TestTo = c.TestFrom.AddDate(0, 1, 0)
	if testTo != "" {
		if _, c.TestTo, err = parsePeriod("test-to", testTo, loc); err != nil {
			return c, err
		}
	}
	return c, nil
}

// parsePeriod reads YYYY-MM (a month) or YYYY-MM-DD (a day) and returns
// its first instant and the first instant after it.
func parsePeriod(field, s string, loc *time.Location) (time.Time, time.Time, error) {
	if t, err := time.ParseInLocation("2006-01", s, loc); err == nil {
		return t, t.AddDate(0, 1, 0), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, t.AddDate(0, 0, 1), nil
	}
	return time.Time{}, time.Time{}, hotgrid.FieldErrorf(field, "%q is not a month (YYYY-MM) or a date (YYYY-MM-DD)", s)
}

func parseBudgets(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(v > 0 && v <= 1) {
			return nil, hotgrid.FieldErrorf("budgets", "%q is not a fraction in (0, 1] (0.01 is 1%%)", f)
		}
		out = append(out, v)
	}
	return out, nil
}

func findBand(name string) (hotgrid.Band, error) {
	bands, err := score.DefaultBands()
	if err != nil {
		return hotgrid.Band{}, fmt.Errorf("evaluate: %w", err)
	}
	var names []string
	for _, b := range bands {
		if b.Name == name {
			return b, nil
		}
		names = append(names, b.Name)
	}
	if name == hotgrid.AnyTimeBand {
		return hotgrid.Band{Name: name, Label: "any time", AnyTime: true}, nil
	}
	return hotgrid.Band{}, hotgrid.FieldErrorf("band", "unknown band %q (have %s)", name, strings.Join(names, ", "))
}

// evaluateBoundaries gives each unit (with --by unit) and each force its
// boundary: the embedded NPUs and police force areas.
func evaluateBoundaries(by string) (map[string]orb.MultiPolygon, error) {
	forces, err := units.DefaultForces()
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	if by != "unit" {
		return evaluate.Boundaries(forces.Units()), nil
	}
	npus, err := units.Default()
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	return evaluate.Boundaries(forces.Units(), npus.Units()), nil
}
