package geo

import (
	"math"
	"testing"
)

func TestWorldPixel(t *testing.T) {
	const ws = 512
	for _, tc := range []struct {
		name             string
		lon, lat, wx, wy float64
	}{
		{"origin", 0, 0, 256, 256},
		{"top left", -180, MaxMercatorLat, 0, 0},
		{"bottom right", 180, -MaxMercatorLat, 512, 512},
		{"clamped north", 0, 89.9, 256, 0},
		// Birmingham: (1 - ln(tan(pi/4 + lat/2))/pi)/2 × 512, the textbook form
		{"birmingham", -1.9, 52.48, 253.29777777777778, 168.00649},
	} {
		x, y := WorldPixel(tc.lon, tc.lat, ws)
		if math.Abs(x-tc.wx) > 1e-3 || math.Abs(y-tc.wy) > 1e-3 {
			t.Errorf("%s: WorldPixel(%v, %v) = %.5f, %.5f; want %.5f, %.5f", tc.name, tc.lon, tc.lat, x, y, tc.wx, tc.wy)
		}
	}
}

func TestWorldLonLatRoundTrip(t *testing.T) {
	for _, p := range [][2]float64{{-1.9, 52.48}, {0, 0}, {179.5, -60}, {-120, 33.3}} {
		for _, ws := range []float64{512, 512 * 1024} {
			x, y := WorldPixel(p[0], p[1], ws)
			lon, lat := WorldLonLat(x, y, ws)
			if math.Abs(lon-p[0]) > 1e-9 || math.Abs(lat-p[1]) > 1e-9 {
				t.Errorf("round trip of %v at %v: %v, %v", p, ws, lon, lat)
			}
		}
	}
}
