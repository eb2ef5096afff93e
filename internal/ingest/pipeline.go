package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// A file is read in two stages on two goroutines: the parsing stage reads
// CSV records, parses and validates them, and works out each offence's H3
// cell and unit; fill, on the store's goroutine, takes the parsed rows in
// file order, counts them, records rejections and puts offences. Rows pass
// between them in chunks of chunkRows, at most chunksAhead chunks ahead, so
// memory stays bounded whatever the file's size.

// chunkRows is how many rows a chunk carries.
const chunkRows = 512

// chunksAhead is how many chunks the parsing stage may run ahead.
const chunksAhead = 4

// parsedRow is one row of the file as the parsing stage left it.
type parsedRow struct {
	o          hotgrid.Offence
	line       int
	rj         reject // the row is rejected unless rj.ok()
	start, end int64  // the row's bytes in the file
	err        error  // the file cannot be read further
	counted    bool   // with err: a row was read (it counts in RowsRead)
}

// parseAhead starts the parsing stage. It stops at the end of the file,
// after a row with err, or when stop is closed; the channel is closed when
// it has stopped.
func (r *fileRun) parseAhead(stop <-chan struct{}) (<-chan []parsedRow, chan<- []parsedRow) {
	out := make(chan []parsedRow, chunksAhead)
	free := make(chan []parsedRow, chunksAhead+2)
	go func() {
		defer close(out)
		for {
			var chunk []parsedRow
			select {
			case chunk = <-free:
			default:
				chunk = make([]parsedRow, 0, chunkRows)
			}
			chunk, more := r.parseChunk(chunk[:0])
			if len(chunk) > 0 {
				select {
				case out <- chunk:
				case <-stop:
					return
				}
			}
			if !more {
				return
			}
		}
	}()
	return out, free
}

// parseChunk parses up to chunkRows rows into chunk; more is false at the
// end of the file or after a row that stops it.
func (r *fileRun) parseChunk(chunk []parsedRow) ([]parsedRow, bool) {
	for len(chunk) < chunkRows {
		chunk = append(chunk, parsedRow{})
		p := &chunk[len(chunk)-1]
		if !r.parseRow(p) {
			return chunk[:len(chunk)-1], false
		}
		if p.err != nil {
			return chunk, false
		}
	}
	return chunk, true
}

// parseRow reads and parses the next row into p; it returns false at the
// end of the file.
func (r *fileRun) parseRow(p *parsedRow) bool {
	p.start = r.cr.InputOffset()
	rec, err := r.cr.Read()
	p.end = r.cr.InputOffset()
	if errors.Is(err, io.EOF) {
		return false
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		r.parseError(p, pe)
		return true
	} else if err != nil {
		line, _ := r.cr.FieldPos(0)
		p.err = fmt.Errorf("%s: line %d: %w", r.name, line, err)
		return true
	}
	p.line, _ = r.cr.FieldPos(0)
	p.o = hotgrid.Offence{Source: hotgrid.Source{File: r.name, Hash: r.sp.hash, Row: p.line}}
	p.rj = r.parser.parse(rec, &p.o)
	if p.rj.ok() {
		p.rj = r.place(&p.o)
	}
	return true
}

// parseError turns a CSV syntax error into a rejection of its line. When
// the error spans several lines the reader has swallowed rows it cannot
// give back, so the file fails instead.
func (r *fileRun) parseError(p *parsedRow, pe *csv.ParseError) {
	p.line = pe.StartLine
	if pe.Line > pe.StartLine {
		p.err = fmt.Errorf("%s: line %d: a quoted field opened on line %d is not closed properly (%v at line %d, column %d), so the rows up to line %d cannot be read; fix the quoting",
			r.name, pe.StartLine, pe.StartLine, pe.Err, pe.Line, pe.Column, pe.Line)
		p.counted = true
		return
	}
	kind := ReasonStrayQuote
	if !errors.Is(pe.Err, csv.ErrBareQuote) && !errors.Is(pe.Err, csv.ErrQuote) {
		kind = "bad CSV"
	}
	raw := r.sp.raw(p.start, p.end)
	field := fmt.Sprintf("%s (column %d)", r.fieldAt(raw, pe.Column), pe.Column)
	p.rj = rejectf(field, kind, "%v", pe.Err)
}

// fill takes the parsed rows in order, putting offences and recording
// rejections, starting the parsing stage if it has not started. It returns
// only once the parsing stage has stopped, so the file's bytes are no
// longer read when the caller releases them.
func (r *fileRun) fill(put func(*hotgrid.Offence) error) error {
	r.start()
	defer r.halt()
	n := 0
	for chunk := range r.chunks {
		for i := range chunk {
			if err := r.take(&chunk[i], put); err != nil {
				return err
			}
			if n++; n&4095 == 0 {
				r.in.progress(r)
			}
			chunk[i] = parsedRow{} // drop string references early
		}
		select {
		case r.free <- chunk:
		default:
		}
	}
	return nil
}

// start starts the parsing stage unless it has started.
func (r *fileRun) start() {
	if r.chunks == nil {
		r.stop = make(chan struct{})
		r.chunks, r.free = r.parseAhead(r.stop)
	}
}

// halt stops the parsing stage and waits until it has stopped, so the
// file's bytes are no longer read. It may be called more than once.
func (r *fileRun) halt() {
	if r.chunks == nil || r.halted {
		return
	}
	r.halted = true
	close(r.stop)
	for range r.chunks {
	}
}

// take counts one parsed row and puts its offence or records its rejection.
func (r *fileRun) take(p *parsedRow, put func(*hotgrid.Offence) error) error {
	r.offset = p.end
	if p.err != nil {
		if p.counted {
			r.sum.RowsRead++
		}
		return p.err
	}
	r.sum.RowsRead++
	if !p.rj.ok() {
		return r.reject(p.line, p.rj, p.start, p.end)
	}
	o := &p.o
	if o.ID == "" {
		o.ID = r.sp.hash + ":" + strconv.Itoa(p.line)
	} else {
		r.checkDuplicate(o.ID, p.line)
	}
	if err := put(o); err != nil {
		return err
	}
	r.sum.Accepted++
	r.sum.PerForce[o.Force]++
	if o.Unit == hotgrid.OutsideUnits {
		r.sum.PerUnit[hotgrid.UnitOutsideLabel]++
	} else {
		r.sum.PerUnit[o.Unit]++
	}
	return nil
}
