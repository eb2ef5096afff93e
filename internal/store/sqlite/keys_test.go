package sqlite

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// TestKeyTable checks the open-addressing set against a Go map through
// random inserts and removals, with keys crowded onto few home slots so
// probe runs are long and wrap around the table's end.
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
	for step := range 40000 {
		k := pool[rng.IntN(len(pool))]
		if rng.IntN(3) == 0 {
			tab.remove(k)
			delete(ref, k)
		} else if added := tab.insert(k); added == ref[k] {
			t.Fatalf("step %d: insert of %x reported new=%v, but the set had it: %v", step, k, added, ref[k])
		} else {
			ref[k] = true
		}
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

// TestKeySetUndo adds keys past a mark, undoes them, and commits the rest.
func TestKeySetUndo(t *testing.T) {
	s := newKeySet()
	a, b, c := keyOfID(false, []byte("a")), keyOfID(false, []byte("b")), keyOfID(true, []byte("a"))
	if !s.add(a) || s.add(a) {
		t.Fatal("a: first add must be new, second not")
	}
	m := s.mark()
	if !s.add(b) || !s.add(c) {
		t.Fatal("b and c (a blob with a's bytes) must be new")
	}
	s.undo(m)
	if !s.keys.has(a) || s.keys.has(b) || s.keys.has(c) {
		t.Fatal("undo must remove b and c only")
	}
	s.commit(7)
	if s.through != 7 || len(s.log) != 0 {
		t.Errorf("after commit through=%d log=%d, want 7 and 0", s.through, len(s.log))
	}
	s.undo(0)
	if !s.keys.has(a) {
		t.Error("undo after commit removed a committed key")
	}
}
