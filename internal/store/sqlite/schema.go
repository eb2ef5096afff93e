package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
)

// migrateOffenceKeys (migration 5) rebuilds the offences table for bulk
// ingest:
//
//   - the unique text/blob ID index becomes a unique index on key, a 63-bit
//     hash of the ID (idKey); IDs whose hash is taken by another ID are
//     stored at the next free key (linear probing, see nextKey), so the
//     index entries are 8-byte integers instead of 32-byte blobs;
//   - force, category, offence code, unit and outcome, which repeat, are
//     stored as ids of offence_names rows, so rows and the category and
//     unit indexes are much smaller.
//
// Existing offences are copied in rowid (insertion) order.
func migrateOffenceKeys(ctx context.Context, tx *sql.Tx) error {
	stmts := []string{
		`CREATE TABLE offence_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`,
		`INSERT INTO offence_names (name)
			SELECT force FROM offences UNION SELECT category FROM offences UNION SELECT code FROM offences
			UNION SELECT unit FROM offences UNION SELECT outcome FROM offences`,
		`CREATE TABLE offences_v5 (
			key        INTEGER NOT NULL,
			id         BLOB    NOT NULL,
			source_id  INTEGER NOT NULL REFERENCES sources(id),
			source_row INTEGER NOT NULL,
			force      INTEGER NOT NULL,
			from_ts    INTEGER NOT NULL,
			to_ts      INTEGER NOT NULL,
			month_only INTEGER NOT NULL,
			category   INTEGER NOT NULL,
			code       INTEGER NOT NULL,
			weapon     INTEGER NOT NULL,
			lon        REAL    NOT NULL,
			lat        REAL    NOT NULL,
			lsoa       TEXT    NOT NULL,
			location   TEXT    NOT NULL,
			unit       INTEGER NOT NULL,
			outcome    INTEGER NOT NULL,
			cell       INTEGER NOT NULL
		)`,
		`INSERT INTO offences_v5 (rowid, key, id, source_id, source_row, force, from_ts, to_ts, month_only, category, code,
			weapon, lon, lat, lsoa, location, unit, outcome, cell)
		SELECT o.rowid, -o.rowid, o.id, o.source_id, o.source_row,
			(SELECT n.id FROM offence_names n WHERE n.name = o.force), o.from_ts, o.to_ts, o.month_only,
			(SELECT n.id FROM offence_names n WHERE n.name = o.category),
			(SELECT n.id FROM offence_names n WHERE n.name = o.code), o.weapon, o.lon, o.lat, o.lsoa, o.location,
			(SELECT n.id FROM offence_names n WHERE n.name = o.unit),
			(SELECT n.id FROM offence_names n WHERE n.name = o.outcome), o.cell
		FROM offences o ORDER BY o.rowid`,
		`DROP TABLE offences`,
		`ALTER TABLE offences_v5 RENAME TO offences`,
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("rebuild offences: %w", err)
		}
	}
	if err := rekey(ctx, tx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `CREATE UNIQUE INDEX offences_key ON offences(key);
		CREATE INDEX offences_time ON offences(from_ts);
		CREATE INDEX offences_unit ON offences(unit, from_ts);
		CREATE INDEX offences_category ON offences(category);
		CREATE INDEX offences_cell ON offences(cell);`)
	if err != nil {
		return fmt.Errorf("index offences: %w", err)
	}
	return nil
}

// rekey sets the key of every copied offence (placeholders are -rowid),
// probing past keys taken by earlier offences.
func rekey(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT rowid, id FROM offences ORDER BY rowid`)
	if err != nil {
		return fmt.Errorf("rekey offences: %w", err)
	}
	type keyed struct{ rowid, key int64 }
	var (
		out   []keyed
		taken = make(map[int64]bool)
	)
	for rows.Next() {
		var (
			rowid int64
			id    []byte
		)
		if err := rows.Scan(&rowid, &id); err != nil {
			rows.Close()
			return fmt.Errorf("rekey offences: %w", err)
		}
		k := keyOf(id)
		for taken[k] {
			k = nextKey(k)
		}
		taken[k] = true
		out = append(out, keyed{rowid, k})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rekey offences: %w", err)
	}
	for _, o := range out {
		if _, err := tx.ExecContext(ctx, `UPDATE offences SET key = ? WHERE rowid = ?`, o.key, o.rowid); err != nil {
			return fmt.Errorf("rekey offences: %w", err)
		}
	}
	return nil
}

// idKey is the home key of an offence ID in its stored form (storedID): a
// 32-byte police.uk Crime ID (itself a SHA-256) gives its first 8 bytes,
// any other ID the first 8 bytes of its SHA-256; the top bit is cleared so
// keys are non-negative.
func idKey(stored any) int64 {
	switch v := stored.(type) {
	case []byte:
		return keyOf(v)
	case string:
		return keyOf([]byte(v))
	}
	panic(fmt.Sprintf("idKey of %T", stored))
}

// keyOf is idKey of stored bytes (a blob or the text). Any 32 bytes are
// taken as they are: a 32-character text ID hashes poorly, which probing
// absorbs.
func keyOf(b []byte) int64 {
	h := b
	if len(b) != 32 {
		s := sha256.Sum256(b)
		h = s[:]
	}
	return int64(binary.BigEndian.Uint64(h) >> 1)
}

// nextKey is the key probed after k.
func nextKey(k int64) int64 {
	if k == 1<<63-1 {
		return 0
	}
	return k + 1
}

// sameID reports whether a stored ID (blob flag and bytes) is id in its
// stored form.
func sameID(blob bool, b []byte, id any) bool {
	switch v := id.(type) {
	case []byte:
		return blob && bytes.Equal(b, v)
	case string:
		return !blob && string(b) == v
	}
	return false
}
