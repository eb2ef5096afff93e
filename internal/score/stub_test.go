package score

import (
	"testing"
	"time"
)

func TestStubPeriod(t *testing.T) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{loc: loc}
	at := func(s string) int64 {
		tm, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm.Unix()
	}
	cases := []struct {
		name     string
		from, to string
		monthly  bool
		periods  int
		want     int
	}{
		{"year plus new year's morning", "2017-01-01T00:00", "2018-01-01T08:56", true, 13, 1},
		{"whole year", "2017-01-01T00:00", "2017-12-31T23:59", true, 12, 0},
		{"month-only data ends mid-February", "2025-01-01T00:00", "2025-02-14T12:00", true, 2, 0},
		{"half month is kept", "2017-01-01T00:00", "2017-06-15T00:00", true, 6, 0},
		{"weeks with a one-day tail", "2017-01-02T00:00", "2017-01-31T00:00", false, 5, 1},
		{"weeks with a three-day tail", "2017-01-02T00:00", "2017-02-02T00:00", false, 5, 0},
		{"too few periods to trim", "2017-10-01T00:00", "2018-01-01T08:00", true, 3, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := &normQuery{from: at(c.from), to: at(c.to)}
			last := time.Unix(n.to-1, 0).In(loc)
			if got := e.stubPeriod(n, last, c.monthly, c.periods); got != c.want {
				t.Fatalf("stubPeriod = %d, want %d", got, c.want)
			}
		})
	}
}
