package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

const header = ingest.PoliceUKHeader + "\n"

// good is a valid police.uk row in Birmingham.
const good = "abc1,2025-01,West Midlands Police,West Midlands Police,-1.899,52.479,On or near Victoria Square,E01033620,Birmingham 138A,Robbery,Under investigation,\n"

// openStore returns a new store in a temporary file.
func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// all returns every stored offence, in insertion order.
func all(t *testing.T, s hotgrid.OffenceStore) []hotgrid.Offence {
	t.Helper()
	var out []hotgrid.Offence
	if err := s.ScanOffences(context.Background(), hotgrid.OffenceFilter{}, func(o *hotgrid.Offence) error {
		out = append(out, *o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// readRejects parses a rejects CSV.
func readRejects(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("rejects file is not CSV: %v\n%s", err, b)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "file,line,field,reason,record" {
		t.Fatalf("rejects header %v", recs)
	}
	return recs[1:]
}

// TestBadRows checks each kind of bad row is rejected with the file, line,
// field and reason, and that the rows after it are still read.
func TestBadRows(t *testing.T) {
	tests := []struct {
		name, row, field, reason string
	}{
		{"no coordinates", "x,2025-01,WMP,West Midlands Police,,,On or near A,E01,B,Robbery,,", "Longitude", ingest.ReasonNoCoordinates},
		{"no latitude", "x,2025-01,WMP,West Midlands Police,-1.9,,On or near A,E01,B,Robbery,,", "Latitude", ingest.ReasonNoCoordinates},
		{"latitude 91", "x,2025-01,WMP,West Midlands Police,-1.9,91,On or near A,E01,B,Robbery,,", "Latitude", ingest.ReasonLatitudeRange},
		{"longitude 200", "x,2025-01,WMP,West Midlands Police,200,52,On or near A,E01,B,Robbery,,", "Longitude", ingest.ReasonLongitudeRange},
		{"NaN", "x,2025-01,WMP,West Midlands Police,NaN,52.4,On or near A,E01,B,Robbery,,", "Longitude", ingest.ReasonNaN},
		{"infinite latitude", "x,2025-01,WMP,West Midlands Police,-1.9,+Inf,On or near A,E01,B,Robbery,,", "Latitude", ingest.ReasonNaN},
		{"zero zero", "x,2025-01,WMP,West Midlands Police,0,0,On or near A,E01,B,Robbery,,", "Longitude", ingest.ReasonZeroZero},
		{"not a number", "x,2025-01,WMP,West Midlands Police,-1.9x,52.4,On or near A,E01,B,Robbery,,", "Longitude", ingest.ReasonBadCoordinate},
		{"bad month", "x,2025-13,WMP,West Midlands Police,-1.9,52.4,On or near A,E01,B,Robbery,,", "Month", ingest.ReasonBadDate},
		{"date not month", "x,01/02/2025,WMP,West Midlands Police,-1.9,52.4,On or near A,E01,B,Robbery,,", "Month", ingest.ReasonBadDate},
		{"unknown category", "x,2025-01,WMP,West Midlands Police,-1.9,52.4,On or near A,E01,B,Jaywalking,,", "Crime type", ingest.ReasonUnknownCat},
		{"too few fields", "x,2025-01,WMP,West Midlands Police,-1.9,52.4,On or near A,E01,B,Robbery,", "(record)", ingest.ReasonFieldCount},
		{"too many fields", "x,2025-01,WMP,West Midlands Police,-1.9,52.4,On or near A,E01,B,Robbery,,,extra", "(record)", ingest.ReasonFieldCount},
		{"stray quote", `x,2025-01,WMP,West Midlands Police,-1.9,52.4,On or near "A" Road,E01,B,Robbery,,`, "Location (column 57)", ingest.ReasonStrayQuote},
		{"text after closing quote", `x,2025-01,WMP,West Midlands Police,-1.9,52.4,"On or near A"x,E01,B,Robbery,,`, "Location (column 59)", ingest.ReasonStrayQuote},
		{"no force", "x,2025-01,,,-1.9,52.4,On or near A,E01,B,Robbery,,", "Falls within", ingest.ReasonNoForce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openStore(t)
			var rej bytes.Buffer
			in := &ingest.Ingester{Store: db, Rejects: &rej}
			input := header + good + tt.row + "\n" + strings.Replace(good, "abc1", "abc2", 1)
			s, err := in.IngestReader(context.Background(), strings.NewReader(input), "bad.csv", "", nil)
			if err != nil {
				t.Fatalf("ingest failed: %v", err)
			}
			if err := in.Flush(); err != nil {
				t.Fatal(err)
			}
			if s.RowsRead != 3 || s.Accepted != 2 || s.Rejected != 1 || s.RejectedByReason[tt.reason] != 1 {
				t.Errorf("summary read %d accepted %d rejected %d by reason %v; want 3, 2, 1 x %q",
					s.RowsRead, s.Accepted, s.Rejected, s.RejectedByReason, tt.reason)
			}
			recs := readRejects(t, rej.Bytes())
			if len(recs) != 1 {
				t.Fatalf("rejects %v, want one", recs)
			}
			r := recs[0]
			if r[0] != "bad.csv" || r[1] != "3" || r[2] != tt.field || !strings.HasPrefix(r[3], tt.reason+": ") || len(r[3]) <= len(tt.reason)+2 {
				t.Errorf("reject %q, want bad.csv, line 3, field %q, reason %q with a detail", r, tt.field, tt.reason)
			}
			if r[4] != tt.row {
				t.Errorf("reject record %q, want the raw row %q", r[4], tt.row)
			}
			if want := "bad.csv:3: " + tt.field + ": " + tt.reason; len(s.RejectExamples) != 1 || !strings.HasPrefix(s.RejectExamples[0], want) {
				t.Errorf("reject example %q, want prefix %q", s.RejectExamples, want)
			}
			if n := len(all(t, db)); n != 2 {
				t.Errorf("store holds %d offences, want the 2 good rows", n)
			}
		})
	}
}

// TestBadMappedRows covers the rejections only a force extract can have.
func TestBadMappedRows(t *testing.T) {
	m := demoMapping(t)
	head := "crime_ref,occurred_from,occurred_to,ho_code,category,weapon,easting,northing,street,outcome\n"
	ok := "R1,2017-03-04T22:15,2017-03-04T23:00,034,Robbery,knife,406613,286923,Chamberlain Square,Charged\n"
	tests := []struct {
		name, row, field, reason string
	}{
		{"bad from", "R2,04/03/2017 22:15,,034,Robbery,none,406613,286923,S,O", "occurred_from", ingest.ReasonBadDate},
		{"bad to", "R2,2017-03-04T22:15,yesterday,034,Robbery,none,406613,286923,S,O", "occurred_to", ingest.ReasonBadDate},
		{"to before from", "R2,2017-03-04T22:15,2017-03-04T21:00,034,Robbery,none,406613,286923,S,O", "occurred_to", ingest.ReasonBadDate},
		{"no date", "R2,,,034,Robbery,none,406613,286923,S,O", "occurred_from", ingest.ReasonBadDate},
		{"unknown weapon", "R2,2017-03-04T22:15,,034,Robbery,catapult,406613,286923,S,O", "weapon", ingest.ReasonUnknownWeapon},
		{"unknown category", "R2,2017-03-04T22:15,,034,Mischief,none,406613,286923,S,O", "category", ingest.ReasonUnknownCat},
		{"unknown code", "R2,2017-03-04T22:15,,999,,none,406613,286923,S,O", "ho_code", ingest.ReasonUnknownCode},
		{"no grid reference", "R2,2017-03-04T22:15,,034,Robbery,none,,,S,O", "easting", ingest.ReasonNoCoordinates},
		{"no northing", "R2,2017-03-04T22:15,,034,Robbery,none,406613,,S,O", "northing", ingest.ReasonNoCoordinates},
		{"outside grid", "R2,2017-03-04T22:15,,034,Robbery,none,-5,286923,S,O", "easting", ingest.ReasonOutsideGrid},
		{"zero grid reference", "R2,2017-03-04T22:15,,034,Robbery,none,0,0,S,O", "easting", ingest.ReasonZeroZero},
		{"bad northing", "R2,2017-03-04T22:15,,034,Robbery,none,406613,north,S,O", "northing", ingest.ReasonBadCoordinate},
		{"field count", "R2,2017-03-04T22:15,,034,Robbery,none,406613,286923,S", "(record)", ingest.ReasonFieldCount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openStore(t)
			var rej bytes.Buffer
			in := &ingest.Ingester{Store: db, Rejects: &rej, Codes: codes{"034": "Robbery"}}
			s, err := in.IngestReader(context.Background(), strings.NewReader(head+ok+tt.row+"\n"), "extract.csv", ingest.FormatMapped, m)
			if err != nil {
				t.Fatalf("ingest failed: %v", err)
			}
			in.Flush()
			recs := readRejects(t, rej.Bytes())
			if s.Accepted != 1 || len(recs) != 1 {
				t.Fatalf("accepted %d, rejects %v; want 1 and one reject", s.Accepted, recs)
			}
			if r := recs[0]; r[0] != "extract.csv" || r[1] != "3" || r[2] != tt.field || !strings.HasPrefix(r[3], tt.reason+": ") {
				t.Errorf("reject %q, want extract.csv, line 3, field %q, reason %q", r, tt.field, tt.reason)
			}
		})
	}
}

// codes is a two-entry offence code table.
type codes map[string]string

func (c codes) CategoryOf(code string) (string, bool) { s, ok := c[code]; return s, ok }

// demoMapping loads data/mappings/demo.json.
func demoMapping(t *testing.T) *ingest.Mapping {
	t.Helper()
	return loadMapping(t, "demo.json")
}

func loadMapping(t *testing.T, name string) *ingest.Mapping {
	t.Helper()
	path := filepath.Join("..", "..", "data", "mappings", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ingest.LoadMapping(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMappedExtract reads a force extract with National Grid references,
// windows, codes, weapons and a trusted unit column.
func TestMappedExtract(t *testing.T) {
	m := demoMapping(t)
	m.Columns.Unit = "npu"
	db := openStore(t)
	in := &ingest.Ingester{Store: db, Units: fakeUnits{}, Codes: codes{"034": "Robbery", "028": "Burglary"}}
	input := "crime_ref,occurred_from,occurred_to,ho_code,category,weapon,easting,northing,street,outcome,npu\n" +
		"R1,2017-03-04T22:15,2017-03-05T01:00,034,Robbery,knife,406613,286923,Chamberlain Square,Charged,\n" +
		"R2,2017-07-01T09:30,,028,,none,406613,286923,Chamberlain Square,,BE\n"
	s, err := in.IngestReader(context.Background(), strings.NewReader(input), "extract.csv", "", m)
	if err != nil {
		t.Fatal(err)
	}
	if s.Accepted != 2 || s.Added != 2 || s.Files[0].Format != ingest.FormatMapped {
		t.Fatalf("summary %+v", s)
	}
	got := all(t, db)
	london, _ := time.LoadLocation("Europe/London")
	r1, r2 := got[0], got[1]
	if r1.ID != "R1" || r1.Weapon != hotgrid.WeaponKnife || r1.Category != "Robbery" || r1.OffenceCode != "034" || r1.MonthOnly {
		t.Errorf("R1 = %+v", r1)
	}
	if want := time.Date(2017, 3, 4, 22, 15, 0, 0, london); !r1.From.Equal(want) || !r1.To.Equal(time.Date(2017, 3, 5, 1, 0, 0, 0, london)) {
		t.Errorf("R1 window %v..%v", r1.From, r1.To)
	}
	if d := metres(r1.Lon, r1.Lat, -1.90406, 52.48019); d > 5 {
		t.Errorf("R1 at %f,%f: %.1f m from the Art Gallery bench mark", r1.Lat, r1.Lon, d)
	}
	if r1.Unit != "W" || r1.Force != "West Midlands Police" || r1.Cell == 0 {
		t.Errorf("R1 unit %q force %q cell %x, want located unit W", r1.Unit, r1.Force, r1.Cell)
	}
	// BST: 09:30 London is 08:30 UTC; no to means an instant.
	if want := time.Date(2017, 7, 1, 8, 30, 0, 0, time.UTC); !r2.From.Equal(want) || !r2.To.Equal(want) {
		t.Errorf("R2 window %v..%v, want the instant %v", r2.From, r2.To, want)
	}
	if r2.Category != "Burglary" || r2.Unit != "BE" || r2.Weapon != hotgrid.WeaponNone {
		t.Errorf("R2 = %+v, want category from code, trusted unit BE", r2)
	}
	if s.PerUnit["W"] != 1 || s.PerUnit["BE"] != 1 {
		t.Errorf("per unit %v", s.PerUnit)
	}
}

// metres is the approximate distance between two points near 52.5° N.
func metres(lon1, lat1, lon2, lat2 float64) float64 {
	return math.Hypot((lat2-lat1)*111195, (lon2-lon1)*111195*math.Cos(52.5*math.Pi/180))
}

// TestBOMAndCRLF reads a file with a byte-order mark and CRLF line ends.
func TestBOMAndCRLF(t *testing.T) {
	db := openStore(t)
	in := &ingest.Ingester{Store: db}
	input := "\xEF\xBB\xBF" + strings.ReplaceAll(header+good+strings.Replace(good, "abc1", "", 1), "\n", "\r\n")
	s, err := in.IngestReader(context.Background(), strings.NewReader(input), "bom.csv", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Accepted != 2 || s.Rejected != 0 || s.Files[0].Format != ingest.FormatPoliceUK {
		t.Fatalf("summary %+v, want 2 police-uk rows accepted", s)
	}
	got := all(t, db)
	if got[0].Location != "On or near Victoria Square" || got[0].Outcome != "Under investigation" || strings.ContainsAny(got[1].Outcome+got[1].ID, "\r\n") {
		t.Errorf("fields carry line ends: %+v", got)
	}
	if want := s.Files[0].Hash + ":3"; got[1].ID != want {
		t.Errorf("row without Crime ID has ID %q, want %q", got[1].ID, want)
	}
}

// TestGzip reads a gzip file and finds the same rows and hash as plain.
func TestGzip(t *testing.T) {
	input := header + good + strings.Replace(good, "abc1", "", 1)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(input))
	zw.Close()
	path := filepath.Join(t.TempDir(), "2025-01-test-street.csv.gz")
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openStore(t)
	in := &ingest.Ingester{Store: db}
	s, err := in.IngestFile(context.Background(), path, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Accepted != 2 || s.Added != 2 || s.Files[0].File != "2025-01-test-street.csv.gz" {
		t.Fatalf("summary %+v", s)
	}
	// The same bytes uncompressed are the same source: nothing new.
	s2, err := in.IngestReader(context.Background(), strings.NewReader(input), "plain.csv", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Files[0].Hash != s.Files[0].Hash || s2.Added != 0 {
		t.Errorf("plain copy: hash %s vs %s, added %d; want the same hash and 0 added", s2.Files[0].Hash, s.Files[0].Hash, s2.Added)
	}
}

// TestMonthIsLondon checks month windows start at midnight in London.
func TestMonthIsLondon(t *testing.T) {
	db := openStore(t)
	in := &ingest.Ingester{Store: db}
	input := header + strings.Replace(good, "2025-01", "2025-06", 1)
	if _, err := in.IngestReader(context.Background(), strings.NewReader(input), "june.csv", "", nil); err != nil {
		t.Fatal(err)
	}
	o := all(t, db)[0]
	if !o.MonthOnly || !o.From.Equal(time.Date(2025, 5, 31, 23, 0, 0, 0, time.UTC)) || !o.To.Equal(time.Date(2025, 6, 30, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("June 2025 window %v..%v month-only %v, want 2025-05-31T23:00Z..2025-06-30T23:00Z", o.From, o.To, o.MonthOnly)
	}
}

// TestIdempotent ingests a file twice: the second time adds nothing.
func TestIdempotent(t *testing.T) {
	db := openStore(t)
	in := &ingest.Ingester{Store: db}
	input := header + good + strings.Replace(good, "abc1", "", 1) + strings.Replace(good, "abc1", "", 1)
	for i, want := range []int{3, 0} {
		s, err := in.IngestReader(context.Background(), strings.NewReader(input), "twice.csv", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.Added != want || s.Accepted != 3 || s.Duplicates != 3-want {
			t.Errorf("ingest %d: added %d accepted %d duplicates %d, want %d added", i+1, s.Added, s.Accepted, s.Duplicates, want)
		}
	}
	if n := len(all(t, db)); n != 3 {
		t.Errorf("store holds %d, want 3", n)
	}
}

// TestDuplicateCrimeIDs reports a Crime ID repeated inside one file.
func TestDuplicateCrimeIDs(t *testing.T) {
	db := openStore(t)
	in := &ingest.Ingester{Store: db}
	input := header + good + strings.Replace(good, "Victoria Square", "New Street", 1)
	s, err := in.IngestReader(context.Background(), strings.NewReader(input), "dup.csv", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Accepted != 2 || s.Added != 1 || s.DuplicateIDs != 1 || s.Duplicates != 1 {
		t.Errorf("accepted %d added %d duplicate IDs %d duplicates %d, want 2, 1, 1, 1", s.Accepted, s.Added, s.DuplicateIDs, s.Duplicates)
	}
	if len(s.DuplicateExamples) != 1 || !strings.Contains(s.DuplicateExamples[0], "dup.csv:3: Crime ID abc1 repeats line 2") {
		t.Errorf("duplicate examples %q", s.DuplicateExamples)
	}
}

// TestFailingFileLeavesStoreUnchanged: a strict failure and an unreadable
// quote each roll the whole file back.
func TestFailingFileLeavesStoreUnchanged(t *testing.T) {
	tests := []struct {
		name    string
		strict  bool
		input   string
		wantErr string
	}{
		{"strict bad row", true, header + good + strings.Replace(good, "abc1", "abc2", 1) + "x,2025-01,W,W,-1.9,91,A,E,B,Robbery,,\n",
			"strict: new.csv:4: Latitude: latitude out of range"},
		{"unterminated quote", false, header + good + strings.Replace(good, "abc1", "abc2", 1) + "x,2025-01,W,W,-1.9,52.4,\"On or near,E,B,Robbery,,\n" + good,
			"new.csv: line 4: a quoted field opened on line 4 is not closed properly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openStore(t)
			in := &ingest.Ingester{Store: db}
			before := header + strings.Replace(good, "abc1", "keep", 1)
			if _, err := in.IngestReader(ctx, strings.NewReader(before), "old.csv", "", nil); err != nil {
				t.Fatal(err)
			}
			v0, _ := db.DataVersion(ctx)
			in.Strict = tt.strict
			s, err := in.IngestReader(ctx, strings.NewReader(tt.input), "new.csv", "", nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
			if s.FilesFailed != 1 || s.Added != 0 || s.Files[0].Error == "" {
				t.Errorf("summary %+v, want one failed file adding nothing", s)
			}
			got := all(t, db)
			if len(got) != 1 || got[0].ID != "keep" {
				t.Errorf("store holds %v after a failed file, want only the earlier offence", got)
			}
			srcs, _ := db.Sources(ctx)
			if len(srcs) != 1 {
				t.Errorf("sources %v, want only old.csv", srcs)
			}
			if v1, _ := db.DataVersion(ctx); v1 != v0 {
				t.Errorf("data version moved %d -> %d", v0, v1)
			}
		})
	}
}

// TestFileErrors covers files that cannot be read at all.
func TestFileErrors(t *testing.T) {
	m := demoMapping(t)
	tests := []struct {
		name, input, format string
		m                   *ingest.Mapping
		want                string
	}{
		{"unknown header", "a,b,c\n1,2,3\n", "", nil, "f.csv: line 1: header is not the data.police.uk street-level header"},
		{"police-uk with wrong header", "Crime ID,Month\n", ingest.FormatPoliceUK, nil, "f.csv: line 1: header"},
		{"mapped without mapping", "a\n", ingest.FormatMapped, nil, "needs a mapping"},
		{"missing mapped column", "crime_ref,occurred_from\n", ingest.FormatMapped, m, `f.csv: line 1: header: no column "occurred_to"`},
		{"unknown format", header, "xml", nil, `unknown format "xml"`},
	}
	for _, tt := range tests {
		in := &ingest.Ingester{Store: openStore(t), Codes: codes{}}
		_, err := in.IngestReader(context.Background(), strings.NewReader(tt.input), "f.csv", tt.format, tt.m)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestLoadMapping checks mapping validation.
func TestLoadMapping(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"unknown key", `{"force":"F","columns":{"lon":"x","lat":"y","month":"m","category":"c","colour":"z"}}`, "unknown field"},
		{"lon without lat", `{"force":"F","columns":{"lon":"x","month":"m","category":"c"}}`, "lon and lat"},
		{"no place", `{"force":"F","columns":{"month":"m","category":"c"}}`, "lon and lat, or easting and northing"},
		{"no date", `{"force":"F","columns":{"lon":"x","lat":"y","category":"c"}}`, "occurred_from or month"},
		{"no time format", `{"force":"F","columns":{"lon":"x","lat":"y","occurred_from":"f","category":"c"}}`, "time_format"},
		{"no category", `{"force":"F","columns":{"lon":"x","lat":"y","month":"m"}}`, "offence_code or category"},
		{"no force", `{"columns":{"lon":"x","lat":"y","month":"m","category":"c"}}`, "force"},
		{"bad zone", `{"force":"F","timezone":"Mars/Olympus","columns":{"lon":"x","lat":"y","month":"m","category":"c"}}`, "timezone"},
		{"bad delimiter", `{"force":"F","delimiter":";;","columns":{"lon":"x","lat":"y","month":"m","category":"c"}}`, "delimiter"},
	}
	for _, tt := range tests {
		_, err := ingest.LoadMapping(strings.NewReader(tt.json), "m.json")
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "m.json") {
			t.Errorf("%s: error %v, want one naming m.json and %q", tt.name, err, tt.want)
		}
	}
	for _, name := range []string{"demo.json", "police-uk-api.json"} {
		loadMapping(t, name)
	}
}

// TestSemicolonMapping reads a mapped file with another delimiter and lon/lat.
func TestSemicolonMapping(t *testing.T) {
	m, err := ingest.LoadMapping(strings.NewReader(`{"force":"Test Police","delimiter":";","columns":{"id":"ref","lon":"x","lat":"y","month":"m","category":"c"}}`), "semi.json")
	if err != nil {
		t.Fatal(err)
	}
	db := openStore(t)
	in := &ingest.Ingester{Store: db}
	s, err := in.IngestReader(context.Background(), strings.NewReader("ref;x;y;m;c\nA1;-1.9;52.48;2017-05;burglary\n"), "semi.csv", ingest.FormatMapped, m)
	if err != nil || s.Accepted != 1 {
		t.Fatalf("summary %+v, error %v", s, err)
	}
	if o := all(t, db)[0]; o.Category != "Burglary" || o.Force != "Test Police" || !o.MonthOnly {
		t.Errorf("offence %+v", o)
	}
}

// TestBirminghamExtract reads the real WMP API extract with its mapping.
func TestBirminghamExtract(t *testing.T) {
	path := filepath.Join(sharedDir(t), "data", "police-uk", "west-midlands-api-birmingham-centre", "crimeclean_2017-01_to_2017-08.csv")
	m := loadMapping(t, "police-uk-api.json")
	db := openStore(t)
	in := &ingest.Ingester{Store: db, Units: fakeUnits{}}
	s, err := in.IngestFile(context.Background(), path, "", m)
	if err != nil {
		t.Fatal(err)
	}
	if s.RowsRead != 12542 || s.Accepted+s.Rejected != 12542 {
		t.Errorf("read %d, accepted %d, rejected %d %v; want 12542 rows", s.RowsRead, s.Accepted, s.Rejected, s.RejectedByReason)
	}
	if s.Added != s.Accepted || s.PerForce["West Midlands Police"] != s.Accepted {
		t.Errorf("added %d of %d, per force %v", s.Added, s.Accepted, s.PerForce)
	}
	count := map[string]int{}
	months := map[string]int{}
	for _, o := range all(t, db) {
		count[o.Category]++
		months[o.From.Format("2006-01")]++
		if !o.MonthOnly || o.Cell == 0 {
			t.Fatalf("offence %+v, want month-only with a cell", o)
		}
	}
	// Figures from ../shared/data/SOURCES.md.
	if count["Robbery"] != 507 || count["Possession of weapons"] != 89 {
		t.Errorf("robbery %d, possession of weapons %d; want 507 and 89", count["Robbery"], count["Possession of weapons"])
	}
	want := map[string]int{"2017-01": 1468, "2017-02": 1491, "2017-03": 1592, "2017-04": 1597, "2017-05": 1789, "2017-06": 1511, "2017-07": 1531, "2017-08": 1563}
	if fmt.Sprint(months) != fmt.Sprint(want) {
		t.Errorf("rows per month %v, want %v", months, want)
	}
	again, err := in.IngestFile(context.Background(), path, "", m)
	if err != nil || again.Added != 0 {
		t.Errorf("second ingest added %d (%v), want 0", again.Added, err)
	}
}

// TestIngestFilesBatch ingests several files in one batch where one file
// fails part way and one is missing: the failed file leaves nothing (not
// even its source row, nor changes to a source ingested before), the
// others are all stored, and a second run adds nothing.
func TestIngestFilesBatch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	row := func(id string) string { return strings.Replace(good, "abc1", id, 1) }
	a := write("a.csv", header+row("a1")+row("a2"))
	bad := write("bad.csv", header+row("b1")+row("b2")+"x,2025-01,W,W,-1.9,91,A,E,B,Robbery,,\n")
	c := write("c.csv", header+row("c1")+row("a1")) // a1 repeats a.csv's offence
	db := openStore(t)
	in := &ingest.Ingester{Store: db, Strict: true}
	// bad.csv's bytes once held a valid file: its source row must survive.
	if _, err := in.IngestReader(ctx, strings.NewReader(header+row("old")), "old.csv", "", nil); err != nil {
		t.Fatal(err)
	}
	srcs0, _ := db.Sources(ctx)
	paths := []string{a, bad, filepath.Join(dir, "missing.csv"), c, a}
	s, err := in.IngestFiles(ctx, paths, "", nil)
	if err == nil || !strings.Contains(err.Error(), "strict: bad.csv:4: Latitude") || !strings.Contains(err.Error(), "missing.csv") {
		t.Fatalf("error %v, want the strict failure of bad.csv and the missing file", err)
	}
	if s.FilesFailed != 2 || len(s.Files) != 5 || s.Added != 3 || s.Accepted != 8 || s.Duplicates != 3 {
		t.Errorf("summary: %d failed, %d files, added %d, accepted %d, duplicates %d; want 2, 5, 3, 8, 3", s.FilesFailed, len(s.Files), s.Added, s.Accepted, s.Duplicates)
	}
	wantAdded := []int{2, 0, 0, 1, 0} // a.csv, bad.csv, missing.csv, c.csv, a.csv again
	for i, f := range s.Files {
		if want := wantAdded[i]; f.Added != want || (f.Error != "") != (f.File == "bad.csv" || f.File == "missing.csv") {
			t.Errorf("file %d %s: added %d error %q, want %d added", i, f.File, f.Added, f.Error, want)
		}
	}
	var got []string
	for _, o := range all(t, db) {
		got = append(got, o.ID)
	}
	if strings.Join(got, " ") != "old a1 a2 c1" {
		t.Errorf("store holds %v, want old a1 a2 c1", got)
	}
	srcs, _ := db.Sources(ctx)
	var names []string
	for _, src := range srcs {
		names = append(names, src.Name)
	}
	if strings.Join(names, " ") != "old.csv a.csv c.csv" || srcs[0] != srcs0[0] {
		t.Errorf("sources %v, want old.csv (unchanged) a.csv c.csv", srcs)
	}
	s, _ = in.IngestFiles(ctx, []string{a, c}, "", nil)
	if s.Added != 0 || s.Accepted != 4 || s.FilesFailed != 0 {
		t.Errorf("second run added %d of %d accepted (%d failed), want 0", s.Added, s.Accepted, s.FilesFailed)
	}
}

// TestIngestFilesRestoresSource fails a file whose bytes were ingested
// before: its source row is put back as it was.
func TestIngestFilesRestoresSource(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	body := header + good + "x,2025-01,W,W,-1.9,91,A,E,B,Robbery,,\n"
	p := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openStore(t)
	in := &ingest.Ingester{Store: db}
	if _, err := in.IngestFiles(ctx, []string{p}, "", nil); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Sources(ctx)
	in.Strict = true
	if _, err := in.IngestFiles(ctx, []string{p, p}, "", nil); err == nil {
		t.Fatal("strict run of a file with a bad row succeeded")
	}
	after, _ := db.Sources(ctx)
	if len(after) != 1 || after[0] != before[0] || before[0].Rejected != 1 {
		t.Errorf("sources after a failed re-ingest %+v, want %+v with 1 rejected", after, before)
	}
	if n := len(all(t, db)); n != 1 {
		t.Errorf("store holds %d offences, want 1", n)
	}
}
