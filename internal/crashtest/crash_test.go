package crashtest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/hotgrid/hotgrid/internal/testenv"
)

// kills is how many times ingest is killed; files how many national files
// are loaded (a spread of small and large ones: about 115k rows, over
// ingest's ~100k-offence commit size, yet a test of about a minute).
const (
	kills = 6
	files = 16
)

// summary is the part of `hotgrid ingest --json` the test reads.
type summary struct {
	RowsRead int `json:"rows_read"`
	Accepted int `json:"accepted"`
	Added    int `json:"added"`
	Files    []struct {
		File  string `json:"file"`
		Hash  string `json:"hash"`
		Added int    `json:"added"`
		Error string `json:"error"`
	} `json:"files"`
}

// TestIngestSIGKILL kills `hotgrid ingest` at seeded random moments and
// checks after each kill: PRAGMA integrity_check is ok, and each file's
// offences in the store (by source hash) number either 0 or what a clean
// ingest stored for it. Then a complete ingest must leave exactly the clean
// ingest's offences: the same total and the same count per file. Set
// CRASH_SEED to vary the kill moments (the seed is printed).
func TestIngestSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crash test builds the binary and ingests files several times")
	}
	root := repoRoot(t)
	inputs := pickFiles(t, root)
	dir := t.TempDir()
	bin := filepath.Join(dir, "hotgrid")
	build := exec.Command("go", "build", "-o", bin, "./cmd/hotgrid")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/hotgrid: %v\n%s", err, out)
	}

	// A clean ingest is the reference.
	cleanDB := filepath.Join(dir, "clean.db")
	start := time.Now()
	sum := ingest(t, bin, cleanDB, inputs)
	took := time.Since(start)
	clean := perFile(t, cleanDB)
	total := 0
	for _, f := range sum.Files {
		if f.Error != "" {
			t.Fatalf("clean ingest of %s failed: %s", f.File, f.Error)
		}
		if clean[f.Hash] != f.Added {
			t.Fatalf("clean store holds %d offences of %s, ingest says it added %d", clean[f.Hash], f.File, f.Added)
		}
		total += f.Added
	}
	if total == 0 || total != sum.Added || len(clean) != len(inputs) {
		t.Fatalf("clean ingest: %d offences from %d files (summary added %d, %d inputs)", total, len(clean), sum.Added, len(inputs))
	}
	t.Logf("clean ingest: %d files, %d rows, %d offences in %v", len(inputs), sum.RowsRead, total, took.Round(time.Millisecond))

	seed := uint64(1)
	if s := os.Getenv("CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("CRASH_SEED %q: %v", s, err)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 9))
	crashDB := filepath.Join(dir, "crash.db")
	killed := 0
	// Kill moments spread over the clean run's duration (process start and
	// store opening included), earliest first: the store goes from empty
	// through partly loaded to complete as the restarts proceed.
	delays := make([]time.Duration, kills)
	for i := range delays {
		delays[i] = time.Duration(rng.Int64N(int64(took) + 1))
	}
	sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
	for i, delay := range delays {
		if kill(t, bin, crashDB, inputs, delay) {
			killed++
		}
		present, n := check(t, crashDB, clean)
		t.Logf("kill %d after %v: %d of %d files present (%d offences)", i+1, delay.Round(time.Millisecond), present, len(clean), n)
	}
	if killed == 0 {
		t.Fatalf("seed %d: ingest finished before every kill; nothing was tested", seed)
	}

	final := ingest(t, bin, crashDB, inputs)
	got := perFile(t, crashDB)
	sumGot := 0
	for h, n := range got {
		sumGot += n
		if n != clean[h] {
			t.Errorf("after re-ingest file %s holds %d offences, clean ingest %d", h[:12], n, clean[h])
		}
	}
	if sumGot != total || len(got) != len(clean) {
		t.Fatalf("after re-ingest: %d offences in %d files, clean ingest %d in %d", sumGot, len(got), total, len(clean))
	}
	if integrity(t, crashDB) != "ok" {
		t.Fatal("integrity check failed after re-ingest")
	}
	t.Logf("seed %d: %d of %d kills interrupted ingest; final ingest added %d, total %d = clean total", seed, killed, kills, final.Added, sumGot)
}

// ingest runs a complete ingest and returns its summary.
func ingest(t *testing.T, bin, db string, inputs []string) summary {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, append([]string{"ingest", "--db", db, "--json"}, inputs...)...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "HOTGRID_DB=")
	if err := cmd.Run(); err != nil {
		t.Fatalf("hotgrid ingest: %v\n%s", err, errb.Bytes())
	}
	var s summary
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("ingest --json output: %v\n%.500s", err, out.Bytes())
	}
	return s
}

// kill starts an ingest and SIGKILLs it after delay. It reports whether the
// process was still running when killed.
func kill(t *testing.T, bin, db string, inputs []string, delay time.Duration) bool {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"ingest", "--db", db, "--json"}, inputs...)...)
	cmd.Env = append(os.Environ(), "HOTGRID_DB=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ingest exited with %v before the kill", err)
		}
		return false
	case <-time.After(delay):
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	err := <-done
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return false // it finished just before the signal
}

// check asserts the store is intact and each file wholly present or
// absent; it returns how many files and offences are present.
func check(t *testing.T, db string, clean map[string]int) (files, offences int) {
	t.Helper()
	if _, err := os.Stat(db); errors.Is(err, os.ErrNotExist) {
		return 0, 0 // killed before the store was created
	}
	if r := integrity(t, db); r != "ok" {
		t.Fatalf("PRAGMA integrity_check = %q", r)
	}
	for h, n := range perFile(t, db) {
		want, ok := clean[h]
		switch {
		case !ok:
			t.Fatalf("store holds offences of an unknown source %s", h)
		case n != 0 && n != want:
			t.Fatalf("file %s is partly present: %d of %d offences", h[:12], n, want)
		case n == want && n > 0:
			files++
			offences += n
		}
	}
	return files, offences
}

// open opens a store file with the plain driver (no migrations).
func open(t *testing.T, db string) *sql.DB {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func integrity(t *testing.T, db string) string {
	t.Helper()
	d := open(t, db)
	defer d.Close()
	var r string
	if err := d.QueryRowContext(context.Background(), "PRAGMA integrity_check").Scan(&r); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	return r
}

// perFile counts stored offences per source file hash (files with a
// sources row but no offences count 0).
func perFile(t *testing.T, db string) map[string]int {
	t.Helper()
	d := open(t, db)
	defer d.Close()
	out := map[string]int{}
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'offence_blocks'`).Scan(&n); err != nil || n == 0 {
		return out // killed before the schema was made
	}
	rows, err := d.Query(`SELECT s.hash, (SELECT coalesce(sum(b.n), 0) FROM offence_blocks b WHERE b.source_id = s.id) FROM sources s`)
	if err != nil {
		t.Fatalf("count offences per file: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		var c int
		if err := rows.Scan(&h, &c); err != nil {
			t.Fatal(err)
		}
		out[h] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// pickFiles returns `files` national files spread from smallest to largest.
func pickFiles(t *testing.T, root string) []string {
	t.Helper()
	shared := filepath.Join(root, "..", "shared")
	all, _ := filepath.Glob(filepath.Join(shared, "data", "police-uk", "national-2025", "*.csv.gz"))
	if len(all) < files {
		msg := fmt.Sprintf("national police.uk files missing under %s (found %d)", shared, len(all))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg + "; skipping")
	}
	size := func(p string) int64 {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	sort.Slice(all, func(i, j int) bool { return size(all[i]) < size(all[j]) })
	out := make([]string, 0, files)
	for i := 0; i < files; i++ {
		out = append(out, all[i*(len(all)-1)/(files-1)])
	}
	sort.Strings(out)
	return out
}

// repoRoot returns the directory of go.mod (see testenv.RepoRoot).
func repoRoot(t *testing.T) string { return testenv.RepoRoot(t) }
