// Command compare times hotgrid's own code for the side-by-side table of
// bench/compare.sh (make bench-compare):
//
//	compare points -n N -out FILE        write N seeded random West Midlands points (lon,lat)
//	compare h3 -in FILE -res 9           time geo.CellAt over the points: points/s, plus a checksum
//	compare gistar -dir GOLDEN -reps R   time score.GiStar on the Gi* golden cells, check it against spdep
//
// Each timing subcommand prints one line "key=value ..." the script reads.
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/score"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compare points|h3|gistar [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "points":
		err = points(os.Args[2:])
	case "h3":
		err = h3(os.Args[2:])
	case "gistar":
		err = gistar(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

// points writes n seeded random points in the West Midlands bounding box.
func points(args []string) error {
	fs := flag.NewFlagSet("points", flag.ContinueOnError)
	n := fs.Int("n", 1000000, "points")
	out := fs.String("out", "", "output CSV (lon,lat per line)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(2017, 9))
	for i := 0; i < *n; i++ {
		fmt.Fprintf(w, "%.6f,%.6f\n", -2.21+rng.Float64()*0.79, 52.36+rng.Float64()*0.30)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// readPoints reads a points file.
func readPoints(path string) ([][2]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var pts [][2]float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var lon, lat float64
		if _, err := fmt.Sscanf(sc.Text(), "%g,%g", &lon, &lat); err != nil {
			return nil, fmt.Errorf("%s: %q: %w", path, sc.Text(), err)
		}
		pts = append(pts, [2]float64{lon, lat})
	}
	return pts, sc.Err()
}

// h3 times geo.CellAt over every point (best of three passes) and prints
// points/s and a checksum the Node side prints too.
func h3(args []string) error {
	fs := flag.NewFlagSet("h3", flag.ContinueOnError)
	in := fs.String("in", "", "points CSV")
	res := fs.Int("res", 9, "H3 resolution")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pts, err := readPoints(*in)
	if err != nil {
		return err
	}
	var sum uint64
	best := time.Duration(math.MaxInt64)
	for pass := 0; pass < 3; pass++ {
		sum = 0
		start := time.Now()
		for _, p := range pts {
			c, err := geo.CellAt(p[0], p[1], *res)
			if err != nil {
				return err
			}
			sum += c & 0xffffffff
		}
		best = min(best, time.Since(start))
	}
	fmt.Printf("points=%d seconds=%.4f rate=%.0f checksum=%d\n", len(pts), best.Seconds(), float64(len(pts))/best.Seconds(), sum)
	return nil
}

// gistar times score.GiStar on the golden cells (median of reps) and checks
// the z-scores against spdep's.
func gistar(args []string) error {
	fs := flag.NewFlagSet("gistar", flag.ContinueOnError)
	dir := fs.String("dir", "", "the gistar-golden directory")
	reps := fs.Int("reps", 20, "timed repetitions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cells, err := readCSV(filepath.Join(*dir, "cells.csv"))
	if err != nil {
		return err
	}
	idx := map[string]int32{}
	x := make([]float64, len(cells))
	for i, r := range cells {
		idx[r[0]] = int32(i)
		if x[i], err = strconv.ParseFloat(r[1], 64); err != nil {
			return fmt.Errorf("cells.csv row %d: %w", i+2, err)
		}
	}
	nbs, err := readCSV(filepath.Join(*dir, "neighbours.csv"))
	if err != nil {
		return err
	}
	nb := make([][]int32, len(x))
	for _, r := range nbs {
		a, ok1 := idx[r[0]]
		b, ok2 := idx[r[1]]
		if !ok1 || !ok2 {
			return fmt.Errorf("neighbours.csv: unknown cell in %v", r)
		}
		nb[a] = append(nb[a], b)
	}
	gold, err := readCSV(filepath.Join(*dir, "gistar_spdep.csv"))
	if err != nil {
		return err
	}
	times := make([]float64, 0, *reps)
	var z []float64
	for i := 0; i < *reps; i++ {
		start := time.Now()
		z = score.GiStar(x, nb)
		times = append(times, time.Since(start).Seconds())
	}
	sort.Float64s(times)
	maxDiff := 0.0
	for _, r := range gold {
		want, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			return err
		}
		maxDiff = math.Max(maxDiff, math.Abs(z[idx[r[0]]]-want))
	}
	if maxDiff > 1e-6 {
		return fmt.Errorf("GiStar differs from spdep by %g", maxDiff)
	}
	fmt.Printf("cells=%d median_seconds=%.6f max_abs_diff=%.2g\n", len(x), times[len(times)/2], maxDiff)
	return nil
}

// readCSV reads a CSV with a header, returning the rows after it.
func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, errors.New(path + ": no rows")
	}
	return rows[1:], nil
}
