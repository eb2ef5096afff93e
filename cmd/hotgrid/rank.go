package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// runRank ranks hot grids per unit.
func runRank(ctx context.Context, env *Env, args []string) error {
	return runRanking(ctx, env, args, "rank", 10)
}

// rankFlags are the flags shared by rank and knife.
type rankFlags struct {
	db, units, band, from, to, metric, cats, format string
	top, res, k                                     int
	significant                                     bool
	halfLife                                        float64
}

func parseRankFlags(env *Env, name string, defTop int, args []string) (*rankFlags, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	f := &rankFlags{}
	fs.StringVar(&f.db, "db", "", "offence store: SQLite path or postgres:// URL (default $HOTGRID_DB, else the embedded demo data)")
	fs.StringVar(&f.units, "unit", "", "unit codes, comma-separated (default: every unit with data)")
	fs.StringVar(&f.band, "band", "any", "time band name (see data/bands.csv)")
	fs.StringVar(&f.from, "from", "", "first day or month, YYYY-MM-DD or YYYY-MM (default: start of the data)")
	fs.StringVar(&f.to, "to", "", "last day or month included, YYYY-MM-DD or YYYY-MM (default: end of the data)")
	fs.StringVar(&f.metric, "metric", "", "rank by count, harm or recency (default harm; knife: count)")
	fs.IntVar(&f.top, "top", defTop, "cells per unit")
	fs.IntVar(&f.res, "res", hotgrid.DefaultResolution, "H3 resolution 7..11")
	fs.IntVar(&f.k, "k", 1, "Gi* ring size")
	fs.Float64Var(&f.halfLife, "half-life", 28, "recency half-life in days")
	fs.StringVar(&f.cats, "category", "", "crime categories, comma-separated names or slugs (default: all)")
	fs.BoolVar(&f.significant, "significant", false, "only cells that are significant hot spots (Gi*, FDR q < 0.10)")
	fs.StringVar(&f.format, "format", "table", "output: table, json or geojson")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%s: unexpected argument %q", name, fs.Arg(0))
	}
	if f.top < 1 {
		return nil, fmt.Errorf("%s: --top %d must be at least 1", name, f.top)
	}
	switch f.format {
	case "table", "json", "geojson":
	default:
		return nil, fmt.Errorf("%s: --format %q: want table, json or geojson", name, f.format)
	}
	return f, nil
}

// query turns the flags into a hotgrid.Query.
func (f *rankFlags) query() (hotgrid.Query, error) {
	q := hotgrid.Query{Units: splitList(f.units), Band: f.band, Metric: hotgrid.Metric(f.metric), Top: f.top,
		Resolution: f.res, Categories: splitList(f.cats), SignificantOnly: f.significant, HalfLifeDays: f.halfLife, K: f.k}
	var err error
	if q.From, err = parseDay(f.from, false); err != nil {
		return q, fmt.Errorf("--from: %w", err)
	}
	if q.To, err = parseDay(f.to, true); err != nil {
		return q, fmt.Errorf("--to: %w", err)
	}
	return q, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseDay reads YYYY-MM-DD or YYYY-MM in Europe/London; with end set it
// returns the instant after the day or month (an exclusive bound).
func parseDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.Time{}, err
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD or YYYY-MM", s)
	}
	if end {
		t = t.AddDate(0, 1, 0)
	}
	return t, nil
}

func runRanking(ctx context.Context, env *Env, args []string, name string, defTop int) error {
	f, err := parseRankFlags(env, name, defTop, args)
	if err != nil {
		return err
	}
	q, err := f.query()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	svc, closeSvc, err := openService(ctx, env, f.db)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer closeSvc()
	var r *hotgrid.Ranking
	if name == "knife" {
		r, err = svc.Knife(ctx, q)
	} else {
		r, err = svc.Rank(ctx, q)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	prov := svc.Provenance(ctx, r.Query)
	prov.Notes = r.Notes
	switch f.format {
	case "json":
		return writeRankingJSON(env.Stdout, r, prov)
	case "geojson":
		return writeRankingGeoJSON(env.Stdout, r, prov)
	}
	return writeRankingTable(env.Stdout, r)
}

func writeRankingJSON(w io.Writer, r *hotgrid.Ranking, p hotgrid.Provenance) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		*hotgrid.Ranking
		Provenance hotgrid.Provenance `json:"provenance"`
	}{r, p})
}

// writeRankingGeoJSON writes one Polygon Feature per ranked cell, with
// notes, study area and provenance as foreign members.
func writeRankingGeoJSON(w io.Writer, r *hotgrid.Ranking, p hotgrid.Provenance) error {
	fc := geojson.NewFeatureCollection()
	for _, ur := range r.Units {
		for _, c := range ur.Cells {
			f := geojson.NewFeature(geo.Boundary(c.Cell))
			f.Properties = geojson.Properties{
				"h3": c.H3, "unit": c.Unit, "rank": c.Rank, "count": c.Count, "harm": c.Harm, "recency": c.Recency,
				"z": c.Z, "p": c.P, "q": c.Q, "class": string(c.Class), "trend": c.Trend, "peak_band": c.PeakBand,
				"patrol_area": c.Area, "band": r.Query.Band, "metric": string(r.Query.Metric),
			}
			fc.Append(f)
		}
	}
	fc.ExtraMembers = geojson.Properties{"notes": r.Notes, "study_area": r.StudyArea, "provenance": p,
		"patrol_areas": areasOf(r)}
	b, err := json.Marshal(fc)
	if err != nil {
		return fmt.Errorf("encode geojson: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func areasOf(r *hotgrid.Ranking) []hotgrid.PatrolArea {
	out := []hotgrid.PatrolArea{}
	for _, ur := range r.Units {
		out = append(out, ur.Areas...)
	}
	return out
}

func writeRankingTable(w io.Writer, r *hotgrid.Ranking) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	q := r.Query
	fmt.Fprintf(w, "band %s, metric %s, resolution %d, top %d, study area: %s, %d offences\n\n",
		q.Band, q.Metric, q.Resolution, q.Top, r.StudyArea, r.Offences)
	for _, ur := range r.Units {
		fmt.Fprintf(w, "%s %s (%d cells in study area)\n", ur.Unit, ur.Name, ur.StudyCells)
		if len(ur.Cells) == 0 {
			fmt.Fprintln(w, "  no cells")
			continue
		}
		fmt.Fprintln(tw, "rank\th3\tcount\tharm\trecency\tz\tq\tclass\ttrend\tpeak band\tarea\t")
		for _, c := range ur.Cells {
			fmt.Fprintf(tw, "%d\t%s\t%.1f\t%.0f\t%.0f\t%.2f\t%.3g\t%s\t%s\t%s\t%s\t\n",
				c.Rank, c.H3, c.Count, c.Harm, c.Recency, c.Z, c.Q, c.Class, c.Trend, c.PeakBand, c.Area)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, a := range ur.Areas {
			peak := strings.Join(a.PeakBands, "+")
			if peak == "" {
				peak = "none (no timed offences)"
			}
			fmt.Fprintf(w, "  patrol area %s: %d cells, count %.1f, harm %.0f, peak %s; dose %d x %d-minute visits every %d min in %s\n",
				a.ID, len(a.Cells), a.Count, a.Harm, peak, a.Dose.Visits, a.Dose.VisitMinutes, a.Dose.EveryMinutes, a.Dose.Band)
		}
		fmt.Fprintln(w)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	return nil
}
