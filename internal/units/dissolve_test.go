package units

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func sq(x, y float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}
}

func TestDissolve(t *testing.T) {
	ring := []orb.Polygon{}
	for x := 0.0; x < 3; x++ {
		for y := 0.0; y < 3; y++ {
			if x != 1 || y != 1 {
				ring = append(ring, sq(x, y))
			}
		}
	}
	cases := []struct {
		name         string
		in           []orb.Polygon
		polys, holes int
		area         float64
	}{
		{"two squares", []orb.Polygon{sq(0, 0), sq(1, 0)}, 1, 0, 2},
		{"apart", []orb.Polygon{sq(0, 0), sq(5, 0)}, 2, 0, 2},
		{"ring of eight", ring, 1, 1, 8},
		{"clockwise input", []orb.Polygon{reversed(sq(0, 0)), sq(0, 1)}, 1, 0, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mp, err := Dissolve(c.in)
			if err != nil {
				t.Fatal(err)
			}
			holes := 0
			for _, p := range mp {
				holes += len(p) - 1
			}
			if len(mp) != c.polys || holes != c.holes {
				t.Fatalf("%d polygons %d holes, want %d, %d", len(mp), holes, c.polys, c.holes)
			}
			if a := planar.Area(mp); a != c.area {
				t.Fatalf("area %g, want %g", a, c.area)
			}
			if err := Valid(mp); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func reversed(p orb.Polygon) orb.Polygon {
	r := p[0].Clone()
	r.Reverse()
	return orb.Polygon{r}
}

func TestDespike(t *testing.T) {
	spiky := orb.Ring{{0, 0}, {2, 0}, {3, 0}, {2.5, 0}, {2, 2}, {0, 2}, {0, 0}}
	got := despike(spiky)
	if err := Valid(orb.MultiPolygon{{got}}); err != nil {
		t.Fatalf("despiked ring %v invalid: %v", got, err)
	}
	if len(got) != 6 {
		t.Fatalf("despike kept %v", got)
	}
	if err := Valid(orb.MultiPolygon{{spiky}}); err == nil {
		t.Fatal("Valid accepted a spike")
	}
}
