package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/server"
)

// mapFlags are the flags of `hotgrid map`, each named as the parameter of
// /api/v1/map.svg it sets (db and out aside).
var mapFlags = []struct{ name, def, usage string }{
	{"unit", "", "unit codes, comma-separated (default: every unit; the view fits the units chosen)"},
	{"band", "", "time band name (see data/bands.csv; default any time)"},
	{"from", "", "first day or month, YYYY-MM-DD or YYYY-MM (default: start of the data)"},
	{"to", "", "last day or month included (default: end of the data)"},
	{"metric", "", "rank and colour by count, harm or recency (default harm)"},
	{"category", "", "crime categories, comma-separated names or slugs (default: all)"},
	{"top", "", "hot grid cells per unit (default 10)"},
	{"colour", "", "colour the cells by metric or class (Gi*) (default metric)"},
	{"hide", "", "layers left out, comma-separated: grids, knife, units"},
	{"width", "", "picture width in pixels, 64-4096 (default 1200)"},
	{"height", "", "picture height in pixels, 64-4096 (default 800)"},
	{"map", "", "camera as zoom/lat/lon, as in the map page's link (default: fit the units)"},
	{"res", "", "H3 resolution of the cells (default: by zoom, as the map page)"},
	{"legend", "1", "1 draws a legend and the boundaries' attribution, 0 leaves them out"},
}

// runMap draws the map page's view of the hot grids as an SVG picture, for
// a briefing pack or a slide:
//
//	hotgrid map --out FILE.svg [--db PATH] [--unit U] [--band B] [--from D]
//	  [--to D] [--metric M] [--category C] [--top N] [--colour metric|class]
//	  [--hide grids,knife,units] [--width W] [--height H] [--map Z/LAT/LON]
//	  [--legend 0|1]
//
// It asks the server's core for /api/v1/map.svg, so the picture is the one
// the map page and its "SVG map" link show, with a legend and the
// boundaries' attribution unless --legend 0.
func runMap(ctx context.Context, env *Env, args []string) error {
	return mapCommand(ctx, env, args, openService)
}

// mapCommand is runMap with the service opener as a parameter, for tests.
func mapCommand(ctx context.Context, env *Env, args []string, open func(context.Context, *Env, string) (hotgrid.Service, func(), error)) error {
	fs := flag.NewFlagSet("map", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	db := fs.String("db", "", "offence store: SQLite path or postgres:// URL (default $HOTGRID_DB, else the embedded demo data)")
	out := fs.String("out", "", `output file; "-" writes to standard output (required)`)
	vals := make([]*string, len(mapFlags))
	for i, f := range mapFlags {
		vals[i] = fs.String(f.name, f.def, f.usage)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("map: unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return errors.New("map: --out FILE is required")
	}
	q := url.Values{}
	for i, f := range mapFlags {
		if *vals[i] != "" {
			q.Set(f.name, *vals[i])
		}
	}
	svc, closeSvc, err := open(ctx, env, *db)
	if err != nil {
		return err
	}
	defer closeSvc()
	body, view, err := drawMap(ctx, svc, q)
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err = env.Stdout.Write(body)
		return err
	}
	if err := os.WriteFile(*out, body, 0o644); err != nil {
		return fmt.Errorf("map: %w", err)
	}
	fmt.Fprintf(env.Stderr, "hotgrid: wrote %s (%d bytes, view %s)\n", *out, len(body), view)
	return nil
}

// drawMap asks the server's transport-free core for the picture; a refused
// parameter is reported by its flag.
func drawMap(ctx context.Context, svc hotgrid.Service, q url.Values) (body []byte, view string, err error) {
	api, err := server.New(server.Config{Service: svc, Open: true})
	if err != nil {
		return nil, "", fmt.Errorf("map: %w", err)
	}
	r := api.Get(ctx, "/api/v1/map.svg", q)
	if r.Status == http.StatusOK {
		return r.Body, r.Header[server.HeaderView], nil
	}
	var e struct{ Error, Parameter string }
	if json.Unmarshal(r.Body, &e) != nil || e.Error == "" {
		return nil, "", fmt.Errorf("map: HTTP %d: %s", r.Status, r.Body)
	}
	if e.Parameter != "" {
		return nil, "", fmt.Errorf("map: --%s: %s", e.Parameter, e.Error)
	}
	return nil, "", fmt.Errorf("map: %s", e.Error)
}
