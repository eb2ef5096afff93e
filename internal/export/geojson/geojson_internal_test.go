package geojson

import (
	"math"
	"strconv"
	"testing"
)

func TestAppendCoord(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {-0.0, "0"}, {1, "1"}, {-1.5, "-1.5"}, {52.48789556914403, "52.4878956"},
		{-1.892614450926867, "-1.8926145"}, {0.00000004, "0"}, {-0.00000004, "0"}, {-0.00000005, "-0.0000001"},
		{179.99999999, "180"}, {-180, "-180"}, {12.0000001, "12.0000001"},
	}
	for _, tt := range tests {
		if got := string(appendCoord(nil, tt.in)); got != tt.want {
			t.Errorf("appendCoord(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Agrees with rounding then shortest formatting over a sweep.
	for i := 0; i < 100000; i++ {
		x := -180 + float64(i)*0.0036000123
		r := math.Round(x*1e7) / 1e7
		want := strconv.FormatFloat(r, 'f', -1, 64)
		if want == "-0" {
			want = "0"
		}
		if got := string(appendCoord(nil, x)); got != want {
			t.Fatalf("appendCoord(%v) = %q, want %q", x, got, want)
		}
	}
}
