// Package storetest is a test suite every hotgrid.OffenceStore must pass.
// A store package runs it from its own tests:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) hotgrid.OffenceStore { return openEmpty(t) })
//	}
//
// open must return a new, empty store for each call; the suite closes it.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Run runs every check of the suite as a subtest, each on a fresh store.
func Run(t *testing.T, open func(t *testing.T) hotgrid.OffenceStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s hotgrid.OffenceStore)
	}{
		{"IngestAndScan", testIngestAndScan},
		{"Idempotent", testIdempotent},
		{"DerivedIDs", testDerivedIDs},
		{"RollbackOnFillError", testRollbackOnFillError},
		{"ScanFilters", testScanFilters},
		{"ScanStopsOnError", testScanStopsOnError},
		{"Sources", testSources},
		{"DataVersion", testDataVersion},
		{"ManyOffences", testManyOffences},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

// london is the zone offences are written in.
func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// sample returns n distinct offences of one file with IDs "<prefix>-<i>".
func sample(t *testing.T, prefix string, n int) []hotgrid.Offence {
	loc := london(t)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	out := make([]hotgrid.Offence, n)
	for i := range out {
		from := base.Add(time.Duration(i) * 37 * time.Minute)
		out[i] = hotgrid.Offence{
			ID:          fmt.Sprintf("%s-%d", prefix, i),
			Source:      hotgrid.Source{Row: i + 2},
			Force:       "West Midlands Police",
			From:        from,
			To:          from.Add(time.Duration(i%3) * time.Hour),
			Category:    hotgrid.Categories[i%len(hotgrid.Categories)].Name,
			OffenceCode: fmt.Sprintf("%03d", i%40),
			Weapon:      hotgrid.Weapon(i % 5),
			Lon:         -1.9 + float64(i)*1e-5,
			Lat:         52.48 + float64(i)*1e-5,
			LSOA:        "E01009000",
			Location:    fmt.Sprintf("On or near Street %d", i),
			Unit:        []string{"BE", "BW", ""}[i%3],
			Outcome:     "Under investigation",
			Cell:        0x8b195da49a2dfff + uint64(i)<<12,
		}
	}
	return out
}

// source names a test file.
func source(name string) hotgrid.SourceFile {
	return hotgrid.SourceFile{Name: name, Hash: fmt.Sprintf("%064x", len(name)*7919+int(name[0])), Format: "mapped"}
}

// ingest stores offs as one file and returns how many were added.
func ingest(t *testing.T, s hotgrid.OffenceStore, src hotgrid.SourceFile, offs []hotgrid.Offence) int {
	t.Helper()
	added, err := s.IngestFile(context.Background(), src, func(put func(*hotgrid.Offence) error) error {
		for i := range offs {
			if err := put(&offs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("IngestFile(%s): %v", src.Name, err)
	}
	return added
}

// scan returns copies of the offences matching f, sorted by ID.
func scan(t *testing.T, s hotgrid.OffenceStore, f hotgrid.OffenceFilter) []hotgrid.Offence {
	t.Helper()
	var out []hotgrid.Offence
	if err := s.ScanOffences(context.Background(), f, func(o *hotgrid.Offence) error {
		out = append(out, *o)
		return nil
	}); err != nil {
		t.Fatalf("ScanOffences: %v", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ids lists the IDs of offs.
func ids(offs []hotgrid.Offence) []string {
	out := make([]string, len(offs))
	for i, o := range offs {
		out[i] = o.ID
	}
	sort.Strings(out)
	return out
}

// sameOffence compares every field; times by instant.
func sameOffence(t *testing.T, got, want hotgrid.Offence) {
	t.Helper()
	if !got.From.Equal(want.From) || !got.To.Equal(want.To) {
		t.Errorf("%s: window %v..%v, want %v..%v", want.ID, got.From, got.To, want.From, want.To)
	}
	got.From, got.To, want.From, want.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got != want {
		t.Errorf("offence differs:\n got %+v\nwant %+v", got, want)
	}
}

func testIngestAndScan(t *testing.T, s hotgrid.OffenceStore) {
	src := source("a.csv")
	offs := sample(t, "a", 7)
	offs[3].MonthOnly = true
	if added := ingest(t, s, src, offs); added != 7 {
		t.Fatalf("added %d, want 7", added)
	}
	got := scan(t, s, hotgrid.OffenceFilter{})
	if len(got) != 7 {
		t.Fatalf("scanned %d offences, want 7", len(got))
	}
	for i := range offs {
		want := offs[i]
		want.Source.File, want.Source.Hash = src.Name, src.Hash
		sameOffence(t, got[i], want)
	}
}

func testIdempotent(t *testing.T, s hotgrid.OffenceStore) {
	offs := sample(t, "x", 5)
	if added := ingest(t, s, source("x.csv"), offs); added != 5 {
		t.Fatalf("first ingest added %d, want 5", added)
	}
	if added := ingest(t, s, source("x.csv"), offs); added != 0 {
		t.Errorf("second ingest of the same file added %d, want 0", added)
	}
	// The same IDs from another file (a later month's copy) are not added
	// again; new ones are.
	more := append(sample(t, "x", 5), sample(t, "y", 2)...)
	if added := ingest(t, s, source("y.csv"), more); added != 2 {
		t.Errorf("ingest with 5 known and 2 new IDs added %d, want 2", added)
	}
	if n := len(scan(t, s, hotgrid.OffenceFilter{})); n != 7 {
		t.Errorf("store holds %d offences, want 7", n)
	}
}

func testDerivedIDs(t *testing.T, s hotgrid.OffenceStore) {
	src := source("noid.csv")
	offs := sample(t, "", 3)
	for i := range offs {
		offs[i].ID = ""
	}
	if added := ingest(t, s, src, offs); added != 3 {
		t.Fatalf("added %d offences without IDs, want 3", added)
	}
	if added := ingest(t, s, src, offs); added != 0 {
		t.Errorf("re-ingest of offences without IDs added %d, want 0", added)
	}
	want := []string{src.Hash + ":2", src.Hash + ":3", src.Hash + ":4"}
	if got := ids(scan(t, s, hotgrid.OffenceFilter{})); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("derived IDs %v, want %v", got, want)
	}
}

func testRollbackOnFillError(t *testing.T, s hotgrid.OffenceStore) {
	ctx := context.Background()
	ingest(t, s, source("keep.csv"), sample(t, "k", 3))
	v0, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("bad row at line 251")
	offs := sample(t, "bad", 250) // more than one write batch
	added, err := s.IngestFile(ctx, source("bad.csv"), func(put func(*hotgrid.Offence) error) error {
		for i := range offs {
			if err := put(&offs[i]); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("IngestFile error %v, want the fill error", err)
	}
	if added != 0 {
		t.Errorf("failed ingest reported %d added", added)
	}
	if got := ids(scan(t, s, hotgrid.OffenceFilter{})); fmt.Sprint(got) != "[k-0 k-1 k-2]" {
		t.Errorf("after a failed ingest the store holds %v, want only k-0..k-2", got)
	}
	srcs, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].Name != "keep.csv" {
		t.Errorf("after a failed ingest sources are %+v, want only keep.csv", srcs)
	}
	if v1, _ := s.DataVersion(ctx); v1 != v0 {
		t.Errorf("failed ingest changed the data version %d -> %d", v0, v1)
	}
	// The store still works after the rollback.
	if added := ingest(t, s, source("bad.csv"), offs[:10]); added != 10 {
		t.Errorf("ingest after rollback added %d, want 10", added)
	}
}

func testScanFilters(t *testing.T, s hotgrid.OffenceStore) {
	loc := london(t)
	at := func(d, h int) time.Time { return time.Date(2025, 1, d, h, 0, 0, 0, loc) }
	offs := []hotgrid.Offence{
		{ID: "instant-jan2", From: at(2, 10), To: at(2, 10), Force: "F1", Unit: "BE"},
		{ID: "window-jan2-3", From: at(2, 22), To: at(3, 6), Force: "F1", Unit: "BW"},
		{ID: "instant-jan5", From: at(5, 0), To: at(5, 0), Force: "F2", Unit: ""},
		{ID: "month-jan", From: at(1, 0), To: time.Date(2025, 2, 1, 0, 0, 0, 0, loc), MonthOnly: true, Force: "F2", Unit: "BE"},
		{ID: "month-feb", From: time.Date(2025, 2, 1, 0, 0, 0, 0, loc), To: time.Date(2025, 3, 1, 0, 0, 0, 0, loc), MonthOnly: true, Force: "F1", Unit: "BE"},
	}
	for i := range offs {
		offs[i].Source.Row = i + 2
		offs[i].Category = "Robbery"
		offs[i].Lon, offs[i].Lat = -1.9, 52.48
	}
	ingest(t, s, source("f.csv"), offs)
	tests := []struct {
		name string
		f    hotgrid.OffenceFilter
		want string
	}{
		{"all", hotgrid.OffenceFilter{}, "[instant-jan2 instant-jan5 month-feb month-jan window-jan2-3]"},
		{"from jan 3", hotgrid.OffenceFilter{From: at(3, 0)}, "[instant-jan5 month-feb month-jan window-jan2-3]"},
		{"to jan 2 10:00 exclusive", hotgrid.OffenceFilter{To: at(2, 10)}, "[month-jan]"},
		{"jan 2 day", hotgrid.OffenceFilter{From: at(2, 0), To: at(3, 0)}, "[instant-jan2 month-jan window-jan2-3]"},
		{"instant at From", hotgrid.OffenceFilter{From: at(5, 0), To: at(5, 1)}, "[instant-jan5 month-jan]"},
		{"february", hotgrid.OffenceFilter{From: time.Date(2025, 2, 1, 0, 0, 0, 0, loc)}, "[month-feb]"},
		{"unit BE", hotgrid.OffenceFilter{Units: []string{"BE"}}, "[instant-jan2 month-feb month-jan]"},
		{"outside units", hotgrid.OffenceFilter{Units: []string{hotgrid.OutsideUnits}}, "[instant-jan5]"},
		{"units BW and outside", hotgrid.OffenceFilter{Units: []string{"BW", ""}}, "[instant-jan5 window-jan2-3]"},
		{"force F2", hotgrid.OffenceFilter{Force: "F2"}, "[instant-jan5 month-jan]"},
		{"force and unit and time", hotgrid.OffenceFilter{Force: "F1", Units: []string{"BE"}, From: at(3, 0)}, "[month-feb]"},
		{"no match", hotgrid.OffenceFilter{Force: "nobody"}, "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(ids(scan(t, s, tt.f))); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func testScanStopsOnError(t *testing.T, s hotgrid.OffenceStore) {
	ingest(t, s, source("s.csv"), sample(t, "s", 10))
	stop := errors.New("enough")
	n := 0
	err := s.ScanOffences(context.Background(), hotgrid.OffenceFilter{}, func(*hotgrid.Offence) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("scan returned %v after %d offences, want the callback's error after 3", err, n)
	}
}

func testSources(t *testing.T, s hotgrid.OffenceStore) {
	ctx := context.Background()
	loc := london(t)
	a, b := source("a.csv"), source("bb.csv")
	a.Format, a.Rows, a.Rejected = "police-uk", 9, 2
	offs := sample(t, "a", 7)
	ingest(t, s, a, offs)
	ingest(t, s, b, sample(t, "b", 2))
	ingest(t, s, a, offs) // again: still one source row
	srcs, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[0].Name != "a.csv" || srcs[1].Name != "bb.csv" {
		t.Fatalf("sources %+v, want a.csv then bb.csv", srcs)
	}
	got := srcs[0]
	if got.Hash != a.Hash || got.Format != "police-uk" || got.Accepted != 7 || got.Rows != 9 || got.Rejected != 2 {
		t.Errorf("source %+v, want hash %s, police-uk, 9 rows, 7 accepted, 2 rejected", got, a.Hash)
	}
	if want := offs[0].From; !got.MinTime.Equal(want) {
		t.Errorf("source min time %v, want %v", got.MinTime, want)
	}
	var want time.Time
	for _, o := range offs {
		if o.To.After(want) {
			want = o.To
		}
	}
	if !got.MaxTime.Equal(want) {
		t.Errorf("source max time %v, want %v", got.MaxTime, want)
	}
	if got.IngestedAt.IsZero() {
		t.Error("source has no ingest time")
	}
	if r, ok := s.(hotgrid.SourceRecorder); ok {
		a.Rows, a.Accepted, a.Rejected = 12, 7, 5
		a.MinTime = time.Date(2024, 12, 1, 0, 0, 0, 0, loc)
		if err := r.RecordSource(ctx, a); err != nil {
			t.Fatal(err)
		}
		srcs, _ = s.Sources(ctx)
		if g := srcs[0]; g.Rows != 12 || g.Rejected != 5 || !g.MinTime.Equal(a.MinTime) {
			t.Errorf("after RecordSource %+v, want 12 rows, 5 rejected, min %v", g, a.MinTime)
		}
		if err := r.RecordSource(ctx, source("nothing-like-it.csv")); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
			t.Errorf("RecordSource of an unknown hash: %v, want not_found", err)
		}
	}
}

func testDataVersion(t *testing.T, s hotgrid.OffenceStore) {
	ctx := context.Background()
	v0, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	offs := sample(t, "v", 3)
	ingest(t, s, source("v.csv"), offs)
	v1, _ := s.DataVersion(ctx)
	if v1 == v0 {
		t.Errorf("data version %d unchanged after adding offences", v1)
	}
	ingest(t, s, source("v.csv"), offs)
	if v2, _ := s.DataVersion(ctx); v2 != v1 {
		t.Errorf("data version changed %d -> %d when nothing was added", v1, v2)
	}
}

func testManyOffences(t *testing.T, s hotgrid.OffenceStore) {
	offs := sample(t, "m", 1234) // several full batches and a partial one
	if added := ingest(t, s, source("m.csv"), offs); added != 1234 {
		t.Fatalf("added %d, want 1234", added)
	}
	got := scan(t, s, hotgrid.OffenceFilter{Units: []string{"BE"}})
	want := 0
	for _, o := range offs {
		if o.Unit == "BE" {
			want++
		}
	}
	if len(got) != want {
		t.Errorf("unit BE holds %d offences, want %d", len(got), want)
	}
}
