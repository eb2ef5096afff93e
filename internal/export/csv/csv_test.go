package csv_test

import (
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/export/csv"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkt"
)

func read(t *testing.T, in feature.Input) ([][]string, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := csv.Write(context.Background(), &buf, in); err != nil {
		t.Fatal(err)
	}
	recs, err := stdcsv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs, buf.String()
}

func TestRoundTrip(t *testing.T) {
	in := exporttest.Small()
	recs, _ := read(t, in)
	if strings.Join(recs[0], ",") != "h3,unit,rank,count,harm,recency,z,p,q,class,trend,peak_band,patrol_area,lon,lat,wkt" {
		t.Fatalf("header %v", recs[0])
	}
	if len(recs) != len(in.Cells)+1 {
		t.Fatalf("%d rows, want %d", len(recs)-1, len(in.Cells))
	}
	for i, c := range in.Cells {
		r := recs[i+1]
		num := func(j int) float64 {
			f, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				t.Fatalf("row %d col %d: %v", i+2, j, err)
			}
			return f
		}
		if r[0] != c.H3 || r[1] != c.Unit || r[2] != strconv.Itoa(c.Rank) || num(3) != c.Count || num(4) != c.Harm || num(6) != c.Z || r[9] != string(c.Class) || r[12] != c.Area {
			t.Errorf("row %d = %v, want %+v", i+2, r, c)
		}
		ctr := geo.Center(c.Cell)
		if math.Abs(num(13)-ctr[0]) > 5e-8 || math.Abs(num(14)-ctr[1]) > 5e-8 {
			t.Errorf("row %d centroid %s,%s want %v", i+2, r[13], r[14], ctr)
		}
		g, err := wkt.Unmarshal(r[15])
		if err != nil {
			t.Fatalf("row %d wkt: %v", i+2, err)
		}
		p, ok := g.(*geom.Polygon)
		if !ok || p.NumLinearRings() != 1 || p.NumCoords() != 7 {
			t.Fatalf("row %d geometry %T %v", i+2, g, g)
		}
		want := geo.Boundary(c.Cell)[0]
		for j, xy := range p.Coords()[0] {
			if math.Abs(xy[0]-want[j][0]) > 5e-8 || math.Abs(xy[1]-want[j][1]) > 5e-8 {
				t.Errorf("row %d vertex %d = %v, want %v", i+2, j, xy, want[j])
			}
		}
	}
}

// TestHostileText checks that text a spreadsheet would evaluate comes out
// inert in every text column, while negative numbers stay plain numbers.
func TestHostileText(t *testing.T) {
	for _, h := range exporttest.Hostile {
		in := exporttest.Small()
		for i := range in.Cells {
			c := &in.Cells[i]
			c.Unit, c.Trend, c.PeakBand, c.Area, c.Class = h, h, h, h, hotgrid.Class(h)
			c.Z, c.Harm = -2.5, -1e-7
		}
		in.Areas = nil
		in.Provenance.Query.Categories = []string{h}
		recs, raw := read(t, in)
		for i, r := range recs[1:] {
			for _, j := range []int{1, 9, 10, 11, 12} {
				if r[j] != "'"+h {
					t.Errorf("%q: row %d col %d = %q, want it prefixed with a quote", h, i+2, j, r[j])
				}
			}
			for _, j := range []int{4, 6} {
				if _, err := strconv.ParseFloat(r[j], 64); err != nil || strings.HasPrefix(r[j], "'") {
					t.Errorf("%q: row %d col %d = %q, want a plain number", h, i+2, j, r[j])
				}
			}
		}
		if !strings.Contains(raw, ",-1e-07,") || !strings.Contains(raw, ",-2.5,") {
			t.Errorf("negative numbers not written as bare numbers:\n%s", raw)
		}
		// No field of the raw file starts with a formula trigger.
		for _, line := range recs {
			for _, f := range line {
				if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
					if _, err := strconv.ParseFloat(f, 64); err != nil {
						t.Errorf("%q: live field %q", h, f)
					}
				}
			}
		}
		var sidecar bytes.Buffer
		if err := csv.WriteProvenance(&sidecar, in.Provenance); err != nil {
			t.Fatal(err)
		}
		var back hotgrid.Provenance
		if err := json.Unmarshal(sidecar.Bytes(), &back); err != nil || back.Query.Categories[0] != h {
			t.Errorf("sidecar round trip: %v %v", back.Query.Categories, err)
		}
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""}, {"BW", "BW"}, {"=1", "'=1"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@x", "'@x"},
		{"\t=1", "'\t=1"}, {"\r=1", "'\r=1"}, {"a=1", "a=1"}, {"'=1", "'=1"},
	}
	for _, tt := range tests {
		if got := csv.Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := csv.Field(feature.Value{Kind: feature.Real, F: -3.5}); got != "-3.5" {
		t.Errorf("negative real written as %q", got)
	}
	if got := csv.Field(feature.Value{Kind: feature.Real, F: math.NaN()}); got != "" {
		t.Errorf("NaN written as %q", got)
	}
}

func TestCSVT(t *testing.T) {
	var b bytes.Buffer
	if err := csv.WriteCSVT(&b); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), ",") + 1; n != len(csv.Header()) {
		t.Errorf("csvt has %d types for %d columns", n, len(csv.Header()))
	}
	if !strings.HasPrefix(b.String(), `"String","String","Integer","Real"`) || !strings.HasSuffix(b.String(), `"WKT"`+"\n") {
		t.Errorf("csvt %q", b.String())
	}
}
