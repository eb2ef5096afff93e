package score

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

func mustBands(t testing.TB) []hotgrid.Band {
	t.Helper()
	bs, err := DefaultBands()
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

func TestDefaultBands(t *testing.T) {
	bs := mustBands(t)
	if len(bs) != 10 {
		t.Fatalf("%d bands, want 10", len(bs))
	}
	byName := map[string]hotgrid.Band{}
	for _, b := range bs {
		byName[b.Name] = b
	}
	nte := byName["nte"]
	if !nte.Days[time.Friday] || !nte.Days[time.Saturday] || nte.Days[time.Sunday] || nte.Start != 20*60 || nte.End != 4*60 || nte.Minutes() != 480 {
		t.Fatalf("nte = %+v", nte)
	}
	if !byName["any"].AnyTime || byName["weekday-evening"].Minutes() != 360 {
		t.Fatalf("any/evening wrong: %+v %+v", byName["any"], byName["weekday-evening"])
	}
}

func TestLoadBandsErrors(t *testing.T) {
	const head = "name,label,days,start,end\n"
	cases := []struct{ name, in, want string }{
		{"header", "nom,label,days,start,end\n", "x.csv:1: header"},
		{"day", head + "a,A,mon|fry,00:00,06:00\nany,Any,all,,\n", `x.csv:2: days: unknown day "fry"`},
		{"start", head + "a,A,mon,25:00,06:00\nany,Any,all,,\n", `x.csv:2: start: "25:00" is not a time`},
		{"end", head + "any,Any,all,,\na,A,mon,00:00,6\n", `x.csv:3: end: "6" is not a time`},
		{"fields", head + "a,A,mon,00:00\n", "x.csv:2: 4 fields"},
		{"dup", head + "any,Any,all,,\nany,Any,all,,\n", `x.csv:3: name: band "any" already defined on line 2`},
		{"no any", head + "a,A,mon,00:00,06:00\n", "0 any-time bands"},
		{"empty times", head + "a,A,mon,,\nany,Any,all,,\n", "x.csv:2: start: empty"},
		{"bad name", head + "A b,A,mon,00:00,01:00\nany,Any,all,,\n", "x.csv:2: name:"},
		{"empty", "", "empty bands file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadBands(strings.NewReader(c.in), "x.csv")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func london(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func sharesOf(t *testing.T, bs []hotgrid.Band, from, to time.Time, monthOnly bool) map[string]float64 {
	dst := make([]float64, len(bs))
	BandShares(dst, bs, from, to, monthOnly, london(t))
	m := map[string]float64{}
	for i, b := range bs {
		m[b.Name] = dst[i]
	}
	return m
}

func TestBandSharesCases(t *testing.T) {
	bs := mustBands(t)
	loc := london(t)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	cases := []struct {
		name     string
		from, to string
		month    bool
		want     map[string]float64
	}{
		// Friday 2017-03-03 22:30 instant: weekday evening and nte.
		{"instant fri night", "2017-03-03 22:30", "2017-03-03 22:30", false,
			map[string]float64{"weekday-evening": 1, "nte": 1, "any": 1, "weekday-early": 0}},
		// Saturday 02:00 is the Friday nte band but a weekend-early instant.
		{"instant sat 2am", "2017-03-04 02:00", "2017-03-04 02:00", false,
			map[string]float64{"weekend-early": 1, "nte": 1, "any": 1, "weekday-early": 0}},
		// Sunday 03:00 is in Saturday's nte.
		{"instant sun 3am", "2017-03-05 03:00", "2017-03-05 03:00", false,
			map[string]float64{"weekend-early": 1, "nte": 1}},
		// Monday 03:00 is not nte (Sunday is not an nte day).
		{"instant mon 3am", "2017-03-06 03:00", "2017-03-06 03:00", false,
			map[string]float64{"weekday-early": 1, "nte": 0}},
		// Wednesday 22:00 to Thursday 08:00 (10 h): 2 h evening, 6 h early, 2 h morning.
		{"overnight burglary", "2017-03-08 22:00", "2017-03-09 08:00", false,
			map[string]float64{"weekday-evening": 0.2, "weekday-early": 0.6, "weekday-morning": 0.2, "nte": 0, "any": 1}},
		// Friday 18:00 to Saturday 06:00: 6 h weekday evening, 6 h weekend early; nte 8 of 12 h.
		{"fri to sat", "2017-03-03 18:00", "2017-03-04 06:00", false,
			map[string]float64{"weekday-evening": 0.5, "weekend-early": 0.5, "nte": 8.0 / 12, "any": 1}},
		{"month only", "2017-03-01 00:00", "2017-04-01 00:00", true,
			map[string]float64{"weekday-evening": 0, "nte": 0, "any": 1}},
		{"too long", "2017-03-01 00:00", "2017-03-09 00:00", false,
			map[string]float64{"weekday-evening": 0, "any": 1}},
		// Across the spring-forward change (26 March 2017 01:00 GMT -> 02:00 BST): wall clock 00:00-06:00 Sunday.
		{"dst", "2017-03-26 00:00", "2017-03-26 06:00", false,
			map[string]float64{"weekend-early": 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := sharesOf(t, bs, at(c.from), at(c.to), c.month)
			for k, v := range c.want {
				if math.Abs(got[k]-v) > 1e-12 {
					t.Errorf("%s = %g, want %g (all %v)", k, got[k], v, got)
				}
			}
		})
	}
}

// TestBandSharesConserve is the property test: over the eight bands that
// partition the week, every offence's shares sum to 1, whatever its window.
func TestBandSharesConserve(t *testing.T) {
	bs := mustBands(t)
	loc := london(t)
	partition := []string{"weekday-early", "weekday-morning", "weekday-afternoon", "weekday-evening",
		"weekend-early", "weekend-morning", "weekend-afternoon", "weekend-evening"}
	idx := map[string]int{}
	for i, b := range bs {
		idx[b.Name] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2017, 1, 1, 0, 0, 0, 0, loc)
	dst := make([]float64, len(bs))
	for n := 0; n < 20000; n++ {
		from := base.Add(time.Duration(rng.Int64N(365*24*60)) * time.Minute)
		var span time.Duration
		switch n % 4 {
		case 0: // instant
		case 1:
			span = time.Duration(rng.Int64N(12*60)) * time.Minute
		case 2:
			span = time.Duration(rng.Int64N(3*24*60)) * time.Minute
		default:
			span = time.Duration(rng.Int64N(7*24*60)) * time.Minute
		}
		to := from.Add(span)
		BandShares(dst, bs, from, to, false, loc)
		sum := 0.0
		for _, name := range partition {
			sum += dst[idx[name]]
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("window %s..%s: partition shares sum to %.12f, want 1", from, to, sum)
		}
		if dst[idx["any"]] != 1 {
			t.Fatalf("any share %g", dst[idx["any"]])
		}
		if s := dst[idx["nte"]]; s < 0 || s > 1 {
			t.Fatalf("nte share %g", s)
		}
	}
}
