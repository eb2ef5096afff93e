package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// batchRows is how many offences one INSERT statement carries.
const batchRows = 100

// offenceColumns are the inserted columns, in bind order.
const offenceColumns = "key, id, source_id, source_row, force, from_ts, to_ts, month_only, category, code, " +
	"weapon, lon, lat, lsoa, location, unit, outcome, cell"

// nOffenceColumns is the number of names in offenceColumns.
const nOffenceColumns = 18

// IngestFile stores one file's offences in one transaction. fill runs on the
// caller's goroutine while a second goroutine writes full batches, so
// parsing and writing overlap. If fill or a write fails, the transaction is
// rolled back and the store is unchanged. Offences whose ID is stored
// already are skipped; an empty ID is derived as "<src.Hash>:<row>".
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
// transaction: offences are only ever appended, so its rows are those past
// the largest rowid at its start, and its source row is deleted or put
// back as it was. (Savepoints would do the same, but they copy every index
// page a file touches into a statement journal.) If an undo fails, the
// whole batch is rolled back.
type Batch struct {
	d      *DB
	conn   *sql.Conn // the ingest connection tx runs on
	tx     *sql.Tx
	added  int   // offences the batch's files added
	single bool  // IngestFile's one-file batch: a failure rolls it all back
	broken error // why the batch can no longer commit
	done   bool  // committed or rolled back
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
	return &Batch{d: d, conn: conn, tx: tx}, nil
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
	added, err := b.d.ingestFile(ctx, b.conn, b.tx, src, fill)
	if err != nil {
		if b.single {
			b.broken = err
		} else if uerr := mark.undo(context.WithoutCancel(ctx), b.tx, src.Hash); uerr != nil {
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
	lastRowid int64
	lastName  int64
	had       bool // the source row existed (the same bytes were ingested before)
	src       [8]any
}

// markUndo records the largest offence rowid and the source row of hash.
func markUndo(ctx context.Context, tx *sql.Tx, hash string) (undoMark, error) {
	var m undoMark
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(rowid), 0) FROM offences),
		(SELECT coalesce(max(id), 0) FROM offence_names)`).Scan(&m.lastRowid, &m.lastName); err != nil {
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

// undo removes what a failed file wrote since m.
func (m undoMark) undo(ctx context.Context, tx *sql.Tx, hash string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM offences WHERE rowid > ?`, m.lastRowid); err != nil {
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
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
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

// finish ends the batch and releases the ingest lock.
func (b *Batch) finish() {
	b.tx.Rollback() // no-op after a commit
	b.done = true
	b.d.ingestMu.Unlock()
}

// ingestFile writes one file's source row and offences in tx.
func (d *DB) ingestFile(ctx context.Context, conn *sql.Conn, tx *sql.Tx, src hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error) {
	srcID, err := upsertSource(ctx, tx, src)
	if err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	w, err := newWriter(ctx, conn, tx, srcID, src.Hash)
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

// ingestCacheKiB is the page cache of the ingest connection: large enough
// that the pages of the random-order indexes (offence key, H3 cell) stay
// resident from file to file, well inside the 300 MB ingest memory budget.
const ingestCacheKiB = 24 << 10

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
	return c, nil
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

// batch is a block of offences written by one statement.
type batch struct {
	rows [batchRows]hotgrid.Offence
	ids  [batchRows]any   // storedID of each row's ID
	keys [batchRows]int64 // idKey of each
	n    int
}

// writer inserts batches on its own goroutine inside the ingest transaction.
// put (on the caller's goroutine) fills a batch and hands it over when full.
type writer struct {
	ctx     context.Context
	tx      *sql.Tx
	conn    *sql.Conn // tx's connection
	srcID   int64
	hash    string
	stmt    *rawStmt // batchRows rows
	args    []any
	full    chan *batch
	free    chan *batch
	done    chan struct{}
	cur     *batch
	closed  bool
	puts    int
	minTime int64
	maxTime int64

	names map[string]int64 // offence_names, used by the writing goroutine only
	homes *sql.Stmt        // probe's query of batchRows keys, prepared when first needed

	mu    sync.Mutex
	err   error
	added int
}

// newWriter prepares the batch statement and starts the writing goroutine.
func newWriter(ctx context.Context, conn *sql.Conn, tx *sql.Tx, srcID int64, hash string) (*writer, error) {
	stmt, err := prepareRaw(ctx, conn, insertSQL(batchRows))
	if err != nil {
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	w := &writer{ctx: ctx, tx: tx, conn: conn, srcID: srcID, hash: hash, stmt: stmt,
		args: make([]any, 0, batchRows*nOffenceColumns),
		full: make(chan *batch, 2), free: make(chan *batch, 4), done: make(chan struct{})}
	if w.names, err = loadNames(ctx, tx); err != nil {
		stmt.Close()
		return nil, err
	}
	for range cap(w.free) {
		w.free <- new(batch)
	}
	w.cur = <-w.free
	go w.run()
	return w, nil
}

// rawStmt is a statement prepared on the driver connection under a
// sql.Conn, executed with driver values directly: the bulk insert skips
// database/sql's per-argument conversion and statement bookkeeping. It
// runs in whatever transaction the connection has open.
type rawStmt struct {
	conn *sql.Conn
	ds   driver.Stmt
	nv   []driver.NamedValue
}

// prepareRaw prepares query on conn's driver connection.
func prepareRaw(ctx context.Context, conn *sql.Conn, query string) (*rawStmt, error) {
	s := &rawStmt{conn: conn}
	err := conn.Raw(func(dc any) error {
		p, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("driver connection %T cannot prepare with a context", dc)
		}
		ds, err := p.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		if _, ok := ds.(driver.StmtExecContext); !ok {
			ds.Close()
			return fmt.Errorf("driver statement %T cannot execute with a context", ds)
		}
		s.ds = ds
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// exec runs the statement with args (driver.Value types only) and returns
// the rows changed.
func (s *rawStmt) exec(ctx context.Context, args []any) (int64, error) {
	s.nv = s.nv[:0]
	for i, a := range args {
		s.nv = append(s.nv, driver.NamedValue{Ordinal: i + 1, Value: a})
	}
	var n int64
	err := s.conn.Raw(func(any) error {
		res, err := s.ds.(driver.StmtExecContext).ExecContext(ctx, s.nv)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	clear(s.nv)
	return n, err
}

// Close releases the statement.
func (s *rawStmt) Close() error {
	return s.conn.Raw(func(any) error { return s.ds.Close() })
}

// insertSQL returns an INSERT OR IGNORE of n rows.
func insertSQL(n int) string {
	row := "(" + strings.Repeat("?,", nOffenceColumns-1) + "?)"
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO offences (" + offenceColumns + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// put copies o into the current batch, handing the batch to the writer when
// it is full. It returns the writer's error once one has happened.
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
	id := o.ID
	if id == "" {
		id = w.hash + ":" + strconv.Itoa(o.Source.Row)
	}
	// The ID's stored form and key are worked out here, on the parsing
	// goroutine, to take work off the writing one.
	w.cur.ids[w.cur.n] = storedID(id)
	w.cur.keys[w.cur.n] = idKey(w.cur.ids[w.cur.n])
	w.cur.rows[w.cur.n] = *o
	w.cur.n++
	w.puts++
	from, to := unix(o.From), unix(o.To)
	if w.puts == 1 || from < w.minTime {
		w.minTime = from
	}
	if to > w.maxTime {
		w.maxTime = to
	}
	if w.cur.n == batchRows {
		w.full <- w.cur
		select {
		case w.cur = <-w.free:
		case <-w.ctx.Done():
			w.closed = true // the batch now belongs to the writer
			w.cur = nil
			return w.ctx.Err()
		}
	}
	return nil
}

// failed returns the writer's first error.
func (w *writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// run writes batches until full is closed. After an error it keeps taking
// batches (so put never blocks) without writing them.
func (w *writer) run() {
	defer close(w.done)
	for b := range w.full {
		if w.failed() == nil {
			n, err := w.write(w.stmt, b)
			w.mu.Lock()
			if err != nil && w.err == nil {
				w.err = err
			}
			w.added += n
			w.mu.Unlock()
		}
		b.n = 0
		w.free <- b
	}
}

// write inserts b's rows with stmt, which must have b.n rows of parameters.
// Rows whose key is taken are ignored by the statement; when any were,
// each row is looked up along its probe sequence, and those whose ID is
// not stored (a key collision) are inserted at the first free key.
func (w *writer) write(stmt *rawStmt, b *batch) (int, error) {
	args := w.args[:0]
	for i := range b.n {
		var err error
		if args, err = w.appendRow(args, b.ids[i], b.keys[i], &b.rows[i]); err != nil {
			clear(args)
			return 0, err
		}
	}
	n64, err := stmt.exec(w.ctx, args)
	if err != nil {
		clear(args)
		return 0, fmt.Errorf("insert offences: %w", err)
	}
	n := int(n64)
	if n < b.n {
		m, err := w.probe(b, b.ids[:b.n], args)
		if err != nil {
			clear(args)
			return 0, err
		}
		n += m
	}
	clear(args)
	for i := range b.n {
		b.rows[i] = hotgrid.Offence{} // drop string references early
		b.ids[i] = nil
	}
	return n, nil
}

// appendRow appends the bound values of one offence (one VALUES tuple).
func (w *writer) appendRow(args []any, id any, key int64, o *hotgrid.Offence) ([]any, error) {
	var v [5]int64
	for i, s := range [5]string{o.Force, o.Category, o.OffenceCode, o.Unit, o.Outcome} {
		n, err := w.name(s)
		if err != nil {
			return args, err
		}
		v[i] = n
	}
	mo := 0
	if o.MonthOnly {
		mo = 1
	}
	// Only driver.Value types: rawStmt binds them as they are.
	return append(args, key, id, w.srcID, int64(o.Source.Row), v[0], unix(o.From), unix(o.To), int64(mo),
		v[1], v[2], int64(o.Weapon), o.Lon, o.Lat, o.LSOA, o.Location, v[3], v[4], int64(o.Cell)), nil
}

// name returns the offence_names id of s, adding it when new.
func (w *writer) name(s string) (int64, error) {
	if id, ok := w.names[s]; ok {
		return id, nil
	}
	var id int64
	if err := w.tx.QueryRowContext(w.ctx, `INSERT INTO offence_names (name) VALUES (?) RETURNING id`, s).Scan(&id); err != nil {
		return 0, fmt.Errorf("add name %q: %w", s, err)
	}
	w.names[s] = id
	return id, nil
}

// loadNames reads offence_names as name -> id.
func loadNames(ctx context.Context, tx *sql.Tx) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM offence_names`)
	if err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	defer rows.Close()
	m := make(map[string]int64)
	for rows.Next() {
		var (
			id   int64
			name string
		)
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("load names: %w", err)
		}
		m[name] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	return m, nil
}

// probe finds each row of a batch the multi-row insert ignored: the row's
// ID is stored along its probe sequence (a duplicate), or the sequence
// reaches a free key, where the row is inserted. args are the batch's
// bound values. It returns how many rows it inserted. One query fetches
// what is stored at every home key; only rows whose home key holds another
// ID (a hash collision, or a duplicate stored past one) probe further.
func (w *writer) probe(b *batch, ids []any, args []any) (int, error) {
	keys := make([]any, batchRows)
	for i := range keys {
		keys[i] = int64(-1) // no offence has a negative key
	}
	for i := range b.n {
		keys[i] = args[i*nOffenceColumns]
	}
	if w.homes == nil {
		q := "SELECT key, typeof(id) = 'blob', id FROM offences WHERE key IN (?" + strings.Repeat(",?", batchRows-1) + ")"
		stmt, err := w.tx.PrepareContext(w.ctx, q)
		if err != nil {
			return 0, fmt.Errorf("probe offence keys: %w", err)
		}
		w.homes = stmt
	}
	rows, err := w.homes.QueryContext(w.ctx, keys...)
	if err != nil {
		return 0, fmt.Errorf("probe offence keys: %w", err)
	}
	type storedAt struct {
		blob bool
		id   []byte
	}
	home := make(map[int64]storedAt, b.n)
	for rows.Next() {
		var (
			k int64
			v storedAt
		)
		if err := rows.Scan(&k, &v.blob, &v.id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("probe offence keys: %w", err)
		}
		home[k] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("probe offence keys: %w", err)
	}
	added := 0
	for i := range b.n {
		row := args[i*nOffenceColumns : (i+1)*nOffenceColumns]
		k := row[0].(int64)
		if v, ok := home[k]; ok && sameID(v.blob, v.id, ids[i]) {
			continue
		}
		n, err := w.probeOne(row, ids[i])
		if err != nil {
			return 0, err
		}
		added += n
	}
	return added, nil
}

// probeOne walks one row's probe sequence from its home key: it stops at
// its own ID (0 added) or inserts the row at the first free key (1 added).
func (w *writer) probeOne(row []any, id any) (int, error) {
	for k := row[0].(int64); ; k = nextKey(k) {
		var (
			blob   bool
			stored []byte
		)
		err := w.tx.QueryRowContext(w.ctx, `SELECT typeof(id) = 'blob', id FROM offences WHERE key = ?`, k).Scan(&blob, &stored)
		if errors.Is(err, sql.ErrNoRows) {
			row[0] = k
			if _, err := w.tx.ExecContext(w.ctx, insertSQL(1), row...); err != nil {
				return 0, fmt.Errorf("insert offence at probed key: %w", err)
			}
			return 1, nil
		} else if err != nil {
			return 0, fmt.Errorf("probe offence key: %w", err)
		}
		if sameID(blob, stored, id) {
			return 0, nil
		}
	}
}

// storedID is how an ID is stored: a 64-digit lower-case hex ID (the
// police.uk Crime ID is a SHA-256) as its 32 bytes, halving the key index;
// any other ID as text. scannedID reverses it.
func storedID(id string) any {
	if len(id) != 64 {
		return id
	}
	var b [32]byte
	for i := range 64 {
		c := id[i]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		default:
			return id
		}
		b[i/2] = b[i/2]<<4 | v
	}
	return b[:]
}

// finish stops the goroutine, writes the last partial batch when keep is
// set, and returns how many offences were new.
func (w *writer) finish(keep bool) (int, error) {
	w.closed = true
	close(w.full)
	<-w.done
	defer w.stmt.Close()
	defer func() {
		if w.homes != nil {
			w.homes.Close()
		}
	}()
	if err := w.failed(); err != nil {
		return 0, err
	}
	if keep && w.cur != nil && w.cur.n > 0 {
		stmt, err := prepareRaw(w.ctx, w.conn, insertSQL(w.cur.n))
		if err != nil {
			return 0, fmt.Errorf("prepare insert: %w", err)
		}
		n, err := w.write(stmt, w.cur)
		stmt.Close()
		if err != nil {
			return 0, err
		}
		w.added += n
	}
	return w.added, nil
}

// errClosed is returned by put after finish.
var errClosed = errors.New("put after fill returned")
