package evaluate

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

// sharedDir returns ../shared (see testenv.SharedDir).
func sharedDir(tb testing.TB) string { return testenv.SharedDir(tb) }

// policeUKOffences parses data.police.uk street-level CSVs (plain or gzip).
// It is a test stand-in for internal/ingest: rows without coordinates are
// counted and skipped, anything else malformed is an error naming file,
// row and field.
func policeUKOffences(tb testing.TB, paths ...string) ([]hotgrid.Offence, int) {
	tb.Helper()
	var out []hotgrid.Offence
	noCoord := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			tb.Fatal(err)
		}
		var r io.Reader = f
		if strings.HasSuffix(p, ".gz") {
			if r, err = gzip.NewReader(f); err != nil {
				tb.Fatalf("%s: %v", p, err)
			}
		}
		cr := csv.NewReader(r)
		cr.ReuseRecord = true
		head, err := cr.Read()
		if err != nil {
			tb.Fatalf("%s: header: %v", p, err)
		}
		col := map[string]int{}
		for i, h := range head {
			col[h] = i
		}
		for row := 2; ; row++ {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				tb.Fatalf("%s:%d: %v", p, row, err)
			}
			if rec[col["Longitude"]] == "" {
				noCoord++
				continue
			}
			o, err := offence(rec[col["Crime ID"]], rec[col["Month"]], rec[col["Falls within"]], rec[col["Longitude"]], rec[col["Latitude"]], rec[col["Crime type"]])
			if err != nil {
				tb.Fatalf("%s:%d: %v", p, row, err)
			}
			o.Source = hotgrid.Source{File: filepath.Base(p), Row: row}
			out = append(out, o)
		}
		f.Close()
	}
	return out, noCoord
}

// birminghamOffences parses the police.uk API extract of Birmingham city
// centre (columns "",type,street,month,latitude,longitude,ward).
func birminghamOffences(tb testing.TB, path string) []hotgrid.Offence {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	out := make([]hotgrid.Offence, 0, len(recs))
	for i, r := range recs[1:] {
		o, err := offence("bham-"+r[0], r[3], "West Midlands Police", r[5], r[4], r[1])
		if err != nil {
			tb.Fatalf("%s:%d: %v", path, i+2, err)
		}
		out = append(out, o)
	}
	return out
}

func offence(id, month, force, lon, lat, category string) (hotgrid.Offence, error) {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return hotgrid.Offence{}, fmt.Errorf("month: %w", err)
	}
	x, err := strconv.ParseFloat(lon, 64)
	if err != nil {
		return hotgrid.Offence{}, fmt.Errorf("longitude: %w", err)
	}
	y, err := strconv.ParseFloat(lat, 64)
	if err != nil {
		return hotgrid.Offence{}, fmt.Errorf("latitude: %w", err)
	}
	cat, err := hotgrid.LookupCategory(category)
	if err != nil {
		return hotgrid.Offence{}, fmt.Errorf("crime type: %w", err)
	}
	cell, err := geo.CellAt(x, y, hotgrid.StoreResolution)
	if err != nil {
		return hotgrid.Offence{}, fmt.Errorf("coordinates: %w", err)
	}
	return hotgrid.Offence{ID: id, Force: force, From: m, To: m.AddDate(0, 1, 0), MonthOnly: true,
		Category: cat.Name, Lon: x, Lat: y, Cell: cell}, nil
}

// sliceScan scans a slice of offences.
func sliceScan(offs []hotgrid.Offence) ScanFunc {
	return func(fn func(*hotgrid.Offence) error) error {
		for i := range offs {
			if err := fn(&offs[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// realWeights is the embedded severity table (ONS CSS category medians)
// that hotgrid evaluate uses by default.
func realWeights(tb testing.TB) *severity.Table {
	tb.Helper()
	w, err := severity.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

func month(s string) time.Time {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		panic(err)
	}
	return t
}

// bandFor is an every-day band from start to end (minutes after midnight).
func bandFor(start, end int) hotgrid.Band {
	return hotgrid.Band{Name: "test", Days: [7]bool{true, true, true, true, true, true, true}, Start: start, End: end}
}

func asError(err error, target **hotgrid.Error) bool { return errors.As(err, target) }
