package score

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// bandHeader is the header every bands file starts with.
var bandHeader = []string{"name", "label", "days", "start", "end"}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// DefaultBands returns the bands embedded from data/bands.csv: four six-hour
// bands for weekdays and four for weekends, the Friday/Saturday night-time
// economy, and any time.
func DefaultBands() ([]hotgrid.Band, error) {
	return LoadBands(bytes.NewReader(data.Bands()), "data/bands.csv")
}

// LoadBands reads a bands file: CSV with the header name,label,days,start,end;
// lines starting with # are comments. days is "all" or day names (mon..sun)
// joined by "|"; start and end are HH:MM; a band with days "all" and no times
// is an any-time band. Exactly one any-time band is required, because
// month-only offences can only be counted there. Errors name the file, line
// and field.
func LoadBands(r io.Reader, name string) ([]hotgrid.Band, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var out []hotgrid.Band
	seen := map[string]int{}
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if header {
			header = false
			if !equalFold(rec, bandHeader) {
				return nil, fmt.Errorf("%s:%d: header is %q, want %q", name, line, strings.Join(rec, ","), strings.Join(bandHeader, ","))
			}
			continue
		}
		if len(rec) != len(bandHeader) {
			return nil, fmt.Errorf("%s:%d: %d fields, want 5 (%s)", name, line, len(rec), strings.Join(bandHeader, ","))
		}
		b, field, err := parseBand(rec)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", name, line, field, err)
		}
		if prev, ok := seen[b.Name]; ok {
			return nil, fmt.Errorf("%s:%d: name: band %q already defined on line %d", name, line, b.Name, prev)
		}
		seen[b.Name] = line
		out = append(out, b)
	}
	if header {
		return nil, fmt.Errorf("%s: empty bands file (want header %s)", name, strings.Join(bandHeader, ","))
	}
	anys := 0
	for _, b := range out {
		if b.AnyTime {
			anys++
		}
	}
	if anys != 1 {
		return nil, fmt.Errorf("%s: %d any-time bands (days all, no start or end), want exactly 1", name, anys)
	}
	if len(out) > 64 {
		return nil, fmt.Errorf("%s: %d bands, at most 64 allowed", name, len(out))
	}
	return out, nil
}

func parseBand(rec []string) (hotgrid.Band, string, error) {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	b := hotgrid.Band{Name: rec[0], Label: rec[1]}
	if b.Name == "" {
		return b, "name", fmt.Errorf("empty")
	}
	for _, r := range b.Name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return b, "name", fmt.Errorf("%q: use lower-case letters, digits, - and _", b.Name)
		}
	}
	if b.Label == "" {
		b.Label = b.Name
	}
	if strings.EqualFold(rec[2], "all") {
		for d := range b.Days {
			b.Days[d] = true
		}
	} else {
		for _, d := range strings.Split(rec[2], "|") {
			wd, ok := dayNames[strings.ToLower(strings.TrimSpace(d))[:min(3, len(strings.TrimSpace(d)))]]
			if !ok {
				return b, "days", fmt.Errorf("unknown day %q (want mon..sun or all)", d)
			}
			b.Days[wd] = true
		}
	}
	if rec[3] == "" && rec[4] == "" {
		if !strings.EqualFold(rec[2], "all") {
			return b, "start", fmt.Errorf("empty: only an any-time band (days all) may leave start and end empty")
		}
		b.AnyTime = true
		return b, "", nil
	}
	var err error
	if b.Start, err = parseClock(rec[3]); err != nil {
		return b, "start", err
	}
	if b.End, err = parseClock(rec[4]); err != nil {
		return b, "end", err
	}
	return b, "", nil
}

// parseClock reads HH:MM (00:00..24:00) as minutes after midnight.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh == 24 && mm != 0 {
		return 0, fmt.Errorf("%q is not a time HH:MM", s)
	}
	return (hh*60 + mm) % (24 * 60), nil
}

func equalFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), b[i]) {
			return false
		}
	}
	return true
}
