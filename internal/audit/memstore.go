package audit

import (
	"context"
	"sync"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// MemStore is an in-memory hotgrid.AuditStore for tests and demos. Records
// is exposed so tests can tamper with the trail.
type MemStore struct {
	mu      sync.Mutex
	Records []hotgrid.AuditRecord
}

// LastAudit implements hotgrid.AuditStore.
func (m *MemStore) LastAudit(context.Context) (*hotgrid.AuditRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.Records) == 0 {
		return nil, nil
	}
	r := m.Records[len(m.Records)-1]
	return &r, nil
}

// InsertAudit implements hotgrid.AuditStore.
func (m *MemStore) InsertAudit(_ context.Context, r *hotgrid.AuditRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := len(m.Records); n > 0 && m.Records[n-1].Seq >= r.Seq {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "audit record %d exists", r.Seq)
	}
	c := *r
	c.Objects = append([]string{}, r.Objects...)
	m.Records = append(m.Records, c)
	return nil
}

// ScanAudit implements hotgrid.AuditStore.
func (m *MemStore) ScanAudit(_ context.Context, fn func(*hotgrid.AuditRecord) error) error {
	m.mu.Lock()
	rs := append([]hotgrid.AuditRecord{}, m.Records...)
	m.mu.Unlock()
	for i := range rs {
		if err := fn(&rs[i]); err != nil {
			return err
		}
	}
	return nil
}
