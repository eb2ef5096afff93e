// Command hotgrid turns police offence records into ranked patrol hot grids:
// it ingests data, ranks H3 cells per unit and time band, serves a map and
// exports to GIS tools. This file is the only place that reads flags and the
// environment; each sub-command lives in a file of its own.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Env is what a sub-command may touch of the outside world.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	IsTerminal     bool // stderr is a terminal (progress bars)
	Version        string
}

// command is one sub-command.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"ingest":       {"load police.uk or mapped CSV files into a store", runIngest},
		"demo-data":    {"write the deterministic West Midlands 2017 demo data set", runDemoData},
		"derive-units": {"derive the NPU boundary file from ONS/OS boundaries", runDeriveUnits},
		"rank":         {"rank hot grids per unit", runRank},
		"knife":        {"top knife-point robbery hotspots per unit", runKnife},
		"serve":        {"serve the map page and API", runServe},
		"export":       {"export hot grids as GeoJSON, GeoPackage, KML or CSV", runExport},
		"map":          {"draw the map's view of the hot grids as an SVG picture", runMap},
		"evaluate":     {"backtest hot grid forecasts (PAI, PEI*, hit rate)", runEvaluate},
		"user":         {"add, disable or reset accounts; make API tokens", runUser},
		"audit":        {"verify the hash-chained audit trail", runAudit},
		"version":      {"print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv,
		IsTerminal: isTerminal(os.Stderr), Version: version}
	if err := run(ctx, env, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "hotgrid:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, env *Env, args []string) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr, cmds)
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(env.Stderr, cmds)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(ctx, env, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: hotgrid <command> [flags]\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(w, "  %-13s %s\n", n, cmds[n].summary)
	}
}

func runVersion(_ context.Context, env *Env, _ []string) error {
	_, err := fmt.Fprintln(env.Stdout, "hotgrid", env.Version)
	return err
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
