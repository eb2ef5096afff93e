package server

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/tiles"
	"github.com/paulmach/orb"
)

// Fuzz targets for every query-parameter parser. Each bad value must give
// an EINVALID (or ENOTFOUND for a malformed tile path) *hotgrid.Error naming
// the parameter; each accepted value must be valid for the route that uses
// it. No parser may panic. Seeds: f.Add below and testdata/fuzz/<FuzzName>/.

// wantFieldError fails unless err is a *hotgrid.Error with one of codes
// naming one of fields.
func wantFieldError(t *testing.T, err error, codes []string, fields ...string) {
	t.Helper()
	var he *hotgrid.Error
	if !errors.As(err, &he) {
		t.Fatalf("error %v (%T) is not a *hotgrid.Error", err, err)
	}
	okCode := false
	for _, c := range codes {
		okCode = okCode || he.Code == c
	}
	if !okCode {
		t.Fatalf("error %v has code %q, want one of %v", err, he.Code, codes)
	}
	if he.Message == "" {
		t.Fatalf("error with no message: %+v", he)
	}
	if he.Code == hotgrid.EINVALID {
		for _, f := range fields {
			if he.Field == f {
				return
			}
		}
		t.Fatalf("error %v names field %q, want one of %v", err, he.Field, fields)
	}
}

var invalid = []string{hotgrid.EINVALID}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2017-06", "2017-06-30", "2017-02-29", "2017-13", "2017-06-31T00:00:00Z",
		"2017-06-01T12:00:00+01:00", " 2017-01 ", "", "0000-01", "9999-12-31", "17-6", "2017-06-01T25:00:00Z"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, isTo bool) {
		tm, err := parseDate("from", s, time.UTC, isTo)
		if err != nil {
			wantFieldError(t, err, invalid, "from")
			return
		}
		if strings.TrimSpace(s) == "" {
			if !tm.IsZero() {
				t.Fatalf("empty date gave %v", tm)
			}
			return
		}
		if tm.IsZero() && !isTo {
			t.Fatalf("accepted %q as the zero time", s)
		}
		if tm.Year() < -1 || tm.Year() > 10000 {
			t.Fatalf("accepted %q as %v", s, tm)
		}
	})
}

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"9", "07", "+9", "-1", "1e3", "0x10", "99999999999999999999", "", " 10 ", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseInt("top", s, 1, maxTop, 10)
		if err != nil {
			wantFieldError(t, err, invalid, "top")
			return
		}
		if n < 1 || n > maxTop {
			t.Fatalf("accepted %q as %d, outside 1..%d", s, n, maxTop)
		}
	})
}

func FuzzParseLists(f *testing.F) {
	for _, s := range []string{"BE", "be,CV", "BE,,BE", "XX", ",", "", "robbery", "Robbery,burglary", "violent-crime,shoplifting,jay"} {
		f.Add(s)
	}
	units := []hotgrid.Unit{{Code: "BE"}, {Code: "CV"}}
	bands := []hotgrid.Band{{Name: hotgrid.AnyTimeBand, AnyTime: true}, {Name: "late"}}
	f.Fuzz(func(t *testing.T, s string) {
		if us, err := parseUnits(s, units); err != nil {
			wantFieldError(t, err, invalid, "unit")
		} else {
			for _, u := range us {
				if u != "BE" && u != "CV" {
					t.Fatalf("unit %q accepted from %q", u, s)
				}
			}
		}
		if cs, err := parseCategories(s); err != nil {
			wantFieldError(t, err, invalid, "category")
		} else {
			for _, c := range cs {
				if _, err := hotgrid.LookupCategory(c); err != nil {
					t.Fatalf("category %q accepted from %q", c, s)
				}
			}
		}
		if b, err := parseBand(s, bands); err != nil {
			wantFieldError(t, err, invalid, "band")
		} else if b != "" && b != hotgrid.AnyTimeBand && b != "late" {
			t.Fatalf("band %q accepted from %q", b, s)
		}
		if m, err := parseMetric(s); err != nil {
			wantFieldError(t, err, invalid, "metric")
		} else if m != hotgrid.MetricCount && m != hotgrid.MetricHarm && m != hotgrid.MetricRecency {
			t.Fatalf("metric %q accepted from %q", m, s)
		}
		if _, err := parseBool("significant", s); err != nil {
			wantFieldError(t, err, invalid, "significant")
		}
	})
}

func FuzzCheckParams(f *testing.F) {
	for _, s := range []string{"unit=BE&band=late", "uint=BE", "unit=BE&unit=CV", "a=%zz", "&&=&", "top=1;res=9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return // fiber never hands the core an unparsable query
		}
		allowed := append(filterParams, "top")
		err = checkParams(q, allowed...)
		var bad []string
		for k, v := range q {
			known := false
			for _, a := range allowed {
				known = known || a == k
			}
			if !known || len(v) > 1 {
				bad = append(bad, k)
			}
		}
		if len(bad) == 0 {
			if err != nil {
				t.Fatalf("checkParams(%q) = %v, want ok", raw, err)
			}
			return
		}
		if err == nil {
			t.Fatalf("checkParams(%q) accepted unknown or repeated %v", raw, bad)
		}
		wantFieldError(t, err, invalid, bad...)
	})
}

func FuzzParseTile(f *testing.F) {
	for _, s := range []string{"12/2017/1349.mvt", "0/0/0.mvt", "23/0/0.mvt", "1/2/0.mvt", "1/0/2.mvt", "a/b/c.mvt",
		"12/2017/1349.png", "12/2017", "12/-1/0.mvt", "+3/01/1.mvt", "99999999999999999999/0/0.mvt", "1/0/0.mvt/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tile, err := parseTile(s)
		if err != nil {
			wantFieldError(t, err, []string{hotgrid.EINVALID, hotgrid.ENOTFOUND}, "z", "x", "y")
			return
		}
		if err := tiles.Valid(int(tile.Z), int(tile.X), int(tile.Y)); err != nil {
			t.Fatalf("parseTile(%q) accepted %v: %v", s, tile, err)
		}
		if c := tile.Center(); c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90 {
			t.Fatalf("tile %v centre %v", tile, orb.Point(c))
		}
	})
}
