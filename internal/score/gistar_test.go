package score

import (
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// TestGiStarEsda reproduces PySAL esda's G_Local star doctest vector.
func TestGiStarEsda(t *testing.T) {
	pts := [][2]float64{{10, 10}, {20, 10}, {40, 10}, {15, 20}, {30, 20}, {30, 30}}
	y := []float64{2, 3, 3.2, 5, 8, 7}
	want := []float64{-1.397276, -0.289178, 0.650650, -0.289178, 1.234521, 2.024243}
	nb := make([][]int32, len(pts))
	for i := range pts {
		for j := range pts {
			if i != j && math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1]) <= 15 {
				nb[i] = append(nb[i], int32(j))
			}
		}
	}
	z := GiStar(y, nb)
	for i := range want {
		if math.Abs(z[i]-want[i]) > 1e-6 {
			t.Errorf("z[%d] = %.7f, want %.6f", i, z[i], want[i])
		}
	}
}

func TestGiStarConstant(t *testing.T) {
	z := GiStar([]float64{3, 3, 3}, [][]int32{{1}, {0, 2}, {1}})
	for _, v := range z {
		if v != 0 {
			t.Fatalf("constant values give z %v, want 0", z)
		}
	}
}

// goldenCase reads a cells (h3,value), neighbours (h3,neighbour) and z
// (h3,z) triple and checks GiStar against z to 1e-6.
func checkGolden(t *testing.T, cellsPath, nbPath, zPath string) {
	t.Helper()
	cells := readCSV(t, cellsPath)
	idx := make(map[string]int32, len(cells))
	x := make([]float64, len(cells))
	for i, r := range cells {
		idx[r[0]] = int32(i)
		x[i] = parseF(t, r[1])
	}
	nb := make([][]int32, len(cells))
	for _, r := range readCSV(t, nbPath) {
		i, ok1 := idx[r[0]]
		j, ok2 := idx[r[1]]
		if !ok1 || !ok2 {
			t.Fatalf("neighbour pair %v names a cell not in cells", r)
		}
		nb[i] = append(nb[i], j)
	}
	z := GiStar(x, nb)
	rows := readCSV(t, zPath)
	if len(rows) != len(cells) {
		t.Fatalf("%d z rows for %d cells", len(rows), len(cells))
	}
	worst := 0.0
	for _, r := range rows {
		i, ok := idx[r[0]]
		if !ok {
			t.Fatalf("z row for unknown cell %s", r[0])
		}
		d := math.Abs(z[i] - parseF(t, r[1]))
		worst = max(worst, d)
		if d > 1e-6 {
			t.Fatalf("cell %s: z %.12f, spdep %s", r[0], z[i], r[1])
		}
	}
	t.Logf("%d cells, largest |z - spdep| = %.3g", len(cells), worst)
}

// TestGiStarSharedGolden matches R spdep localG on the 9,468 West Midlands
// resolution-9 cells in ../shared/reference/gistar-golden.
func TestGiStarSharedGolden(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "reference", "gistar-golden")
	checkGolden(t, filepath.Join(dir, "cells.csv"), filepath.Join(dir, "neighbours.csv"), filepath.Join(dir, "gistar_spdep.csv"))
}

// TestGiStarH3Golden matches R spdep localG on the committed Birmingham
// H3 case (testdata/gistar_golden.R writes testdata/h3_gistar_spdep.csv).
func TestGiStarH3Golden(t *testing.T) {
	checkGolden(t, "testdata/h3_cells.csv", "testdata/h3_neighbours.csv", "testdata/h3_gistar_spdep.csv")
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil {
		t.Fatalf("%s: header: %v", path, err)
	}
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, rec)
	}
}

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestBenjaminiHochberg(t *testing.T) {
	// By hand: sorted p 0.01 0.02 0.03 0.04 0.20 (n=5): p*n/rank =
	// 0.05 0.05 0.05 0.05 0.20, cumulative minimum from the top.
	p := []float64{0.04, 0.01, 0.20, 0.03, 0.02}
	want := []float64{0.05, 0.05, 0.20, 0.05, 0.05}
	q := BenjaminiHochberg(p)
	for i := range want {
		if math.Abs(q[i]-want[i]) > 1e-12 {
			t.Fatalf("q = %v, want %v", q, want)
		}
	}
	// R 4.2: p.adjust(c(0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205), "BH")
	p = []float64{0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205}
	want = []float64{0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.0845714285714286, 0.205}
	q = BenjaminiHochberg(p)
	for i := range want {
		if math.Abs(q[i]-want[i]) > 1e-9 {
			t.Fatalf("q = %v, want %v", q, want)
		}
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		z, q float64
		want hotgrid.Class
	}{
		{3, 0.001, hotgrid.ClassHot99}, {2, 0.03, hotgrid.ClassHot95}, {1.8, 0.07, hotgrid.ClassHot90},
		{2, 0.2, hotgrid.ClassNone}, {-3, 0.005, hotgrid.ClassCold99}, {-2, 0.04, hotgrid.ClassCold95},
		{-1.7, 0.09, hotgrid.ClassCold90}, {0, 0.001, hotgrid.ClassNone},
	}
	for _, c := range cases {
		if got := Classify(c.z, c.q); got != c.want {
			t.Errorf("Classify(%g,%g) = %s, want %s", c.z, c.q, got, c.want)
		}
	}
	if p := PValue(1.959963984540054); math.Abs(p-0.05) > 1e-12 {
		t.Fatalf("PValue(1.96) = %g", p)
	}
}
