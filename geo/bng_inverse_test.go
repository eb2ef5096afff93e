package geo

import (
	"math"
	"testing"
)

func TestWGS84ToBNG(t *testing.T) {
	cases := []struct {
		name     string
		lon, lat float64
	}{
		{"Birmingham New Street", -1.8990, 52.4778},
		{"Coventry", -1.5106, 52.4068},
		{"Wolverhampton", -2.1288, 52.5862},
	}
	for _, c := range cases {
		e, n := WGS84ToBNG(c.lon, c.lat)
		lon, lat, err := BNGToWGS84(e, n)
		if err != nil {
			t.Fatal(err)
		}
		if d := metres(c.lon, c.lat, lon, lat); d > 1 {
			t.Errorf("%s: round trip off by %.3f m", c.name, d)
		}
	}
}

// TestNationalGridProjection checks the projection step against the OS
// guide's worked example (Annex C.1): OSGB36 52°39'27.2531"N,
// 1°43'4.5177"E projects to E 651409.903, N 313177.270.
func TestNationalGridProjection(t *testing.T) {
	phi := (52 + 39.0/60 + 27.2531/3600) * math.Pi / 180
	lambda := (1 + 43.0/60 + 4.5177/3600) * math.Pi / 180
	e, n := nationalGrid(phi, lambda)
	if math.Abs(e-651409.903) > 0.01 || math.Abs(n-313177.270) > 0.01 {
		t.Fatalf("E %.3f N %.3f, want 651409.903 313177.270", e, n)
	}
}

// TestBNGRoundTripGrid round-trips a grid over the West Midlands through
// BNGToWGS84 (< 1 m) and checks Birmingham centre lands near its
// known grid position (about E 406840, N 286880).
func TestBNGRoundTripGrid(t *testing.T) {
	for lat := 52.35; lat < 52.70; lat += 0.01 {
		for lon := -2.25; lon < -1.40; lon += 0.01 {
			e, n := WGS84ToBNG(lon, lat)
			lon2, lat2, err := BNGToWGS84(e, n)
			if err != nil {
				t.Fatal(err)
			}
			if d := metres(lon, lat, lon2, lat2); d > 1 {
				t.Fatalf("round trip at %g,%g off by %.3f m", lon, lat, d)
			}
		}
	}
	e, n := WGS84ToBNG(-1.9026, 52.4797)
	if math.Abs(e-406840) > 150 || math.Abs(n-286880) > 150 {
		t.Fatalf("Birmingham centre E %.0f N %.0f", e, n)
	}
}

func metres(lon1, lat1, lon2, lat2 float64) float64 {
	dy := (lat2 - lat1) * 111_320
	dx := (lon2 - lon1) * 111_320 * math.Cos(lat1*math.Pi/180)
	return math.Hypot(dx, dy)
}
