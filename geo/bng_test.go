package geo

import (
	"math"
	"testing"
)

// metresApart is the approximate ground distance between two WGS84 points.
func metresApart(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371000.0
	dlat := (lat2 - lat1) * math.Pi / 180
	dlon := (lon2 - lon1) * math.Pi / 180 * math.Cos(lat1*math.Pi/180)
	return r * math.Hypot(dlat, dlon)
}

// TestOSGB36WorkedExample checks the Transverse Mercator inverse against the
// worked example of the OS guide, Annex C: E 651409.903, N 313177.270 is
// OSGB36 52°39'27.2531"N, 1°43'4.5177"E.
func TestOSGB36WorkedExample(t *testing.T) {
	phi, lambda := osgb36LatLon(651409.903, 313177.270)
	wantLat := 52 + 39.0/60 + 27.2531/3600
	wantLon := 1 + 43.0/60 + 4.5177/3600
	gotLat, gotLon := phi*180/math.Pi, lambda*180/math.Pi
	// 0.0001 arc second is about 3 mm.
	if d := math.Abs(gotLat-wantLat) * 3600; d > 0.0002 {
		t.Errorf("latitude %.9f, want %.9f (%.5f\" off)", gotLat, wantLat, d)
	}
	if d := math.Abs(gotLon-wantLon) * 3600; d > 0.0002 {
		t.Errorf("longitude %.9f, want %.9f (%.5f\" off)", gotLon, wantLon, d)
	}
}

// TestBNGToWGS84 checks the whole chain against known points.
func TestBNGToWGS84(t *testing.T) {
	tests := []struct {
		name             string
		e, n             float64
		wantLon, wantLat float64
		tolMetres        float64
	}{
		// OS grid TR 143 599, whose ETRS89 (= WGS84 within a metre) position
		// by the definitive OSTN02 grid is 51.297880, 1.072628 (the example
		// of Toby Thurston's Geo::Coordinates::OSTN02).
		{"TR143599 (Kent), OSTN02", 614300, 159900, 1.072628, 51.297880, 5},
		// OS flush bracket S1393, Birmingham Museum and Art Gallery,
		// Chamberlain Square, SP 06613 86923 (bench-marks.org.uk). Reference
		// from PROJ 9 / GDAL 3.6, which applies the same OS Helmert step:
		//   echo "406613 286923" | gdaltransform -s_srs EPSG:27700 -t_srs EPSG:4326 -output_xy
		{"Birmingham Art Gallery, PROJ", 406613, 286923, -1.90405768487361, 52.4801932589525, 0.5},
	}
	for _, tt := range tests {
		lon, lat, err := BNGToWGS84(tt.e, tt.n)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if d := metresApart(lon, lat, tt.wantLon, tt.wantLat); d > tt.tolMetres {
			t.Errorf("%s: got %.7f,%.7f, want %.7f,%.7f: %.2f m apart (tolerance %g m)",
				tt.name, lat, lon, tt.wantLat, tt.wantLon, d, tt.tolMetres)
		}
	}
}

func TestBNGToWGS84Rejects(t *testing.T) {
	for _, c := range [][2]float64{{-1, 100}, {100, -5}, {700001, 1}, {1, 1300001}, {math.NaN(), 1}, {1, math.Inf(1)}} {
		if _, _, err := BNGToWGS84(c[0], c[1]); err == nil {
			t.Errorf("BNGToWGS84(%g, %g) succeeded, want an error", c[0], c[1])
		}
	}
}

func BenchmarkBNGToWGS84(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, _, err := BNGToWGS84(406613+float64(i%1000), 286923); err != nil {
			b.Fatal(err)
		}
	}
}
