package score

import (
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/geo"
)

var updateGoldenInputs = flag.Bool("update-golden-inputs", false, "rewrite testdata/h3_cells.csv and h3_neighbours.csv")

// birminghamCase builds the committed H3 golden input: the 331 resolution-9
// cells within 10 rings of Birmingham city centre, with clustered counts
// around two centres plus a small deterministic noise, and each cell's
// k=1 ring inside the set.
func birminghamCase(t *testing.T) (cells []uint64, x []float64, nb [][]int32) {
	t.Helper()
	centre, err := geo.CellAt(-1.8998, 52.4814, 9)
	if err != nil {
		t.Fatal(err)
	}
	cells = geo.Disk(centre, 10)
	slices.Sort(cells)
	a := geo.Center(centre)
	b := orbOffset(a, 0.9, -0.6) // a second cluster 0.9 km east, 0.6 km south
	x = make([]float64, len(cells))
	for i, c := range cells {
		p := geo.Center(c)
		da, db := kmDist(p, a), kmDist(p, b)
		x[i] = math.Floor(14*math.Exp(-da*da/0.6)) + math.Floor(9*math.Exp(-db*db/0.3)) + float64((i*7919)%4)
	}
	nb = make([][]int32, len(cells))
	for i, c := range cells {
		for _, n := range geo.Ring(c, 1) {
			if j, ok := slices.BinarySearch(cells, n); ok {
				nb[i] = append(nb[i], int32(j))
			}
		}
		slices.Sort(nb[i])
	}
	return cells, x, nb
}

// TestWriteGoldenInputs rewrites the golden inputs with
// go test ./internal/score -run TestWriteGoldenInputs -update-golden-inputs
// then Rscript internal/score/testdata/gistar_golden.R regenerates the z.
func TestWriteGoldenInputs(t *testing.T) {
	cells, x, nb := birminghamCase(t)
	var cs, ns strings.Builder
	cs.WriteString("h3,value\n")
	ns.WriteString("h3,neighbour\n")
	for i, c := range cells {
		fmt.Fprintf(&cs, "%s,%g\n", geo.String(c), x[i])
		for _, j := range nb[i] {
			fmt.Fprintf(&ns, "%s,%s\n", geo.String(c), geo.String(cells[j]))
		}
	}
	if *updateGoldenInputs {
		if err := os.WriteFile("testdata/h3_cells.csv", []byte(cs.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/h3_neighbours.csv", []byte(ns.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for path, want := range map[string]string{"testdata/h3_cells.csv": cs.String(), "testdata/h3_neighbours.csv": ns.String()} {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Fatalf("%s is stale: rerun with -update-golden-inputs and the R script", path)
		}
	}
}
