package geo

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestCellsOutline(t *testing.T) {
	c, err := CellAt(-1.8904, 52.4862, 9)
	if err != nil {
		t.Fatal(err)
	}
	far, err := CellAt(-1.5, 52.4, 9)
	if err != nil {
		t.Fatal(err)
	}
	disk := Disk(c, 1)
	// The ring of six around c, without c: one polygon with a hole.
	ring := Ring(c, 1)
	tests := []struct {
		name      string
		cells     []uint64
		polygons  int
		holes     int
		wantCells []uint64 // area must equal the sum of these cells' areas
	}{
		{"one cell", []uint64{c}, 1, 0, []uint64{c}},
		{"disk with duplicate", append(disk, c), 1, 0, disk},
		{"ring has a hole", ring, 1, 1, ring},
		{"two patches", []uint64{c, far}, 2, 0, []uint64{c, far}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp, err := CellsOutline(tt.cells)
			if err != nil {
				t.Fatal(err)
			}
			if len(mp) != tt.polygons {
				t.Fatalf("got %d polygons, want %d", len(mp), tt.polygons)
			}
			holes := 0
			for _, p := range mp {
				if p[0].Orientation() != orb.CCW {
					t.Errorf("outer ring not counter-clockwise")
				}
				for _, r := range p {
					if r[0] != r[len(r)-1] {
						t.Errorf("ring not closed")
					}
				}
				for _, h := range p[1:] {
					holes++
					if h.Orientation() != orb.CW {
						t.Errorf("hole not clockwise")
					}
				}
			}
			if holes != tt.holes {
				t.Errorf("got %d holes, want %d", holes, tt.holes)
			}
			var want float64
			for _, x := range tt.wantCells {
				want += planar.Area(Boundary(x))
			}
			got := planar.Area(mp)
			if d := got - want; d > want*1e-9 || d < -want*1e-9 {
				t.Errorf("area %g, want %g", got, want)
			}
		})
	}
}

func TestCellsOutlineErrors(t *testing.T) {
	c, _ := CellAt(-1.8904, 52.4862, 9)
	if _, err := CellsOutline([]uint64{c, Parent(c, 8)}); err == nil {
		t.Error("mixed resolutions: want error")
	}
	if _, err := CellsOutline([]uint64{c, 12345}); err == nil {
		t.Error("invalid cell: want error")
	}
	if mp, err := CellsOutline(nil); err != nil || mp != nil {
		t.Errorf("empty: got %v, %v", mp, err)
	}
}
