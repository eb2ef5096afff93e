package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/audit/audittest"
	"github.com/hotgrid/hotgrid/internal/auth/authtest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/plan/plantest"
	"github.com/hotgrid/hotgrid/internal/store/pgtest"
	"github.com/hotgrid/hotgrid/internal/store/postgres"
	"github.com/hotgrid/hotgrid/internal/store/storetest"
)

// TestPostgres runs every PostgreSQL test against one throwaway cluster;
// each subtest gets a fresh database.
func TestPostgres(t *testing.T) {
	c := pgtest.Start(t)
	// A database migrated once, cloned for each subtest: migrating takes a
	// second or so on a busy machine.
	migrated := c.NewDatabase(t)
	db, err := postgres.Open(context.Background(), migrated)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	opener := func(newDB func(t *testing.T) string) opener {
		return func(t *testing.T) (*postgres.DB, string) {
			t.Helper()
			dsn := newDB(t)
			db, err := postgres.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db, dsn
		}
	}
	fresh := opener(func(t *testing.T) string { return c.NewDatabase(t) })
	open := opener(func(t *testing.T) string { return c.CloneDatabase(t, migrated) })
	t.Run("MigrateTwice", func(t *testing.T) { testMigrateTwice(t, fresh) })
	t.Run("MigrateConcurrently", func(t *testing.T) { testMigrateConcurrently(t, c.NewDatabase(t)) })
	t.Run("IngestRoundTrip", func(t *testing.T) { testIngestRoundTrip(t, open) })
	t.Run("IngestIdempotent", func(t *testing.T) { testIngestIdempotent(t, open) })
	t.Run("IngestRollback", func(t *testing.T) { testIngestRollback(t, open) })
	t.Run("Filter", func(t *testing.T) { testFilter(t, open) })
	t.Run("Cells", func(t *testing.T) { testCells(t, open) })
	t.Run("Notify", func(t *testing.T) { testNotify(t, open) })
	t.Run("TwoHandles", func(t *testing.T) { testTwoHandles(t, open) })
	t.Run("TwoHandlesPlans", func(t *testing.T) { testTwoHandlesPlans(t, open) })
	t.Run("AuditAppendOnly", func(t *testing.T) { testAuditAppendOnly(t, open) })
	t.Run("GISLayers", func(t *testing.T) { testGISLayers(t, open) })
	runSuites(t, open)
}

type opener func(t *testing.T) (*postgres.DB, string)

// offences makes n offences of one source spread over Birmingham.
func offences(t testing.TB, hash string, n int) []hotgrid.Offence {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/London")
	cats := []string{"Robbery", "Burglary", "Anti-social behaviour", "Violence and sexual offences"}
	out := make([]hotgrid.Offence, n)
	for i := range out {
		lon, lat := -1.95+float64(i%97)*0.001, 52.45+float64(i%89)*0.001
		cell, err := geo.CellAt(lon, lat, hotgrid.StoreResolution)
		if err != nil {
			t.Fatal(err)
		}
		from := time.Date(2025, time.Month(1+i%12), 1+i%28, i%24, (i*7)%60, 0, 0, loc)
		out[i] = hotgrid.Offence{
			ID:     fmt.Sprintf("%s-%d", hash[:4], i),
			Source: hotgrid.Source{File: "f-" + hash[:4] + ".csv", Hash: hash, Row: i + 2},
			Force:  "West Midlands Police", From: from, To: from.Add(time.Duration(i%3) * time.Hour),
			Category: cats[i%len(cats)], OffenceCode: fmt.Sprintf("%03d", i%50), Weapon: hotgrid.Weapon(i % 5),
			Lon: lon, Lat: lat, LSOA: "E0100" + fmt.Sprint(i%9), Location: "On or near High Street",
			Unit: []string{"BE", "BW", ""}[i%3], Outcome: "Under investigation", Cell: cell,
		}
	}
	return out
}

// sameOffence compares offences with times compared as instants.
func sameOffence(a, b hotgrid.Offence) bool {
	if !a.From.Equal(b.From) || !a.To.Equal(b.To) {
		return false
	}
	a.From, a.To, b.From, b.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

func source(hash string, n int) hotgrid.SourceFile {
	return hotgrid.SourceFile{Name: "f-" + hash[:4] + ".csv", Hash: hash, Format: "mapped", Rows: n, Accepted: n}
}

func ingestAll(t *testing.T, db hotgrid.OffenceStore, hash string, os []hotgrid.Offence) int {
	t.Helper()
	added, err := db.IngestFile(context.Background(), source(hash, len(os)), func(put func(*hotgrid.Offence) error) error {
		for i := range os {
			if err := put(&os[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func scanAll(t *testing.T, db hotgrid.OffenceStore, f hotgrid.OffenceFilter) []hotgrid.Offence {
	t.Helper()
	var out []hotgrid.Offence
	if err := db.ScanOffences(context.Background(), f, func(o *hotgrid.Offence) error {
		out = append(out, *o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func testMigrateTwice(t *testing.T, open opener) {
	ctx := context.Background()
	db, dsn := open(t)
	v1, err := db.SchemaVersion(ctx)
	if err != nil || v1 < 2 {
		t.Fatalf("schema version %d, %v", v1, err)
	}
	ingestAll(t, db, "aaaa1111", offences(t, "aaaa1111", 10))
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	db2, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	v2, _ := db2.SchemaVersion(ctx)
	if v2 != v1 {
		t.Errorf("schema version %d after reopen, want %d", v2, v1)
	}
	if got := len(scanAll(t, db2, hotgrid.OffenceFilter{})); got != 10 {
		t.Errorf("%d offences after reopen, want 10", got)
	}
	var n int
	if err := db.Pool().QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != v1 {
		t.Errorf("schema_migrations has %d rows (%v), want %d", n, err, v1)
	}
}

// testMigrateConcurrently opens one empty database from several goroutines
// at once: the advisory lock must make every open succeed.
func testMigrateConcurrently(t *testing.T, dsn string) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(ctx, dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent open: %v", err)
	}
}

func testIngestRoundTrip(t *testing.T, open opener) {
	db, _ := open(t)
	in := offences(t, "bbbb2222", 50)
	in[3].ID = "" // derived from hash and row
	if added := ingestAll(t, db, "bbbb2222", in); added != 50 {
		t.Fatalf("added %d, want 50", added)
	}
	out := scanAll(t, db, hotgrid.OffenceFilter{})
	if len(out) != 50 {
		t.Fatalf("scanned %d, want 50", len(out))
	}
	in[3].ID = "bbbb2222:5"
	for i := range in {
		if !sameOffence(out[i], in[i]) {
			t.Fatalf("offence %d:\n got %+v\nwant %+v", i, out[i], in[i])
		}
	}
	if out[0].From.Location().String() != "Europe/London" {
		t.Errorf("times in %s, want Europe/London", out[0].From.Location())
	}
	srcs, err := db.Sources(context.Background())
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources %v, %v", srcs, err)
	}
	if s := srcs[0]; s.Hash != "bbbb2222" || s.Rows != 50 || s.Accepted != 50 || s.Format != "mapped" {
		t.Errorf("source %+v", s)
	}
}

func testIngestIdempotent(t *testing.T, open opener) {
	ctx := context.Background()
	db, _ := open(t)
	in := offences(t, "cccc3333", 3*8192+5) // several COPY batches
	if added := ingestAll(t, db, "cccc3333", in); added != len(in) {
		t.Fatalf("first ingest added %d, want %d", added, len(in))
	}
	v1, _ := db.DataVersion(ctx)
	if added := ingestAll(t, db, "cccc3333", in); added != 0 {
		t.Fatalf("second ingest added %d, want 0", added)
	}
	if v2, _ := db.DataVersion(ctx); v2 != v1 {
		t.Errorf("data version moved %d -> %d on an ingest that added nothing", v1, v2)
	}
	// A file overlapping the first by ID adds only its new offences.
	more := offences(t, "cccc3333", len(in)+10)
	if added := ingestAll(t, db, "dddd4444", more); added != 10 {
		t.Errorf("overlapping file added %d, want 10", added)
	}
	if v3, _ := db.DataVersion(ctx); v3 != v1+1 {
		t.Errorf("data version %d, want %d", v3, v1+1)
	}
	if n := len(scanAll(t, db, hotgrid.OffenceFilter{})); n != len(in)+10 {
		t.Errorf("%d offences stored, want %d", n, len(in)+10)
	}
	if srcs, _ := db.Sources(ctx); len(srcs) != 2 {
		t.Errorf("%d sources, want 2", len(srcs))
	}
}

// snapshot is what a failed ingest must leave unchanged.
func snapshot(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var s string
	err := db.Pool().QueryRow(context.Background(), `SELECT format('%s/%s/%s/%s/%s',
		(SELECT count(*) FROM offences), (SELECT count(*) FROM sources),
		(SELECT value FROM meta WHERE key = 'data_version'),
		(SELECT coalesce(sum(offences), 0) FROM cell_counts), (SELECT count(*) FROM cell_shapes))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testIngestRollback(t *testing.T, open opener) {
	db, _ := open(t)
	ingestAll(t, db, "eeee5555", offences(t, "eeee5555", 100))
	before := snapshot(t, db)
	bad := offences(t, "ffff6666", 20000)
	errBad := errors.New("row 12000: bad date")
	_, err := db.IngestFile(context.Background(), source("ffff6666", len(bad)), func(put func(*hotgrid.Offence) error) error {
		for i := range bad {
			if i == 12000 {
				return errBad // after one COPY batch went to the server
			}
			if err := put(&bad[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, errBad) {
		t.Fatalf("ingest error %v, want %v", err, errBad)
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("failed ingest changed the store: %s -> %s", before, after)
	}
	// A cancelled context rolls back too.
	ctx, cancel := context.WithCancel(context.Background())
	_, err = db.IngestFile(ctx, source("ffff6666", len(bad)), func(put func(*hotgrid.Offence) error) error {
		for i := range bad {
			if i == 9000 {
				cancel()
			}
			if err := put(&bad[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ingest error %v", err)
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("cancelled ingest changed the store: %s -> %s", before, after)
	}
}

func testFilter(t *testing.T, open opener) {
	db, _ := open(t)
	in := offences(t, "abab7777", 300)
	ingestAll(t, db, "abab7777", in)
	loc, _ := time.LoadLocation("Europe/London")
	f := hotgrid.OffenceFilter{From: time.Date(2025, 3, 1, 0, 0, 0, 0, loc), To: time.Date(2025, 5, 1, 0, 0, 0, 0, loc),
		Units: []string{"BE", ""}, Force: "West Midlands Police"}
	var want int
	for _, o := range in {
		overlaps := o.From.Before(f.To) && (o.To.After(f.From) || !o.From.Before(f.From))
		if overlaps && (o.Unit == "BE" || o.Unit == "") {
			want++
		}
	}
	got := scanAll(t, db, f)
	if len(got) != want || want == 0 {
		t.Errorf("filter matched %d, want %d", len(got), want)
	}
	if n := len(scanAll(t, db, hotgrid.OffenceFilter{Force: "Other"})); n != 0 {
		t.Errorf("force filter matched %d, want 0", n)
	}
}

func testCells(t *testing.T, open opener) {
	ctx := context.Background()
	db, _ := open(t)
	in := offences(t, "cdcd8888", 500)
	ingestAll(t, db, "cdcd8888", in[:300])
	ingestAll(t, db, "cdcd9999", in) // 200 new, counts must add up
	// Expected counts per (res 9 cell, unit), computed in Go.
	type key struct {
		h3, unit string
	}
	want := map[key]int{}
	knife := 0
	for _, o := range in {
		want[key{geo.String(geo.Parent(o.Cell, 9)), o.Unit}]++
		if o.Weapon == hotgrid.WeaponKnife {
			knife++
		}
	}
	rows, err := db.Pool().Query(ctx, `SELECT h3, unit, offences, ST_IsValid(geom), ST_Contains(geom, ST_Centroid(geom)) FROM gis_cells WHERE res = 9`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[key]int{}
	for rows.Next() {
		var k key
		var n int
		var valid, contains bool
		if err := rows.Scan(&k.h3, &k.unit, &n, &valid, &contains); err != nil {
			t.Fatal(err)
		}
		if !valid || !contains {
			t.Errorf("cell %s polygon valid=%v contains centre=%v", k.h3, valid, contains)
		}
		got[k] = n
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if len(got) != len(want) {
		t.Errorf("%d res-9 cell rows, want %d", len(got), len(want))
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("cell %v: %d offences, want %d", k, got[k], n)
		}
	}
	// Every offence point lies in (H3 children do not nest exactly: within
	// a res-11 cell's width of) its res-9 cell polygon, and the SQL h3_parent
	// agrees with geo.Parent.
	var outside, mismatched, knifeSum int
	err = db.Pool().QueryRow(ctx, `SELECT
		(SELECT count(*) FROM offences o JOIN cell_shapes s ON s.cell = h3_parent(o.cell, 9) WHERE NOT ST_DWithin(s.geom::geography, o.geom::geography, 30)),
		(SELECT count(*) FROM offences o WHERE NOT EXISTS (SELECT 1 FROM cell_shapes s WHERE s.cell = h3_parent(o.cell, 9))),
		(SELECT sum(knife) FROM cell_counts WHERE res = 8)`).Scan(&outside, &mismatched, &knifeSum)
	if err != nil {
		t.Fatal(err)
	}
	if outside != 0 || mismatched != 0 {
		t.Errorf("%d offences outside their cell polygon, %d without a cell shape", outside, mismatched)
	}
	if knifeSum != knife {
		t.Errorf("knife count %d, want %d", knifeSum, knife)
	}
	for _, o := range in[:20] {
		for r := postgres.MinCellResolution; r <= hotgrid.StoreResolution; r++ {
			var p int64
			if err := db.Pool().QueryRow(ctx, "SELECT h3_parent($1, $2)", int64(o.Cell), r).Scan(&p); err != nil {
				t.Fatal(err)
			}
			if uint64(p) != geo.Parent(o.Cell, r) {
				t.Fatalf("h3_parent(%s, %d) = %x, want %x", geo.String(o.Cell), r, p, geo.Parent(o.Cell, r))
			}
		}
	}
	var n int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM gis_offences WHERE weapon = 'knife' AND ST_SRID(geom) = 4326`).Scan(&n); err != nil || n != knife {
		t.Errorf("gis_offences knife rows %d (%v), want %d", n, err, knife)
	}
}

// testNotify checks LISTEN/NOTIFY: a watcher on a second connection sees the
// data version change made by an ingest through another handle.
func testNotify(t *testing.T, open opener) {
	db, dsn := open(t)
	other, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	versions := make(chan int64, 10)
	done := make(chan error, 1)
	go func() { done <- other.WatchDataVersion(ctx, func(v int64) { versions <- v }) }()
	if v := <-versions; v != 0 {
		t.Fatalf("first watched version %d, want 0", v)
	}
	ingestAll(t, db, "1234aaaa", offences(t, "1234aaaa", 10))
	want, _ := db.DataVersion(context.Background())
	if v := <-versions; v != want || v == 0 {
		t.Errorf("notified version %d, want %d", v, want)
	}
	ingestAll(t, db, "1234aaaa", offences(t, "1234aaaa", 10)) // adds nothing: no notification
	ingestAll(t, db, "5678bbbb", offences(t, "5678bbbb", 10))
	if v := <-versions; v != want+1 {
		t.Errorf("notified version %d, want %d", v, want+1)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("watch returned %v after cancel", err)
	}
}

// testTwoHandles is the store-level stand-in for two servers over one
// database: what one handle ingests, the other sees.
func testTwoHandles(t *testing.T, open opener) {
	ctx := context.Background()
	a, dsn := open(t)
	b, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	in := offences(t, "9999cccc", 40)
	var wg sync.WaitGroup
	added := make([]int, 2)
	errs := make([]error, 2)
	for i, db := range []*postgres.DB{a, b} {
		wg.Add(1)
		go func() { // the same file through both at once: stored once
			defer wg.Done()
			added[i], errs[i] = db.IngestFile(ctx, source("9999cccc", len(in)), func(put func(*hotgrid.Offence) error) error {
				for j := range in {
					o := in[j]
					if err := put(&o); err != nil {
						return err
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if added[0]+added[1] != len(in) {
		t.Errorf("concurrent ingests added %v, want %d in total", added, len(in))
	}
	va, _ := a.DataVersion(ctx)
	vb, _ := b.DataVersion(ctx)
	if va != vb || va != 1 {
		t.Errorf("data versions %d and %d, want 1", va, vb)
	}
	if n := len(scanAll(t, b, hotgrid.OffenceFilter{})); n != len(in) {
		t.Errorf("second handle sees %d offences, want %d", n, len(in))
	}
}

// testTwoHandlesPlans is the store-level two-server plan test: a plan agreed
// through one handle is seen agreed through the other (and in the GIS
// views), and conflicting edits through both give one ECONFLICT (HTTP 409)
// and lose nothing once the loser reloads and applies its edit again.
func testTwoHandlesPlans(t *testing.T, open opener) {
	ctx := context.Background()
	a, dsn := open(t)
	b, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	svcA, svcB := &plan.Service{Store: a}, &plan.Service{Store: b}

	p := plantest.Sample()
	if err := svcA.Create(ctx, p, "planner"); err != nil {
		t.Fatal(err)
	}
	if _, err := svcA.Transition(ctx, p.ID, 1, hotgrid.PlanProposed, "planner"); err != nil {
		t.Fatal(err)
	}
	if _, err := svcA.Transition(ctx, p.ID, 2, hotgrid.PlanAgreed, "chair"); err != nil {
		t.Fatal(err)
	}
	seen, err := b.Plans(ctx, hotgrid.PlanFilter{Unit: p.Unit, State: hotgrid.PlanAgreed})
	if err != nil || len(seen) != 1 || seen[0].ID != p.ID || seen[0].AgreedBy != "chair" || seen[0].Version != 3 {
		t.Fatalf("agreed plans through the other handle: %+v, %v", seen, err)
	}
	var areas, cells int
	if err := b.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM gis_agreed_plan_areas WHERE plan_id = $1),
		(SELECT count(*) FROM gis_agreed_plan_cells WHERE plan_id = $1)`, p.ID).Scan(&areas, &cells); err != nil {
		t.Fatal(err)
	}
	if areas != 2 || cells != 3 {
		t.Errorf("GIS views show %d areas and %d cells of the agreed plan, want 2 and 3", areas, cells)
	}

	d := plantest.Sample()
	d.Unit = "B2"
	if err := svcA.Create(ctx, d, "planner"); err != nil {
		t.Fatal(err)
	}
	editA, _ := a.Plan(ctx, d.ID)
	editB, _ := b.Plan(ctx, d.ID)
	editA.Note = "edit through A"
	editB.Areas = append(editB.Areas, hotgrid.PlanArea{ID: "B2-3", Rank: 3, Cells: plantest.Cells(4)[3:]})
	if _, err := svcA.Update(ctx, editA, "planner-a"); err != nil {
		t.Fatal(err)
	}
	_, err = svcB.Update(ctx, editB, "planner-b")
	if hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Fatalf("stale edit through B: %v, want conflict", err)
	}
	cur, _ := b.Plan(ctx, d.ID) // B reloads and applies its edit again
	cur.Areas = append(cur.Areas, hotgrid.PlanArea{ID: "B2-3", Rank: 3, Cells: plantest.Cells(4)[3:]})
	if _, err := svcB.Update(ctx, cur, "planner-b"); err != nil {
		t.Fatal(err)
	}
	final, _ := a.Plan(ctx, d.ID)
	if final.Note != "edit through A" || len(final.Areas) != 3 || final.Version != 3 {
		t.Errorf("final plan note %q, %d areas, version %d; want A's note, 3 areas, version 3", final.Note, len(final.Areas), final.Version)
	}
}

// runSuites runs the shared store conformance suites, the ones the SQLite
// store passes too.
func runSuites(t *testing.T, open opener) {
	t.Run("storetest", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) hotgrid.OffenceStore {
			db, _ := open(t)
			return db
		})
	})
	t.Run("plantest", func(t *testing.T) {
		plantest.Run(t, func(t *testing.T) hotgrid.PlanStore {
			db, _ := open(t)
			return db
		})
	})
	t.Run("authtest", func(t *testing.T) {
		authtest.Run(t, func(t *testing.T) hotgrid.AccountStore {
			db, _ := open(t)
			return db
		})
	})
	t.Run("audittest", func(t *testing.T) {
		audittest.Run(t, func(t *testing.T) (hotgrid.AuditStore, audittest.Tamperer) {
			db, _ := open(t)
			return db, tamperer{db}
		})
	})
}

// tamperer edits the audit table behind the logger's back, as the owner of
// the database could: disabling the append-only triggers first.
type tamperer struct{ db *postgres.DB }

func (m tamperer) exec(sql string, args ...any) error {
	ctx := context.Background()
	if _, err := m.db.Pool().Exec(ctx, "ALTER TABLE audit DISABLE TRIGGER USER"); err != nil {
		return err
	}
	_, err := m.db.Pool().Exec(ctx, sql, args...)
	return err
}

func (m tamperer) SetDetail(seq int64, detail string) error {
	return m.exec("UPDATE audit SET detail = $2 WHERE seq = $1", seq, detail)
}

func (m tamperer) Delete(seq int64) error { return m.exec("DELETE FROM audit WHERE seq = $1", seq) }

// testAuditAppendOnly checks that the audit table refuses changes and that
// a batch is stored whole or not at all.
func testAuditAppendOnly(t *testing.T, open opener) {
	ctx := context.Background()
	db, _ := open(t)
	l := &audit.Logger{Store: db}
	if _, err := l.Record(ctx, audit.Entry{User: "alice", Action: audit.ActionView, Objects: []string{"unit:BE"}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"UPDATE audit SET detail = 'x'", "DELETE FROM audit", "TRUNCATE audit"} {
		if _, err := db.Pool().Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused as append-only", q, err)
		}
	}
	last, err := db.LastAudit(ctx)
	if err != nil || last == nil {
		t.Fatal(last, err)
	}
	next := func(seq int64) *hotgrid.AuditRecord {
		return &hotgrid.AuditRecord{Seq: seq, Time: time.Now().UTC(), User: "bob", Action: audit.ActionView, Outcome: "ok", Prev: last.Hash, Hash: fmt.Sprint(seq)}
	}
	err = db.InsertAuditBatch(ctx, []*hotgrid.AuditRecord{next(last.Seq + 1), next(last.Seq)})
	if hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Fatalf("batch with a taken seq: %v, want conflict", err)
	}
	if l2, _ := db.LastAudit(ctx); l2.Seq != last.Seq {
		t.Errorf("failed batch stored records: last seq %d, want %d", l2.Seq, last.Seq)
	}
	if rep, err := audit.Verify(ctx, db, ""); err != nil || !rep.OK() || rep.Records != 1 {
		t.Errorf("verify after refused changes: %+v, %v", rep, err)
	}
}
