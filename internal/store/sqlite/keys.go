package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
)

// keySet holds the ID key of every stored offence, so ingest finds
// duplicates in memory instead of probing an index per offence. It is
// loaded from the blocks' keys columns and kept up to date by ingest: the
// ingest lock guards it. It also holds the keys the open ingest
// transaction has added; when a file is undone or a batch rolled back the
// set is dropped and loaded again (a rare path), so it keeps no log.
type keySet struct {
	keys    [keyParts]keyTable // by the key's last byte
	through int64              // the largest block id whose keys are loaded
}

// keyParts is how many tables a key set is split into: each grows on its
// own, so growing copies 1/256 of the set at a time and the set never
// needs twice its size.
const keyParts = 256

// newKeySet returns an empty set.
func newKeySet() *keySet {
	return &keySet{}
}

// refresh loads the keys of blocks stored after those already loaded
// (written by another process, or a new set). It runs inside the ingest
// transaction, which holds the write lock, so no block can appear between
// refresh and the transaction's writes.
func (s *keySet) refresh(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, keys FROM offence_blocks WHERE id > ? ORDER BY id`, s.through)
	if err != nil {
		return fmt.Errorf("load offence keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   int64
			keys sql.RawBytes
		)
		if err := rows.Scan(&id, &keys); err != nil {
			return fmt.Errorf("load offence keys: %w", err)
		}
		if len(keys)%keySize != 0 {
			return fmt.Errorf("load offence keys: block %d: %w: keys blob of %d bytes", id, errCorrupt, len(keys))
		}
		for i := 0; i < len(keys); i += keySize {
			s.add(idKey(keys[i : i+keySize]))
		}
		s.through = id
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load offence keys: %w", err)
	}
	return nil
}

// add records k and reports whether it was new.
func (s *keySet) add(k idKey) bool {
	return s.keys[k[keySize-1]].insert(k)
}

// commit records that the added keys are stored; through is the largest
// block id stored.
func (s *keySet) commit(through int64) {
	s.through = max(s.through, through)
}

// keyTable is a set of keys in an open-addressing hash table with linear
// probing: keys are SHA-256 output, so their first bytes are the hash
// (and the last byte, which picks a key set's part, is independent of it). It
// holds 16 bytes a slot at most 3/4 full, a third of a Go map's footprint,
// and an insert touches one cache line instead of several.
type keyTable struct {
	slots []idKey // a power of two of them; the zero key marks a free slot
	n     int     // keys in slots
	zero  bool    // the zero key is in the set (it cannot be stored in slots)
}

// home is the slot a key hashes to.
func (t *keyTable) home(k *idKey) int {
	return int(binary.LittleEndian.Uint64(k[:8]) & uint64(len(t.slots)-1))
}

// find returns the slot holding k, or the free slot where it would go.
func (t *keyTable) find(k *idKey) (int, bool) {
	mask := len(t.slots) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		switch t.slots[i] {
		case *k:
			return i, true
		case idKey{}:
			return i, false
		}
	}
}

// insert adds k and reports whether it was new.
func (t *keyTable) insert(k idKey) bool {
	if k == (idKey{}) {
		added := !t.zero
		t.zero = true
		return added
	}
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow()
	}
	i, ok := t.find(&k)
	if ok {
		return false
	}
	t.slots[i] = k
	t.n++
	return true
}

// grow doubles the table (it starts at 64 slots).
func (t *keyTable) grow() {
	old := t.slots
	t.slots = make([]idKey, max(64, 2*len(old)))
	for i := range old {
		if old[i] != (idKey{}) {
			j, _ := t.find(&old[i])
			t.slots[j] = old[i]
		}
	}
}
