// Package memory is a hotgrid.OffenceStore held in process memory. It
// backs read-only commands on the embedded demo data, where loading 227k
// offences into SQLite first would only slow start-up; it keeps the same
// semantics as the SQLite store (one file all or nothing, idempotent by ID
// or source hash and row, insertion-order scans).
package memory

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Store keeps offences and sources in memory. The zero value is not ready:
// use New.
type Store struct {
	mu       sync.RWMutex
	offences []hotgrid.Offence
	ids      map[string]struct{}
	sources  []hotgrid.SourceFile
	version  int64
}

// New returns an empty store.
func New() *Store { return &Store{ids: make(map[string]struct{})} }

// IngestFile stores one file: every offence fill puts, or none if fill or
// put fails. Offences whose ID is already stored are skipped.
func (s *Store) IngestFile(ctx context.Context, src hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var batch []hotgrid.Offence
	seen := make(map[string]struct{})
	err := fill(func(o *hotgrid.Offence) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		id := o.ID
		if id == "" {
			id = src.Hash + ":" + strconv.Itoa(o.Source.Row)
		}
		if _, dup := s.ids[id]; dup {
			return nil
		}
		if _, dup := seen[id]; dup {
			return nil
		}
		seen[id] = struct{}{}
		c := *o
		c.ID, c.Source.File, c.Source.Hash = id, src.Name, src.Hash
		batch = append(batch, c)
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.commit(src, batch, seen)
	return len(batch), nil
}

// commit adds a file's new offences and records its source. Callers hold mu.
func (s *Store) commit(src hotgrid.SourceFile, batch []hotgrid.Offence, seen map[string]struct{}) {
	for id := range seen {
		s.ids[id] = struct{}{}
	}
	s.offences = append(s.offences, batch...)
	if len(batch) > 0 {
		s.version++
	}
	i := slices.IndexFunc(s.sources, func(f hotgrid.SourceFile) bool { return f.Hash == src.Hash })
	if i >= 0 {
		return
	}
	src.Accepted = len(batch)
	src.IngestedAt = time.Now().UTC()
	src.MinTime, src.MaxTime = timeRange(batch)
	s.sources = append(s.sources, src)
}

// RecordSource updates a stored source's counts after ingest has read the
// whole file.
func (s *Store) RecordSource(_ context.Context, src hotgrid.SourceFile) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.sources {
		if s.sources[i].Hash == src.Hash {
			f := &s.sources[i]
			f.Rows, f.Accepted, f.Rejected = src.Rows, src.Accepted, src.Rejected
			if !src.MinTime.IsZero() {
				f.MinTime, f.MaxTime = src.MinTime, src.MaxTime
			}
			return nil
		}
	}
	return hotgrid.Errorf(hotgrid.ENOTFOUND, "no source with hash %s", src.Hash)
}

// ScanOffences calls fn for each offence matching f, in insertion order.
// The offence passed to fn is reused between calls.
func (s *Store) ScanOffences(ctx context.Context, f hotgrid.OffenceFilter, fn func(*hotgrid.Offence) error) error {
	s.mu.RLock()
	offs := s.offences
	s.mu.RUnlock()
	var o hotgrid.Offence
	for i := range offs {
		if !matches(&offs[i], f) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("scan offences: %w", err)
		}
		o = offs[i]
		if err := fn(&o); err != nil {
			return err
		}
	}
	return nil
}

// matches applies an OffenceFilter as the SQLite store does: windows
// overlapping [From, To), instants at or after From.
func matches(o *hotgrid.Offence, f hotgrid.OffenceFilter) bool {
	if !f.To.IsZero() && !o.From.Before(f.To) {
		return false
	}
	if !f.From.IsZero() && !o.To.After(f.From) && o.From.Before(f.From) {
		return false
	}
	if len(f.Units) > 0 && !slices.Contains(f.Units, o.Unit) {
		return false
	}
	return f.Force == "" || o.Force == f.Force
}

// Sources lists the ingested files in ingest order.
func (s *Store) Sources(context.Context) ([]hotgrid.SourceFile, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.sources), nil
}

// DataVersion counts the ingests that added offences.
func (s *Store) DataVersion(context.Context) (int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version, nil
}

// Close releases nothing; it exists to satisfy hotgrid.OffenceStore.
func (s *Store) Close() error { return nil }

func timeRange(offs []hotgrid.Offence) (lo, hi time.Time) {
	for i, o := range offs {
		if i == 0 || o.From.Before(lo) {
			lo = o.From
		}
		if i == 0 || o.To.After(hi) {
			hi = o.To
		}
	}
	return lo, hi
}
