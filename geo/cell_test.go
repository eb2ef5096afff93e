package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestValidLonLat(t *testing.T) {
	cases := []struct {
		name     string
		lon, lat float64
		ok       bool
	}{
		{"birmingham", -1.8998, 52.4814, true},
		{"nan", math.NaN(), 52, false},
		{"inf", math.Inf(1), 52, false},
		{"lat 91", -1.9, 91, false},
		{"lon 181", 181, 52, false},
		{"null island", 0, 0, false},
		{"greenwich", 0, 51.48, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := ValidLonLat(c.lon, c.lat); (err == nil) != c.ok {
				t.Fatalf("ValidLonLat(%g,%g) = %v, want ok=%v", c.lon, c.lat, err, c.ok)
			}
		})
	}
}

func TestCellRoundTrip(t *testing.T) {
	c, err := CellAt(-1.8998, 52.4814, 9)
	if err != nil {
		t.Fatal(err)
	}
	if Resolution(c) != 9 {
		t.Fatalf("resolution %d", Resolution(c))
	}
	s := String(c)
	back, err := ParseCell(s)
	if err != nil || back != c {
		t.Fatalf("ParseCell(%s) = %x, %v", s, back, err)
	}
	if _, err := ParseCell("not-a-cell"); err == nil {
		t.Fatal("want error for junk")
	}
	fine, _ := CellAt(-1.8998, 52.4814, 11)
	if Parent(fine, 9) != c {
		t.Fatalf("parent of res 11 is not the res 9 cell")
	}
	if d := Disk(c, 1); len(d) != 7 {
		t.Fatalf("disk k=1 has %d cells", len(d))
	}
	if r := Ring(c, 1); len(r) != 6 || !Neighbours(c, r[0]) {
		t.Fatalf("ring k=1 = %v", r)
	}
}

func TestBoundaryCCW(t *testing.T) {
	c, _ := CellAt(-1.8998, 52.4814, 9)
	p := Boundary(c)
	if len(p) != 1 || len(p[0]) != 7 || p[0][0] != p[0][6] {
		t.Fatalf("boundary %v", p)
	}
	if p[0].Orientation() != orb.CCW {
		t.Fatal("boundary not counter-clockwise")
	}
	if a := AreaKm2(c); a < 0.09 || a > 0.12 {
		t.Fatalf("res 9 area %g km2", a)
	}
}

func TestPolyfill(t *testing.T) {
	sq := orb.MultiPolygon{{{{-1.91, 52.47}, {-1.89, 52.47}, {-1.89, 52.49}, {-1.91, 52.49}, {-1.91, 52.47}}}}
	cs, err := Polyfill(sq, 9)
	if err != nil {
		t.Fatal(err)
	}
	// about 1.36 km x 2.2 km = 3 km2 / 0.105 km2 per cell
	if len(cs) < 20 || len(cs) > 40 {
		t.Fatalf("polyfill gave %d cells", len(cs))
	}
	for i := 1; i < len(cs); i++ {
		if cs[i] <= cs[i-1] {
			t.Fatal("not sorted and distinct")
		}
	}
}
