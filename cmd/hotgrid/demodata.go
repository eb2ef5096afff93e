package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/hotgrid/hotgrid/internal/demo"
	"github.com/hotgrid/hotgrid/internal/units"
)

// runDemoData writes the deterministic West Midlands 2017 demo data set.
func runDemoData(_ context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("demo-data", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	out := fs.String("out", "data/demo/wmp-2017.csv.gz", "gzip CSV file to write")
	seed := fs.Uint64("seed", demo.DefaultSeed, "random seed (the committed file uses the default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	npus, err := units.Default()
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("demo-data: %w", err)
	}
	n, err := demo.Write(f, demo.Config{Seed: *seed, Units: npus})
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("demo-data: close %s: %w", *out, cerr)
	}
	if err != nil {
		os.Remove(*out)
		return fmt.Errorf("demo-data: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote %d offences to %s\n", n, *out)
	return nil
}
