package sqlite

import (
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

// keyOf is the schema-5 home key of a stored ID (a blob or the text): a
// 32-byte ID gives its first 8 bytes, any other ID the first 8 bytes of
// its SHA-256, top bit cleared. Any 32 bytes are
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

// offenceBlocksSchema creates the block tables (see blocks.go).
const offenceBlocksSchema = `CREATE TABLE offence_blocks (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	source_id INTEGER NOT NULL REFERENCES sources(id),
	n         INTEGER NOT NULL,
	min_from  INTEGER NOT NULL,
	max_from  INTEGER NOT NULL,
	max_to    INTEGER NOT NULL,
	min_cell  INTEGER NOT NULL,
	max_cell  INTEGER NOT NULL,
	keys      BLOB    NOT NULL,
	rows      BLOB    NOT NULL
);
CREATE INDEX offence_blocks_time ON offence_blocks(min_from, max_to);
CREATE INDEX offence_blocks_cell ON offence_blocks(min_cell, max_cell);
CREATE INDEX offence_blocks_source ON offence_blocks(source_id);
CREATE TABLE offence_block_names (
	name  INTEGER NOT NULL,
	block INTEGER NOT NULL,
	PRIMARY KEY (name, block)
) WITHOUT ROWID;
CREATE INDEX offence_block_names_block ON offence_block_names(block);`

// migrateOffenceBlocks (migration 7) moves the offences table into
// blocks: stored offences are copied in insertion order, one block per
// run of up to blockRows offences of one source, then the table and its
// five indexes are dropped.
func migrateOffenceBlocks(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, offenceBlocksSchema); err != nil {
		return fmt.Errorf("create offence blocks: %w", err)
	}
	if err := copyToBlocks(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE offences`); err != nil {
		return fmt.Errorf("drop offences: %w", err)
	}
	return nil
}

// copyPage is how many offences copyToBlocks reads at a time.
const copyPage = 65536

// copyToBlocks writes the rows of the offences table as blocks, a page at
// a time so memory stays bounded whatever the table's size.
func copyToBlocks(ctx context.Context, tx *sql.Tx) error {
	var (
		b       = newBlock()
		src     int64
		after   int64
		page    []stored
		pageSrc []int64
	)
	for {
		var err error
		page, pageSrc, after, err = readOffencePage(ctx, tx, after, page[:0], pageSrc[:0])
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		for i := range page {
			if b.n == blockRows || (b.n > 0 && pageSrc[i] != src) {
				if _, err := insertBlock(ctx, tx, src, b); err != nil {
					return err
				}
				b.reset()
			}
			src = pageSrc[i]
			b.add(&page[i], keyOfID(page[i].idBlob, page[i].id))
		}
	}
	if b.n > 0 {
		if _, err := insertBlock(ctx, tx, src, b); err != nil {
			return err
		}
	}
	return nil
}

// readOffencePage reads up to copyPage offences of the old table after
// rowid after, appending them and their source ids; it returns the last
// rowid read.
func readOffencePage(ctx context.Context, tx *sql.Tx, after int64, page []stored, srcs []int64) ([]stored, []int64, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rowid, typeof(id) = 'blob', id, source_id, source_row, force, from_ts, to_ts,
		month_only, category, code, weapon, lon, lat, lsoa, location, unit, outcome, cell
		FROM offences WHERE rowid > ? ORDER BY rowid LIMIT ?`, after, copyPage)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("copy offences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			s         stored
			src, cell int64
		)
		if err := rows.Scan(&after, &s.idBlob, &s.id, &src, &s.row, &s.force, &s.from, &s.to, &s.monthOnly, &s.category,
			&s.code, &s.weapon, &s.lon, &s.lat, &s.lsoa, &s.location, &s.unit, &s.outcome, &cell); err != nil {
			return nil, nil, 0, fmt.Errorf("copy offences: %w", err)
		}
		s.cell = uint64(cell)
		page = append(page, s)
		srcs = append(srcs, src)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, 0, fmt.Errorf("copy offences: %w", err)
	}
	return page, srcs, after, nil
}

// insertBlock stores b (and the names it adds) for source srcID and
// returns the block's id.
func insertBlock(ctx context.Context, tx *sql.Tx, srcID int64, b *block) (int64, error) {
	for _, n := range b.newNames {
		if _, err := tx.ExecContext(ctx, `INSERT INTO offence_names (id, name) VALUES (?, ?)`, n.id, n.name); err != nil {
			return 0, fmt.Errorf("add name %q: %w", n.name, err)
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO offence_blocks (source_id, n, min_from, max_from, max_to, min_cell, max_cell, keys, rows)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		srcID, b.n, b.minFrom, b.maxFrom, b.maxTo, int64(b.minCell), int64(b.maxCell), b.keys, b.rows).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert offence block: %w", err)
	}
	for _, n := range b.names.ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO offence_block_names (name, block) VALUES (?, ?)`, n, id); err != nil {
			return 0, fmt.Errorf("index offence block: %w", err)
		}
	}
	return id, nil
}
