package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/hotgrid/hotgrid/internal/units"
)

// runDeriveUnits derives the West Midlands NPU boundary file (and, with
// --forces-out, the police force areas file, and with --wards-out the West
// Midlands 2013 wards drawn on the map for orientation) from the ONS/OS
// boundaries.
func runDeriveUnits(_ context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("derive-units", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dir := fs.String("boundaries", "../shared/data/boundaries", "directory of the shared ONS/OS boundary files")
	out := fs.String("out", "data/units/wmp-npu.geojson", "NPU GeoJSON file to write")
	forcesOut := fs.String("forces-out", "", "police force areas GeoJSON file to write (optional)")
	wardsOut := fs.String("wards-out", "", "West Midlands wards GeoJSON file to write (optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	npus, err := units.DeriveNPUs(*dir)
	if err != nil {
		return fmt.Errorf("derive npus: %w", err)
	}
	if err := units.WriteFeatureCollection(*out, npus); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %d units to %s\n", len(npus.Features), *out)
	if *wardsOut != "" {
		wards, err := units.DeriveWards(*dir)
		if err != nil {
			return fmt.Errorf("derive wards: %w", err)
		}
		if err := units.WriteFeatureCollection(*wardsOut, wards); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "wrote %d wards to %s\n", len(wards.Features), *wardsOut)
	}
	if *forcesOut == "" {
		return nil
	}
	forces, err := units.DeriveForces(*dir)
	if err != nil {
		return fmt.Errorf("derive forces: %w", err)
	}
	if err := units.WriteFeatureCollection(*forcesOut, forces); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %d force areas to %s\n", len(forces.Features), *forcesOut)
	return nil
}
