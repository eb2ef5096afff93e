package audit_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/audit/audittest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

type memTamper struct{ m *audit.MemStore }

func (t memTamper) SetDetail(seq int64, d string) error {
	for i := range t.m.Records {
		if t.m.Records[i].Seq == seq {
			t.m.Records[i].Detail = d
			return nil
		}
	}
	return fmt.Errorf("no record %d", seq)
}

func (t memTamper) Delete(seq int64) error {
	t.m.Records = slices.DeleteFunc(t.m.Records, func(r hotgrid.AuditRecord) bool { return r.Seq == seq })
	return nil
}

func TestMemStore(t *testing.T) {
	audittest.Run(t, func(*testing.T) (hotgrid.AuditStore, audittest.Tamperer) {
		m := &audit.MemStore{}
		return m, memTamper{m}
	})
}

func TestHashCoversEveryField(t *testing.T) {
	base := hotgrid.AuditRecord{Seq: 3, User: "u", Action: "view", Objects: []string{"a"}, Recipient: "r", Outcome: "ok", Detail: "d", Prev: "p"}
	h := audit.Hash(&base)
	muts := map[string]func(r *hotgrid.AuditRecord){
		"seq":       func(r *hotgrid.AuditRecord) { r.Seq = 4 },
		"user":      func(r *hotgrid.AuditRecord) { r.User = "v" },
		"action":    func(r *hotgrid.AuditRecord) { r.Action = "export" },
		"objects":   func(r *hotgrid.AuditRecord) { r.Objects = []string{"b"} },
		"recipient": func(r *hotgrid.AuditRecord) { r.Recipient = "" },
		"outcome":   func(r *hotgrid.AuditRecord) { r.Outcome = "denied" },
		"detail":    func(r *hotgrid.AuditRecord) { r.Detail = "" },
		"prev":      func(r *hotgrid.AuditRecord) { r.Prev = "q" },
		"time":      func(r *hotgrid.AuditRecord) { r.Time = r.Time.Add(1) },
		// field boundaries are unambiguous
		"shift": func(r *hotgrid.AuditRecord) { r.User, r.Action = "uv", "iew" },
	}
	for name, m := range muts {
		r := base
		r.Objects = slices.Clone(base.Objects)
		m(&r)
		if audit.Hash(&r) == h {
			t.Errorf("%s: hash unchanged", name)
		}
	}
}
