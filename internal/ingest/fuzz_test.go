package ingest_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
)

// Fuzz targets for the two CSV readers and the mapping loader. `go test`
// runs the seeds in testdata/fuzz/<FuzzName>/ and the f.Add seeds below;
// `make fuzz` explores for FUZZTIME each. The properties checked on every
// input: no panic; a failed file's error names the file; otherwise every row
// read is either accepted or rejected (RowsRead = Accepted + Rejected), every
// rejection names the file, a line inside the input, a field and a reason;
// and every accepted offence is valid (finite WGS84 point in range and not
// (0,0), an H3 cell at the store resolution holding it, a known category, a
// force, a window that does not end before it starts).
//
// The seeds in testdata/fuzz/ derived from ../shared were made with
//
//	zcat national-2025/2025-01-warwickshire-street.csv.gz | sed -n 2,21p   (FuzzPoliceUK/warwickshire-2025-01)
//	zcat national-2025/2025-01-btp-street.csv.gz | sed -n 2,11p            (FuzzPoliceUK/btp-2025-01)
//	zcat national-2025/2025-0*-*-street.csv.gz | awk -F, 'NR>1 && $5==""' | head -5   (FuzzPoliceUK/no-location)
//	zcat national-2025/2025-01-warwickshire-street.csv.gz | head -6 [| gzip -9n]      (FuzzFile/*)
//
// each written in the Go corpus format ("go test fuzz v1" and a strconv.Quote'd []byte).

// memStore is an OffenceStore keeping one file's offences in memory; it
// checks every offence put into it.
type memStore struct {
	t    *testing.T
	got  []hotgrid.Offence
	errs []string
}

func (s *memStore) IngestFile(_ context.Context, _ hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error) {
	var batch []hotgrid.Offence
	err := fill(func(o *hotgrid.Offence) error {
		batch = append(batch, *o)
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.got = append(s.got, batch...)
	return len(batch), nil
}

func (s *memStore) ScanOffences(context.Context, hotgrid.OffenceFilter, func(*hotgrid.Offence) error) error {
	return nil
}
func (s *memStore) Sources(context.Context) ([]hotgrid.SourceFile, error) { return nil, nil }
func (s *memStore) DataVersion(context.Context) (int64, error)            { return 0, nil }
func (s *memStore) Close() error                                          { return nil }

// checkOffence reports what is wrong with an accepted offence ("" if valid).
func checkOffence(o *hotgrid.Offence) string {
	switch {
	case math.IsNaN(o.Lon) || math.IsNaN(o.Lat) || math.IsInf(o.Lon, 0) || math.IsInf(o.Lat, 0):
		return "non-finite coordinate"
	case o.Lat < -90 || o.Lat > 90 || o.Lon < -180 || o.Lon > 180:
		return "coordinate out of range"
	case o.Lon == 0 && o.Lat == 0:
		return "(0,0) accepted"
	case o.Category == "":
		return "no category"
	case o.Force == "":
		return "no force"
	case o.To.Before(o.From):
		return "window ends before it starts"
	case o.From.IsZero():
		return "no date"
	case o.ID == "":
		return "no ID"
	case o.Source.Row < 2:
		return "row " + strconv.Itoa(o.Source.Row) + " is the header or before it"
	}
	if _, err := hotgrid.LookupCategory(o.Category); err != nil {
		return "category " + strconv.Quote(o.Category) + " unknown"
	}
	c, err := geo.CellAt(o.Lon, o.Lat, hotgrid.StoreResolution)
	if err != nil || c != o.Cell {
		return "cell does not hold the point"
	}
	return ""
}

// checkRun ingests input as name and asserts the properties above.
func checkRun(t *testing.T, input []byte, name, format string, m *ingest.Mapping) {
	t.Helper()
	st := &memStore{t: t}
	var rejects bytes.Buffer
	in := &ingest.Ingester{Store: st, Units: fakeUnits{}, Rejects: &rejects}
	sum, err := in.IngestReader(context.Background(), bytes.NewReader(input), name, format, m)
	if ferr := in.Flush(); ferr != nil {
		t.Fatalf("flush rejects: %v", ferr)
	}
	if err != nil {
		if !strings.Contains(err.Error(), name) {
			t.Fatalf("error does not name the file %s: %v", name, err)
		}
		if sum.FilesFailed != 1 {
			t.Fatalf("failed file counted %d times", sum.FilesFailed)
		}
		return
	}
	if sum.RowsRead != sum.Accepted+sum.Rejected {
		t.Fatalf("rows read %d != accepted %d + rejected %d", sum.RowsRead, sum.Accepted, sum.Rejected)
	}
	if len(st.got) != sum.Accepted {
		t.Fatalf("store got %d offences, summary says %d accepted", len(st.got), sum.Accepted)
	}
	for i := range st.got {
		if why := checkOffence(&st.got[i]); why != "" {
			t.Fatalf("accepted offence %d (line %d) is invalid: %s: %+v", i, st.got[i].Source.Row, why, st.got[i])
		}
	}
	lines := bytes.Count(input, []byte("\n")) + 1
	if sum.Rejected == 0 {
		return
	}
	recs, err := csv.NewReader(&rejects).ReadAll()
	if err != nil {
		t.Fatalf("rejects file is not CSV: %v", err)
	}
	if len(recs)-1 != sum.Rejected {
		t.Fatalf("rejects file has %d rows, summary says %d", len(recs)-1, sum.Rejected)
	}
	for _, r := range recs[1:] {
		line, err := strconv.Atoi(r[1])
		switch {
		case r[0] != name:
			t.Fatalf("rejection names file %q, want %q", r[0], name)
		case err != nil || line < 2 || line > lines:
			t.Fatalf("rejection line %q outside 2..%d", r[1], lines)
		case r[2] == "":
			t.Fatalf("rejection at line %d names no field: %v", line, r)
		case r[3] == "" || !strings.Contains(r[3], ": "):
			t.Fatalf("rejection at line %d has no reason: %v", line, r)
		}
	}
}

// FuzzPoliceUK fuzzes the rows of a data.police.uk street-level file (the
// header is fixed, so rows get past format detection).
func FuzzPoliceUK(f *testing.F) {
	for _, s := range []string{
		good,
		"x,2025-01,WMP,West Midlands Police,NaN,52.4,On or near A,E01,B,Robbery,,\n",
		"x,2025-01,WMP,West Midlands Police,-1.9,91,On or near A,E01,B,Robbery,,\n",
		"x,2025-01,WMP,West Midlands Police,1e309,52,A,E01,B,Robbery,,\n",
		"x,2025-13,WMP,West Midlands Police,-1.9,52.4,\"A \"\"q\"\"\",E01,B,Robbery,,\r\n" + good,
		"x,2025-01,WMP,West Midlands Police,-1.9,52.4,A \"bad,E01,B,Robbery,,\n" + good,
		"\"open,2025-01\n" + good,
		",,,,,,,,,,,\n,\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, rows []byte) {
		in := append([]byte(header), rows...)
		checkRun(t, in, "fuzz-police.csv", ingest.FormatPoliceUK, nil)
		checkRun(t, in, "fuzz-police.csv", "", nil) // header detection
	})
}

// fuzzMapping is a force-extract mapping with every kind of column.
const fuzzMapping = `{"name":"fuzz","force":"West Midlands Police","columns":{"id":"ref","occurred_from":"from",` +
	`"occurred_to":"to","category":"cat","offence_code":"code","weapon":"weapon","easting":"e","northing":"n",` +
	`"lon":"lon","lat":"lat","unit":"npu"},"time_format":"2006-01-02T15:04","timezone":"Europe/London"}`

// mappedHeader is the header the fuzz mapping reads.
const mappedHeader = "ref,from,to,cat,code,weapon,e,n,lon,lat,npu\n"

// FuzzMapped fuzzes the rows of a mapped force extract (BNG and lon/lat,
// from/to windows, weapon flags).
func FuzzMapped(f *testing.F) {
	m, err := ingest.LoadMapping(strings.NewReader(fuzzMapping), "fuzz.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"r1,2017-03-04T22:15,2017-03-04T23:00,Robbery,,knife,407400,286900,,,\n",
		"r2,2017-03-04T22:15,,,,none,,,-1.9,52.48,BE\n",
		"r3,2017-03-04T22:15,2017-03-01T00:00,Robbery,,,407400,286900,,,\n",
		"r4,2017-02-30T22:15,,Robbery,,,407400,286900,,,\n",
		"r5,2017-03-04T22:15,,Robbery,,sword,407400,286900,,,\n",
		"r6,2017-03-04T22:15,,Robbery,,,9e99,-1,,,\n",
		"r7,2017-03-04T22:15,,Robbery,,,NaN,286900,,,\n",
		"r8,2017-03-04T22:15,,Robbery,,,0,0,,,\n",
		"r9,2017-03-26T01:30,,burglary,,,407400,286900,,,\n",
		"r10,2017-03-04T22:15,,Robbery,,,407400\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, rows []byte) {
		checkRun(t, append([]byte(mappedHeader), rows...), "fuzz-extract.csv", ingest.FormatMapped, m)
	})
}

// FuzzFile fuzzes whole files (header included) with format detection, so
// the header checks, BOM and gzip detection are explored too.
func FuzzFile(f *testing.F) {
	f.Add([]byte(header + good))
	f.Add([]byte("\xEF\xBB\xBF" + strings.ReplaceAll(header+good, "\n", "\r\n")))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0})
	f.Add([]byte("Crime ID,Month\nx,2025-01\n"))
	f.Fuzz(func(t *testing.T, file []byte) {
		checkRun(t, file, "fuzz-file.csv", "", nil)
	})
}

// FuzzLoadMapping fuzzes mapping files: no panic, errors name the file, and
// an accepted mapping satisfies its own rules (so a file built from it
// either reads or fails naming the file).
func FuzzLoadMapping(f *testing.F) {
	f.Add([]byte(fuzzMapping))
	f.Add([]byte(`{"force":"F","delimiter":"\t","columns":{"month":"m","category":"c","lon":"x","lat":"y"}}`))
	f.Add([]byte(`{"force":"F","delimiter":"\"","columns":{}}`))
	f.Add([]byte(`{"force":"F","timezone":"Mars/Olympus","columns":{"month":"m","category":"c","lon":"x","lat":"y"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ingest.LoadMapping(bytes.NewReader(b), "fuzz-mapping.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz-mapping.json") {
				t.Fatalf("error does not name the mapping: %v", err)
			}
			return
		}
		if m.Delimiter != "" && utf8.RuneCountInString(m.Delimiter) != 1 {
			t.Fatalf("accepted delimiter %q", m.Delimiter)
		}
		c := m.Columns
		if (c.Lon == "" && c.Easting == "") || (c.OccurredFrom == "" && c.Month == "") || (c.Category == "" && c.OffenceCode == "") {
			t.Fatalf("accepted an incomplete mapping %+v", m)
		}
	})
}
