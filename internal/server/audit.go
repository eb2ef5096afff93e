package server

import (
	"context"
	"net/http"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// auditList answers the newest audit records (?last=N, default 100).
func (a *API) auditList(ctx context.Context, c *call) *Response {
	if err := checkParams(c.Query, "last"); err != nil {
		return a.fail(err)
	}
	n, err := parseInt("last", c.Query.Get("last"), 1, 10000, 100)
	if err != nil {
		return a.fail(err)
	}
	if err := a.auth.Audit.Sync(ctx); err != nil { // the views queued so far
		return a.fail(err)
	}
	var rs []hotgrid.AuditRecord
	err = a.auth.Audit.Store.ScanAudit(ctx, func(r *hotgrid.AuditRecord) error {
		rs = append(rs, *r)
		if len(rs) > n {
			rs = rs[1:]
		}
		return nil
	})
	if err != nil {
		return a.fail(err)
	}
	if rs == nil {
		rs = []hotgrid.AuditRecord{}
	}
	return a.noStoreJSON(http.StatusOK, rs)
}

// auditVerify checks the hash chain (?anchor= a head hash kept elsewhere).
func (a *API) auditVerify(ctx context.Context, c *call) *Response {
	if err := checkParams(c.Query, "anchor"); err != nil {
		return a.fail(err)
	}
	if err := a.auth.Audit.Sync(ctx); err != nil {
		return a.fail(err)
	}
	rep, err := audit.Verify(ctx, a.auth.Audit.Store, c.Query.Get("anchor"))
	if err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusOK, map[string]any{"ok": rep.OK(), "report": rep})
}
