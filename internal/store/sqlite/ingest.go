package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// IngestFile stores one file's offences in one transaction. fill runs on the
// caller's goroutine, encoding offences into blocks, while a second
// goroutine stores full blocks, so parsing and writing overlap. If fill or
// a write fails, the transaction is rolled back and the store is unchanged.
// Offences whose ID is stored already are skipped; an empty ID is derived
// as "<src.Hash>:<row>".
func (d *DB) IngestFile(ctx context.Context, src hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error) {
	b, err := d.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	defer b.Rollback()
	b.single = true
	added, err := b.IngestFile(ctx, src, fill)
	if err != nil {
		return 0, err
	}
	if err := b.Commit(); err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	return added, nil
}

// Batch is an open ingest transaction of one or more files on the ingest
// connection (hotgrid.IngestBatch). A file that fails is undone inside the
// transaction: offence blocks are only ever appended, so its blocks are
// those past the largest block id at its start, names likewise, and its
// source row is deleted or put back as it was; the key set is then loaded
// again. If an undo fails, the whole batch is rolled back.
type Batch struct {
	d         *DB
	tx        *sql.Tx
	added     int   // offences the batch's files added
	single    bool  // IngestFile's one-file batch: a failure rolls it all back
	broken    error // why the batch can no longer commit
	done      bool  // committed or rolled back
	committed bool
}

// BeginIngest starts a multi-file ingest transaction. Until it is
// committed or rolled back, other ingests of d wait.
func (d *DB) BeginIngest(ctx context.Context) (hotgrid.IngestBatch, error) {
	b, err := d.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin ingest: %w", err)
	}
	return b, nil
}

// begin takes the ingest lock and starts the transaction.
func (d *DB) begin(ctx context.Context) (*Batch, error) {
	d.ingestMu.Lock()
	conn, err := d.ingestConn(ctx)
	if err != nil {
		d.ingestMu.Unlock()
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		d.ingestMu.Unlock()
		return nil, fmt.Errorf("begin: %w", err)
	}
	if err := d.loadKeys(ctx, tx); err != nil {
		tx.Rollback()
		d.ingestMu.Unlock()
		return nil, err
	}
	return &Batch{d: d, tx: tx}, nil
}

// loadKeys brings the key set up to date with the blocks tx sees, loading
// it whole when there is none (d.ingestMu held).
func (d *DB) loadKeys(ctx context.Context, tx *sql.Tx) error {
	if d.keys == nil {
		d.keys = newKeySet()
	}
	if err := d.keys.refresh(ctx, tx); err != nil {
		d.keys = nil
		return err
	}
	return nil
}

// errBatchDone is returned when a finished batch is used.
var errBatchDone = errors.New("ingest batch is already committed or rolled back")

// IngestFile stores one file in the batch; on failure the file leaves
// nothing and the batch can go on.
func (b *Batch) IngestFile(ctx context.Context, src hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error) {
	switch {
	case b.done:
		return 0, fmt.Errorf("ingest %s: %w", src.Name, errBatchDone)
	case b.broken != nil:
		return 0, fmt.Errorf("ingest %s: %w", src.Name, b.broken)
	case src.Hash == "":
		return 0, fmt.Errorf("ingest %s: source has no hash", src.Name)
	}
	var mark undoMark
	if !b.single {
		var err error
		if mark, err = markUndo(ctx, b.tx, src.Hash); err != nil {
			return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
		}
	}
	added, err := b.d.ingestFile(ctx, b.tx, src, fill)
	if err != nil {
		if b.single {
			b.broken = err
		} else if uerr := mark.undo(context.WithoutCancel(ctx), b.d, b.tx, src.Hash); uerr != nil {
			b.broken = fmt.Errorf("undo failed file %s: %w", src.Name, uerr)
			return 0, errors.Join(err, b.broken)
		}
		return 0, err
	}
	b.added += added
	return added, nil
}

// undoMark is the state a file's ingest starts from.
type undoMark struct {
	lastBlock int64
	lastName  int64
	had       bool // the source row existed (the same bytes were ingested before)
	src       [8]any
}

// markUndo records the largest offence block and name ids and the source
// row of hash.
func markUndo(ctx context.Context, tx *sql.Tx, hash string) (undoMark, error) {
	var m undoMark
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM offence_blocks),
		(SELECT coalesce(max(id), 0) FROM offence_names)`).Scan(&m.lastBlock, &m.lastName); err != nil {
		return m, fmt.Errorf("mark undo: %w", err)
	}
	var v [8]any
	err := tx.QueryRowContext(ctx, `SELECT name, format, rows, accepted, rejected, min_time, max_time, ingested_at
		FROM sources WHERE hash = ?`, hash).Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7])
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return m, fmt.Errorf("mark undo: %w", err)
	default:
		m.had, m.src = true, v
	}
	return m, nil
}

// undo removes what a failed file wrote since m, and loads d's key set
// again from the blocks that are left.
func (m undoMark) undo(ctx context.Context, d *DB, tx *sql.Tx, hash string) error {
	d.keys = nil
	if _, err := tx.ExecContext(ctx, `DELETE FROM offence_block_names WHERE block > ?`, m.lastBlock); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM offence_blocks WHERE id > ?`, m.lastBlock); err != nil {
		return err
	}
	if err := d.loadKeys(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM offence_names WHERE id > ?`, m.lastName); err != nil {
		return err
	}
	if !m.had {
		_, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE hash = ?`, hash)
		return err
	}
	v := m.src
	_, err := tx.ExecContext(ctx, `UPDATE sources SET name = ?, format = ?, rows = ?, accepted = ?, rejected = ?,
		min_time = ?, max_time = ?, ingested_at = ? WHERE hash = ?`, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], hash)
	return err
}

// RecordSource updates a source's counts inside the batch.
func (b *Batch) RecordSource(ctx context.Context, src hotgrid.SourceFile) error {
	if b.done {
		return fmt.Errorf("record source %s: %w", src.Name, errBatchDone)
	} else if b.broken != nil {
		return fmt.Errorf("record source %s: %w", src.Name, b.broken)
	}
	return recordSource(ctx, b.tx, src)
}

// Commit bumps the data version when offences were added and commits.
func (b *Batch) Commit() error {
	if b.done {
		return errBatchDone
	}
	defer b.finish()
	if b.broken != nil {
		return fmt.Errorf("commit: %w", b.broken)
	}
	if b.added > 0 {
		if _, err := b.tx.Exec(`UPDATE meta SET value = value + 1 WHERE key = 'data_version'`); err != nil {
			return fmt.Errorf("bump data version: %w", err)
		}
	}
	var through int64
	if err := b.tx.QueryRow(`SELECT coalesce(max(id), 0) FROM offence_blocks`).Scan(&through); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	b.committed = true
	b.d.keys.commit(through)
	if b.d.checkpoints != nil {
		b.d.checkpoints.committed()
	}
	return nil
}

// Rollback abandons the batch; after Commit it does nothing.
func (b *Batch) Rollback() error {
	if b.done {
		return nil
	}
	defer b.finish()
	if err := b.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back ingest: %w", err)
	}
	return nil
}

// finish ends the batch and releases the ingest lock; unless the batch
// committed, the key set (which holds its keys) is dropped, to be loaded
// again by the next ingest.
func (b *Batch) finish() {
	b.tx.Rollback() // no-op after a commit
	if !b.committed {
		b.d.keys = nil
	}
	b.done = true
	b.d.ingestMu.Unlock()
}

// ingestFile writes one file's source row and offences in tx.
func (d *DB) ingestFile(ctx context.Context, tx *sql.Tx, src hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error) {
	srcID, err := upsertSource(ctx, tx, src)
	if err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	w, err := newWriter(ctx, tx, d.keys, srcID, src.Hash)
	if err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	fillErr := fill(w.put)
	added, werr := w.finish(fillErr == nil)
	if fillErr != nil {
		return 0, fillErr
	} else if werr != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, werr)
	}
	if err := finishSource(ctx, tx, srcID, src, w); err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	return added, nil
}

// ingestCacheKiB is the page cache of the ingest connection. Blocks are
// appended, so a small cache does: a large one only costs time to allocate
// and free its pages.
const ingestCacheKiB = 4 << 10

// ingestConn returns the connection every ingest runs on (d.ingestMu held).
// One long-lived connection keeps its page cache warm between files; pooled
// connections would each hold a cold cache of their own.
func (d *DB) ingestConn(ctx context.Context) (*sql.Conn, error) {
	if d.ingest != nil {
		return d.ingest, nil
	}
	c, err := d.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("ingest connection: %w", err)
	}
	if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", ingestCacheKiB)); err != nil {
		c.Close()
		return nil, fmt.Errorf("ingest connection: %w", err)
	}
	d.ingest = c
	if d.path != MemoryPath {
		if err := d.startCheckpoints(ctx); err != nil {
			c.Close()
			d.ingest = nil
			return nil, fmt.Errorf("ingest connection: %w", err)
		}
	}
	return c, nil
}

// startCheckpoints turns off the ingest connection's own checkpoints and
// starts the background checkpointer (d.ingestMu held).
func (d *DB) startCheckpoints(ctx context.Context) error {
	if _, err := d.ingest.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		return err
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return err
	}
	d.checkpoints = startCheckpointer(conn)
	return nil
}

// upsertSource records the file (or refreshes its row when the same bytes
// were ingested before) and returns its id.
func upsertSource(ctx context.Context, tx *sql.Tx, src hotgrid.SourceFile) (int64, error) {
	at := src.IngestedAt
	if at.IsZero() {
		at = time.Now()
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO sources (name, hash, format, rows, accepted, rejected, min_time, max_time, ingested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(hash) DO UPDATE SET name = excluded.name, format = excluded.format, ingested_at = excluded.ingested_at
		RETURNING id`,
		src.Name, src.Hash, src.Format, src.Rows, src.Accepted, src.Rejected, unix(src.MinTime), unix(src.MaxTime), at.Unix(),
	).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record source: %w", err)
	}
	return id, nil
}

// finishSource stores what the writer saw: offences put and their time span.
// Rows read and rejected come from src when it has them.
func finishSource(ctx context.Context, tx *sql.Tx, id int64, src hotgrid.SourceFile, w *writer) error {
	rows, rejected := src.Rows, src.Rejected
	if rows < w.puts+rejected {
		rows = w.puts + rejected
	}
	_, err := tx.ExecContext(ctx, `UPDATE sources SET rows = ?, accepted = ?, rejected = ?, min_time = ?, max_time = ? WHERE id = ?`,
		rows, w.puts, rejected, w.minTime, w.maxTime, id)
	if err != nil {
		return fmt.Errorf("record source counts: %w", err)
	}
	return nil
}

// RecordSource updates the counts of the source with src.Hash: ingest calls
// it once the rows read and rejected are known. Zero times keep the stored
// span.
func (d *DB) RecordSource(ctx context.Context, src hotgrid.SourceFile) error {
	// On the ingest connection: a write from another connection would make
	// the next ingest drop its page cache.
	d.ingestMu.Lock()
	defer d.ingestMu.Unlock()
	conn, err := d.ingestConn(ctx)
	if err != nil {
		return fmt.Errorf("record source %s: %w", src.Name, err)
	}
	return recordSource(ctx, conn, src)
}

// execer is a connection or transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// recordSource updates the counts of the source with src.Hash.
func recordSource(ctx context.Context, db execer, src hotgrid.SourceFile) error {
	res, err := db.ExecContext(ctx, `UPDATE sources SET rows = ?, accepted = ?, rejected = ?,
		min_time = CASE WHEN ? = 0 THEN min_time ELSE ? END,
		max_time = CASE WHEN ? = 0 THEN max_time ELSE ? END
		WHERE hash = ?`,
		src.Rows, src.Accepted, src.Rejected, unix(src.MinTime), unix(src.MinTime), unix(src.MaxTime), unix(src.MaxTime), src.Hash)
	if err != nil {
		return fmt.Errorf("record source %s: %w", src.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hotgrid.Errorf(hotgrid.ENOTFOUND, "record source %s: no source with hash %s", src.Name, src.Hash)
	}
	return nil
}

// writer encodes a file's offences into blocks on the caller's goroutine
// (put) and stores full blocks on a goroutine of its own, so parsing and
// writing overlap. Duplicates are found in the store's key set.
type writer struct {
	ctx      context.Context
	tx       *sql.Tx
	srcID    int64
	hash     string
	keys     *keySet
	names    map[string]int64 // offence_names, with the ids given to new names
	last     [5]name          // the name last looked up for each of fill's fields
	nextName int64
	cur      *block
	full     chan *block
	free     chan *block
	done     chan struct{}
	closed   bool
	puts     int
	added    int
	minTime  int64
	maxTime  int64
	s        stored // put's scratch offence
	rowBuf   []byte // put's scratch ID of a row without one

	mu  sync.Mutex
	err error // the writing goroutine's first error
}

// writerBlocks is how many blocks a writer cycles through: one being
// filled, one queued, one being written.
const writerBlocks = 3

// newWriter loads the names and starts the writing goroutine.
func newWriter(ctx context.Context, tx *sql.Tx, keys *keySet, srcID int64, hash string) (*writer, error) {
	names, next, err := loadNames(ctx, tx)
	if err != nil {
		return nil, err
	}
	w := &writer{ctx: ctx, tx: tx, srcID: srcID, hash: hash, keys: keys, names: names, nextName: next,
		full: make(chan *block, 1), free: make(chan *block, writerBlocks), done: make(chan struct{})}
	for range writerBlocks {
		w.free <- newBlock()
	}
	w.cur = <-w.free
	go w.run()
	return w, nil
}

// put encodes o into the current block unless its ID is stored already,
// handing the block to the writing goroutine when it is full. It returns
// the writer's error once one has happened.
func (w *writer) put(o *hotgrid.Offence) error {
	if w.closed {
		return errClosed
	}
	if err := w.failed(); err != nil {
		return err
	}
	if o.ID == "" && o.Source.Row <= 0 {
		return fmt.Errorf("offence has neither an ID nor a source row")
	}
	s := &w.s
	if o.ID == "" {
		w.rowBuf = strconv.AppendInt(append(append(w.rowBuf[:0], w.hash...), ':'), int64(o.Source.Row), 10)
		s.id, s.idBlob = w.rowBuf, false
	} else {
		s.id, s.idBlob = appendStoredID(s.id[:0], o.ID)
	}
	w.puts++
	from, to := unix(o.From), unix(o.To)
	if w.puts == 1 || from < w.minTime {
		w.minTime = from
	}
	w.maxTime = max(w.maxTime, to)
	k := keyOfID(s.idBlob, s.id)
	if !w.keys.add(k) {
		return nil // stored already, or earlier in this batch
	}
	w.added++
	w.fill(s, o, from, to)
	w.cur.add(s, k)
	if w.cur.n == blockRows {
		return w.handOver()
	}
	return nil
}

// fill sets the fields of s other than the ID from o.
func (w *writer) fill(s *stored, o *hotgrid.Offence, from, to int64) {
	s.row = int64(o.Source.Row)
	s.force, s.category, s.code = w.nameAt(0, o.Force), w.nameAt(1, o.Category), w.nameAt(2, o.OffenceCode)
	s.unit, s.outcome = w.nameAt(3, o.Unit), w.nameAt(4, o.Outcome)
	s.from, s.to = from, to
	s.monthOnly, s.weapon = o.MonthOnly, int64(o.Weapon)
	s.lon, s.lat = o.Lon, o.Lat
	s.lsoa = append(s.lsoa[:0], o.LSOA...)
	s.location = append(s.location[:0], o.Location...)
	s.cell = o.Cell
}

// handOver queues the full current block and takes an empty one.
func (w *writer) handOver() error {
	w.full <- w.cur
	select {
	case w.cur = <-w.free:
		return nil
	case <-w.ctx.Done():
		w.closed = true // the writer may still be using every block
		w.cur = nil
		return w.ctx.Err()
	}
}

// nameAt is name for field i of fill, which remembers the field's last
// name: consecutive offences mostly share a force, outcome or unit.
func (w *writer) nameAt(i int, s string) int64 {
	if l := &w.last[i]; l.id != 0 && l.name == s {
		return l.id
	}
	id := w.name(s)
	w.last[i] = name{id: id, name: s}
	return id
}

// name returns the offence_names id of s; a new name gets the next id and
// is stored with the current block.
func (w *writer) name(s string) int64 {
	if id, ok := w.names[s]; ok {
		return id
	}
	id := w.nextName
	w.nextName++
	w.names[s] = id
	w.cur.newNames = append(w.cur.newNames, name{id: id, name: s})
	return id
}

// failed returns the writing goroutine's first error.
func (w *writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// run stores blocks until full is closed. After an error it keeps taking
// blocks (so put never blocks) without storing them.
func (w *writer) run() {
	defer close(w.done)
	for b := range w.full {
		if w.failed() == nil {
			if _, err := insertBlock(w.ctx, w.tx, w.srcID, b); err != nil {
				w.mu.Lock()
				w.err = err
				w.mu.Unlock()
			}
		}
		b.reset()
		w.free <- b
	}
}

// finish stores the last partial block when keep is set, stops the
// goroutine and returns how many offences were new.
func (w *writer) finish(keep bool) (int, error) {
	if keep && !w.closed && w.cur.n > 0 {
		w.full <- w.cur
	}
	w.closed = true
	close(w.full)
	<-w.done
	if err := w.failed(); err != nil {
		return 0, err
	}
	return w.added, nil
}

// loadNames reads offence_names as name -> id, and the id a new name gets.
func loadNames(ctx context.Context, tx *sql.Tx) (map[string]int64, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM offence_names`)
	if err != nil {
		return nil, 0, fmt.Errorf("load names: %w", err)
	}
	defer rows.Close()
	m := make(map[string]int64)
	next := int64(1)
	for rows.Next() {
		var (
			id   int64
			name string
		)
		if err := rows.Scan(&id, &name); err != nil {
			return nil, 0, fmt.Errorf("load names: %w", err)
		}
		m[name] = id
		next = max(next, id+1)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("load names: %w", err)
	}
	return m, next, nil
}

// errClosed is returned by put after finish.
var errClosed = errors.New("put after fill returned")
