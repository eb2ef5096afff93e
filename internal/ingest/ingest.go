// Package ingest reads police offence files into a hotgrid.OffenceStore.
//
// Two formats are read, plain or gzip-compressed (detected by the magic
// bytes), with or without a UTF-8 byte-order mark and with LF or CRLF line
// ends:
//
//   - "police-uk": a data.police.uk street-level CSV with its exact 12-column
//     header. Dates have month precision: an offence is MonthOnly, from the
//     first instant of its month to the first instant of the next, both in
//     Europe/London (the zone every hotgrid band uses), so a June offence
//     starts at 2025-05-31T23:00Z. "Falls within" is the force.
//   - "mapped": a force's own CSV extract whose columns a Mapping names,
//     with lon/lat or British National Grid easting/northing (converted to
//     WGS84 by geo.BNGToWGS84).
//
// Every row becomes an offence or a hotgrid.Rejection naming the file, line,
// field and reason; nothing is dropped silently. Each file is stored in one
// transaction, all or nothing, and ingesting a file again adds nothing:
// offences are keyed by their ID (police.uk Crime ID, force reference) or,
// without one, by "<sha256 of the file>:<line>".
package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// CodeCategories maps Home Office offence codes to police.uk categories
// (the severity table implements it).
type CodeCategories interface {
	CategoryOf(code string) (string, bool)
}

// Ingester reads files into Store. Units (optional) assigns offences to
// units by location; Codes (optional) gives the category of offences that
// carry only an offence code. Rejects, when set, receives every rejected row
// as CSV (file,line,field,reason,record); Progress, when set, a progress line
// per file. An Ingester is not safe for concurrent use.
type Ingester struct {
	Store    hotgrid.OffenceStore
	Units    hotgrid.UnitLocator
	Codes    CodeCategories
	Strict   bool // fail a file on its first bad row
	Rejects  io.Writer
	Progress io.Writer

	rejects *csv.Writer
}

// maxExamples bounds the examples a summary lists.
const maxExamples = 10

// FileSummary is the outcome of one file.
type FileSummary struct {
	File       string `json:"file"`
	Hash       string `json:"hash,omitempty"`
	Format     string `json:"format,omitempty"`
	RowsRead   int    `json:"rows_read"`
	Accepted   int    `json:"accepted"`
	Rejected   int    `json:"rejected"`
	Added      int    `json:"added"`
	Duplicates int    `json:"duplicates"`
	Error      string `json:"error,omitempty"`
}

// Summary is the outcome of one or more files. Accepted rows are valid
// offences; Added are the accepted ones new to the store, Duplicates the
// rest (stored already, or repeating a Crime ID of an earlier row of the
// same file, which DuplicateIDs counts and DuplicateExamples shows). Rows of
// a file that failed count in RowsRead, Accepted and Rejected but add
// nothing. PerForce and PerUnit count accepted rows; offences outside every
// unit count under hotgrid.UnitOutsideLabel.
type Summary struct {
	RowsRead          int            `json:"rows_read"`
	Accepted          int            `json:"accepted"`
	Rejected          int            `json:"rejected"`
	Added             int            `json:"added"`
	Duplicates        int            `json:"duplicates"`
	DuplicateIDs      int            `json:"duplicate_ids_in_file"`
	DuplicateExamples []string       `json:"duplicate_examples,omitempty"`
	RejectedByReason  map[string]int `json:"rejected_by_reason"`
	RejectExamples    []string       `json:"reject_examples,omitempty"`
	PerForce          map[string]int `json:"per_force"`
	PerUnit           map[string]int `json:"per_unit"`
	FilesFailed       int            `json:"files_failed"`
	Files             []FileSummary  `json:"files"`
}

// NewSummary returns an empty summary with its maps made.
func NewSummary() Summary {
	return Summary{RejectedByReason: map[string]int{}, PerForce: map[string]int{}, PerUnit: map[string]int{}, Files: []FileSummary{}}
}

// Add merges o into s.
func (s *Summary) Add(o Summary) {
	if s.RejectedByReason == nil {
		*s = NewSummary()
	}
	s.RowsRead += o.RowsRead
	s.Accepted += o.Accepted
	s.Rejected += o.Rejected
	s.Added += o.Added
	s.Duplicates += o.Duplicates
	s.DuplicateIDs += o.DuplicateIDs
	s.DuplicateExamples = appendExamples(s.DuplicateExamples, o.DuplicateExamples...)
	s.RejectExamples = appendExamples(s.RejectExamples, o.RejectExamples...)
	s.FilesFailed += o.FilesFailed
	for k, v := range o.RejectedByReason {
		s.RejectedByReason[k] += v
	}
	for k, v := range o.PerForce {
		s.PerForce[k] += v
	}
	for k, v := range o.PerUnit {
		s.PerUnit[k] += v
	}
	s.Files = append(s.Files, o.Files...)
}

// appendExamples appends up to maxExamples in all.
func appendExamples(dst []string, src ...string) []string {
	for _, e := range src {
		if len(dst) >= maxExamples {
			break
		}
		dst = append(dst, e)
	}
	return dst
}

// IngestFile ingests the file at path. format is FormatPoliceUK,
// FormatMapped (m required) or "" to detect it from the header. The file's
// name in the store and in rejections is its base name.
func (in *Ingester) IngestFile(ctx context.Context, path, format string, m *Mapping) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		s := NewSummary()
		return s.failed(filepath.Base(path), err), err
	}
	defer f.Close()
	return in.IngestReader(ctx, f, filepath.Base(path), format, m)
}

// IngestReader ingests one file read from r; name identifies it.
func (in *Ingester) IngestReader(ctx context.Context, r io.Reader, name, format string, m *Mapping) (Summary, error) {
	sum := NewSummary()
	sp, err := readSpool(r, name, memoryLimit)
	if err != nil {
		return sum.failed(name, err), err
	}
	defer sp.Close()
	rec, _ := in.Store.(hotgrid.SourceRecorder)
	return in.ingestSpool(ctx, in.Store, rec, sp, name, format, m)
}

// fileStore is where ingestSpool stores a file: the store itself or an
// open batch of it.
type fileStore interface {
	IngestFile(ctx context.Context, src hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error)
}

// ingestSpool parses a read file into st; rec, when not nil, then records
// the file's final counts.
func (in *Ingester) ingestSpool(ctx context.Context, st fileStore, rec hotgrid.SourceRecorder, sp *spool, name, format string, m *Mapping) (Summary, error) {
	run, err := in.prepare(sp, name, format, m)
	if run != nil {
		defer run.halt()
	}
	return in.ingestRun(ctx, st, rec, run, name, err)
}

// ingestRun stores a prepared file (perr: why preparing it failed).
func (in *Ingester) ingestRun(ctx context.Context, st fileStore, rec hotgrid.SourceRecorder, run *fileRun, name string, perr error) (Summary, error) {
	sum := NewSummary()
	if perr != nil {
		return sum.failed(name, perr), perr
	}
	sp := run.sp
	run.sum = &sum
	src := hotgrid.SourceFile{Name: name, Hash: sp.hash, Format: run.format, IngestedAt: time.Now()}
	added, err := st.IngestFile(ctx, src, run.fill)
	fs := FileSummary{File: name, Hash: sp.hash, Format: run.format, RowsRead: sum.RowsRead,
		Accepted: sum.Accepted, Rejected: sum.Rejected}
	if err != nil {
		fs.Error = err.Error()
		sum.FilesFailed++
		sum.Files = append(sum.Files, fs)
		in.progressDone(run, "failed")
		return sum, err
	}
	sum.Added = added
	sum.Duplicates = sum.Accepted - added
	fs.Added, fs.Duplicates = added, sum.Duplicates
	sum.Files = append(sum.Files, fs)
	if rec != nil {
		src.Rows, src.Accepted, src.Rejected = sum.RowsRead, sum.Accepted, sum.Rejected
		if err := rec.RecordSource(ctx, src); err != nil {
			return sum, fmt.Errorf("%s: %w", name, err)
		}
	}
	in.progressDone(run, "done")
	return sum, nil
}

// batchOffences is how many accepted offences IngestFiles puts in one
// transaction of a batching store before committing: enough that a
// national load commits (and syncs) a handful of times rather than once
// per file, few enough that a failed commit loses little work.
const batchOffences = 100_000

// IngestFiles ingests the files at paths in order and returns their merged
// summary and the files' errors joined; a failed file does not stop the
// others. The next file is read, decompressed and hashed while the current
// one is parsed and stored. When the store can batch (hotgrid.IngestBatcher)
// files are committed together, about batchOffences offences a commit,
// each file still all or nothing: a file counts as added only once its
// batch has committed, and if a commit fails every file of the batch is
// reported failed and added nothing.
func (in *Ingester) IngestFiles(ctx context.Context, paths []string, format string, m *Mapping) (Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		sums    = make([]Summary, 0, len(paths)) // in the order of paths
		errs    []error
		pending []int // indexes in sums of the files stored in the open batch
		batch   hotgrid.IngestBatch
		rows    int
	)
	commit := func() {
		if batch == nil {
			return
		}
		err := batch.Commit()
		batch.Rollback()
		batch, rows = nil, 0
		for _, i := range pending {
			if err != nil {
				sums[i].batchFailed(err)
				errs = append(errs, fmt.Errorf("%s: %w", sums[i].Files[0].File, err))
			}
		}
		pending = pending[:0]
	}
	defer func() {
		if batch != nil {
			batch.Rollback()
		}
	}()
	batcher, _ := in.Store.(hotgrid.IngestBatcher)
	for f := range in.readyAhead(ctx, paths, format, m) {
		if f.err != nil {
			s := NewSummary()
			sums = append(sums, s.failed(f.name, f.err))
			errs = append(errs, f.err)
			continue
		}
		var st fileStore = in.Store
		rec, _ := in.Store.(hotgrid.SourceRecorder)
		if batcher != nil && batch == nil {
			b, err := batcher.BeginIngest(ctx)
			if err != nil {
				f.release()
				s := NewSummary()
				sums = append(sums, s.failed(f.name, err))
				errs = append(errs, fmt.Errorf("%s: %w", f.name, err))
				continue
			}
			batch = b
		}
		if batch != nil {
			st, rec = batch, batch
		}
		s, err := in.ingestRun(ctx, st, rec, f.run, f.name, f.perr)
		f.release()
		sums = append(sums, s)
		if err != nil {
			errs = append(errs, err)
		} else if batch != nil {
			pending = append(pending, len(sums)-1)
			rows += s.Accepted
		}
		if rows >= batchOffences {
			commit()
		}
	}
	commit()
	total := NewSummary()
	for _, s := range sums {
		total.Add(s)
	}
	return total, errors.Join(errs...)
}

// batchFailed marks a stored file whose batch failed to commit.
func (s *Summary) batchFailed(err error) {
	s.Added, s.Duplicates, s.FilesFailed = 0, 0, 1
	for i := range s.Files {
		s.Files[i].Added, s.Files[i].Duplicates = 0, 0
		s.Files[i].Error = "commit: " + err.Error()
	}
}

// ready is a read file whose parsing has started (or why preparing it
// failed: perr).
type ready struct {
	spooled
	run  *fileRun
	perr error
}

// readyAhead prepares each file prefetch reads and starts parsing it, one
// file ahead of the consumer, so the parsing stage runs on while the
// consumer finishes storing the file before. The consumer must release
// every file it takes.
func (in *Ingester) readyAhead(ctx context.Context, paths []string, format string, m *Mapping) <-chan ready {
	out := make(chan ready)
	go func() {
		defer close(out)
		files := prefetch(ctx, paths)
		for f := range files {
			r := ready{spooled: f}
			if f.err == nil {
				r.run, r.perr = in.prepare(f.sp, f.name, format, m)
				if r.perr == nil {
					r.run.start()
				}
			}
			select {
			case out <- r:
			case <-ctx.Done():
				r.release()
				for f := range files {
					f.release()
				}
				return
			}
		}
	}()
	return out
}

// release stops the file's parsing and frees its bytes.
func (r ready) release() {
	if r.run != nil {
		r.run.halt()
	}
	r.spooled.release()
}

// release frees the read file's bytes.
func (f spooled) release() {
	if f.sp != nil {
		f.sp.Close()
	}
}

// spooled is a read file, or why it could not be read.
type spooled struct {
	name string
	sp   *spool
	err  error
}

// prefetch reads the files up to two ahead of the consumer on its own
// goroutine. The channel closes after the last file or when ctx ends.
func prefetch(ctx context.Context, paths []string) <-chan spooled {
	out := make(chan spooled, 1) // one file in hand, one waiting, one being read
	free := make(chan *bytes.Buffer, 3)
	go func() {
		defer close(out)
		for _, p := range paths {
			f := spooled{name: filepath.Base(p)}
			f.sp, f.err = readFile(p, f.name, free)
			select {
			case out <- f:
			case <-ctx.Done():
				if f.sp != nil {
					f.sp.Close()
				}
				return
			}
		}
	}()
	return out
}

// readFile spools the file at path, into a buffer from free when one is
// there; the spool's Close returns its buffer to free.
func readFile(path, name string, free chan *bytes.Buffer) (*spool, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var buf *bytes.Buffer
	select {
	case buf = <-free:
	default:
		buf = new(bytes.Buffer)
	}
	return readSpoolInto(fh, name, memoryLimit, buf, free)
}

// failed records a file that could not be read at all.
func (s *Summary) failed(name string, err error) Summary {
	s.FilesFailed++
	s.Files = append(s.Files, FileSummary{File: name, Error: err.Error()})
	return *s
}

// fileRun is the state of one file's ingest.
type fileRun struct {
	in     *Ingester
	sp     *spool
	name   string
	format string
	cr     *csv.Reader
	parser rowParser
	sum    *Summary
	seed   maphash.Seed
	seen   seenIDs // hash of Crime ID -> first line
	header []string
	offset int64              // the end of the last row taken, for progress
	chunks <-chan []parsedRow // the parsing stage's rows, once started
	free   chan<- []parsedRow // chunks handed back for reuse
	stop   chan struct{}      // closed to stop the parsing stage
	halted bool
	places map[[2]float64]placed // points placed (parsing stage only)
}

// prepare detects the format, reads the header and builds the row parser.
func (in *Ingester) prepare(sp *spool, name, format string, m *Mapping) (*fileRun, error) {
	first := sp.firstLine()
	if format == "" {
		switch {
		case first == PoliceUKHeader:
			format = FormatPoliceUK
		case m != nil:
			format = FormatMapped
		default:
			return nil, fmt.Errorf("%s: line 1: header is not the data.police.uk street-level header and no mapping was given (use --format mapped --mapping FILE): %.120q", name, first)
		}
	}
	run := &fileRun{in: in, sp: sp, name: name, format: format, seed: maphash.MakeSeed(),
		places: make(map[[2]float64]placed)}
	cr := csv.NewReader(sp.body())
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.LazyQuotes = false
	run.cr = cr
	switch format {
	case FormatPoliceUK:
		if first != PoliceUKHeader {
			return nil, fmt.Errorf("%s: line 1: header %.200q is not the data.police.uk street-level header %q", name, first, PoliceUKHeader)
		}
		header, err := cr.Read()
		if err != nil {
			return nil, fmt.Errorf("%s: line 1: header: %w", name, err)
		}
		run.header = append([]string(nil), header...)
		run.parser = &policeUK{months: months{loc: london()}, cats: newCategories()}
	case FormatMapped:
		if m == nil {
			return nil, fmt.Errorf("%s: format mapped needs a mapping file", name)
		}
		cr.Comma = m.comma
		header, err := cr.Read()
		if err != nil {
			return nil, fmt.Errorf("%s: line 1: header: %w", name, err)
		}
		run.header = append([]string(nil), header...)
		p, err := newMapped(m, run.header, in.Codes)
		if err != nil {
			return nil, fmt.Errorf("%s: line 1: %w", name, err)
		}
		run.parser = p
	default:
		return nil, fmt.Errorf("%s: unknown format %q (want %s or %s)", name, format, FormatPoliceUK, FormatMapped)
	}
	return run, nil
}

// london returns Europe/London (zone.go embeds the zone database).
func london() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}

// place sets the H3 cell and, unless the file named one, the unit.
// Places are cached by coordinates: police.uk snaps offences to a fixed
// set of anonymised points, so most rows repeat a point already placed.
func (r *fileRun) place(o *hotgrid.Offence) reject {
	key := [2]float64{o.Lon, o.Lat}
	p, ok := r.places[key]
	if !ok {
		cell, err := geo.CellAt(o.Lon, o.Lat, hotgrid.StoreResolution)
		if err != nil {
			return rejectf("(coordinates)", ReasonBadCoordinate, "%v", err)
		}
		p = placed{cell: cell, unit: r.in.locate(cell, o.Lon, o.Lat)}
		if len(r.places) >= maxPlaces {
			clear(r.places)
		}
		r.places[key] = p
	}
	o.Cell = p.cell
	if o.Unit == "" {
		o.Unit = p.unit
	}
	return reject{}
}

// cellLocator is a UnitLocator that can use the point's H3 cell (at the
// store's resolution) instead of working it out again (units.Set).
type cellLocator interface {
	LocateCell(cell uint64, lon, lat float64) string
}

// locate returns the unit of a point in cell ("" without Units).
func (in *Ingester) locate(cell uint64, lon, lat float64) string {
	switch u := in.Units.(type) {
	case nil:
		return ""
	case cellLocator:
		return u.LocateCell(cell, lon, lat)
	default:
		return u.Locate(lon, lat)
	}
}

// placed is where a point is: its H3 cell and unit.
type placed struct {
	cell uint64
	unit string
}

// maxPlaces bounds a file's cache of placed points.
const maxPlaces = 1 << 16

// checkDuplicate records a Crime ID seen earlier in the same file. The
// store keeps the first row; the summary reports the repeat.
func (r *fileRun) checkDuplicate(id string, line int) {
	h := maphash.String(r.seed, id)
	if first, ok := r.seen.firstLine(h, line); ok {
		r.sum.DuplicateIDs++
		r.sum.DuplicateExamples = appendExamples(r.sum.DuplicateExamples,
			fmt.Sprintf("%s:%d: Crime ID %s repeats line %d; the first row is kept", r.name, line, id, first))
	}
}

// fieldAt names the header field holding byte column col (1-based) of a
// one-line raw record, counting delimiters outside quotes.
func (r *fileRun) fieldAt(raw string, col int) string {
	i, quoted := 0, false
	for j, c := range raw {
		if j >= col-1 {
			break
		}
		switch {
		case c == '"':
			quoted = !quoted
		case c == r.cr.Comma && !quoted:
			i++
		}
	}
	if i < len(r.header) {
		return r.header[i]
	}
	return fmt.Sprintf("field %d", i+1)
}

// reject records one rejected row; in strict mode it fails the file.
func (r *fileRun) reject(line int, rj reject, start, end int64) error {
	rej := hotgrid.Rejection{File: r.name, Line: line, Field: rj.field, Reason: rj.kind + ": " + rj.detail}
	r.sum.Rejected++
	r.sum.RejectedByReason[rj.kind]++
	r.sum.RejectExamples = appendExamples(r.sum.RejectExamples, rej.Error())
	if r.in.Rejects != nil {
		rej.Record = r.sp.raw(start, end)
		if err := r.in.writeReject(rej); err != nil {
			return err
		}
	}
	if r.in.Strict {
		return fmt.Errorf("strict: %w", rej)
	}
	return nil
}

// writeReject appends a rejection to the rejects CSV, header first.
func (in *Ingester) writeReject(rej hotgrid.Rejection) error {
	if in.rejects == nil {
		in.rejects = csv.NewWriter(in.Rejects)
		if err := in.rejects.Write([]string{"file", "line", "field", "reason", "record"}); err != nil {
			return fmt.Errorf("write rejects: %w", err)
		}
	}
	if err := in.rejects.Write([]string{rej.File, strconv.Itoa(rej.Line), rej.Field, rej.Reason, rej.Record}); err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	return nil
}

// Flush writes buffered rejected rows; call it after the last file.
func (in *Ingester) Flush() error {
	if in.rejects == nil {
		return nil
	}
	in.rejects.Flush()
	if err := in.rejects.Error(); err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	return nil
}

// progress writes a one-line progress report for a long file.
func (in *Ingester) progress(r *fileRun) {
	if in.Progress == nil || r.sp.size == 0 {
		return
	}
	pct := float64(r.offset) * 100 / float64(r.sp.size)
	fmt.Fprintf(in.Progress, "\r%-40.40s %5.1f%% %9d rows %7d rejected", r.name, pct, r.sum.RowsRead, r.sum.Rejected)
}

// progressDone ends a file's progress line.
func (in *Ingester) progressDone(r *fileRun, state string) {
	if in.Progress == nil {
		return
	}
	fmt.Fprintf(in.Progress, "\r%-40.40s %6s %9d rows %7d rejected\n", r.name, state, r.sum.RowsRead, r.sum.Rejected)
}

// SortedKeys returns a count map's keys, largest count first.
func SortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
