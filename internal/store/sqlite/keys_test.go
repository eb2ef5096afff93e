package sqlite

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// TestKeyTable checks the open-addressing set against a Go map through
// random inserts, with keys crowded onto few home slots so probe runs are
// long and wrap around the table's end.
func TestKeyTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var (
		tab  keyTable
		ref  = map[idKey]bool{}
		pool []idKey
	)
	for i := range 5000 {
		var k idKey
		binary.LittleEndian.PutUint64(k[:8], uint64(rng.IntN(64))|uint64(rng.IntN(4))<<60) // few homes
		binary.LittleEndian.PutUint64(k[8:], uint64(i))
		pool = append(pool, k)
	}
	pool = append(pool, idKey{}) // the zero key is a key too
	for step := range 20000 {
		k := pool[rng.IntN(len(pool))]
		if added := tab.insert(k); added == ref[k] {
			t.Fatalf("step %d: insert of %x reported new=%v, but the set had it: %v", step, k, added, ref[k])
		}
		ref[k] = true
		if step%997 == 0 {
			for _, p := range pool {
				if tab.has(p) != ref[p] {
					t.Fatalf("step %d: has(%x) = %v, want %v", step, p, tab.has(p), ref[p])
				}
			}
		}
	}
	n := tab.n
	if tab.zero {
		n++
	}
	if n != len(ref) {
		t.Errorf("table holds %d keys, want %d", n, len(ref))
	}
}

// TestKeysAfterUndo ingests a batch in which one file fails part way and
// one batch that is rolled back: the IDs of what was undone are new again
// (the key set is reloaded), and committed IDs stay known.
func TestKeysAfterUndo(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	file := func(fail bool, ids ...string) func(put func(*hotgrid.Offence) error) error {
		return func(put func(*hotgrid.Offence) error) error {
			for i, id := range ids {
				if err := put(&hotgrid.Offence{ID: id, Source: hotgrid.Source{Row: i + 2}}); err != nil {
					return err
				}
			}
			if fail {
				return errors.New("bad row")
			}
			return nil
		}
	}
	src := func(h string) hotgrid.SourceFile { return hotgrid.SourceFile{Name: h + ".csv", Hash: h} }
	b, err := db.BeginIngest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		hash string
		fail bool
		ids  []string
		want int
	}{
		{"a", false, []string{"a1", "a2"}, 2},
		{"b", true, []string{"b1", "a1", "b2"}, 0},  // fails: b1 and b2 are undone
		{"c", false, []string{"b1", "a2", "c1"}, 2}, // b1 is new again, a2 is not
	}
	for _, s := range steps {
		added, err := b.IngestFile(ctx, src(s.hash), file(s.fail, s.ids...))
		if (err != nil) != s.fail || added != s.want {
			t.Fatalf("file %s: added %d (%v), want %d (fails: %v)", s.hash, added, err, s.want, s.fail)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	b, err = db.BeginIngest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if added, err := b.IngestFile(ctx, src("d"), file(false, "d1", "c1")); err != nil || added != 1 {
		t.Fatalf("file d: added %d (%v), want 1", added, err)
	}
	if err := b.Rollback(); err != nil {
		t.Fatal(err)
	}
	added, err := db.IngestFile(ctx, src("e"), file(false, "d1", "b2", "a1", "b1"))
	if err != nil || added != 2 {
		t.Errorf("after the rollback, d1 and b2 must be new and a1 and b1 stored: added %d (%v), want 2", added, err)
	}
}

// has reports whether k is in the set (for the tests).
func (t *keyTable) has(k idKey) bool {
	if k == (idKey{}) {
		return t.zero
	}
	if len(t.slots) == 0 {
		return false
	}
	_, ok := t.find(&k)
	return ok
}

// storedID is an ID in its stored form (appendStoredID) as the tests use
// it: a []byte for a blob, else the string.
func storedID(id string) any {
	b, blob := appendStoredID(nil, id)
	if blob {
		return b
	}
	return id
}
