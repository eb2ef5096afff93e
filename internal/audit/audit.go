// Package audit writes and verifies hotgrid's audit trail: one record for
// every view of data, export, plan change, login and failed access (UK Data
// Protection Act 2018 s.62). Records are hash-chained: each carries the
// SHA-256 of its content and of the previous record, so a changed or a
// deleted record breaks the chain and Verify finds it.
package audit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Actions written by hotgrid.
const (
	ActionLogin        = "login"
	ActionLoginFailed  = "login.failed"
	ActionLogout       = "logout"
	ActionView         = "view"
	ActionExport       = "export"
	ActionDenied       = "access.denied"
	ActionPlanCreate   = "plan.create"
	ActionPlanUpdate   = "plan.update"
	ActionPlanState    = "plan.state"
	ActionPlanVersion  = "plan.version"
	ActionCapacity     = "capacity.set"
	ActionPatrolAdd    = "patrol.add"
	ActionUserAdd      = "user.add"
	ActionUserDisable  = "user.disable"
	ActionUserReset    = "user.reset"
	ActionTokenCreate  = "token.create"
	OutcomeOK          = "ok"
	OutcomeDenied      = "denied"
	OutcomeFailed      = "failed"
	genesis            = "0000000000000000000000000000000000000000000000000000000000000000"
	maxChainRetries    = 100
	recordHashVersion  = "v1"
	defaultOutcomeText = OutcomeOK
)

// Entry is what a caller records; the Logger adds the time, sequence and
// hashes.
type Entry struct {
	User      string
	Action    string
	Objects   []string
	Recipient string // who an export goes to
	Outcome   string // ok when empty
	Detail    string
}

// Logger appends records to a store. It is safe for concurrent use; writers
// in other processes are handled by the store's unique sequence.
//
// When the store implements Batcher, concurrent Record calls are committed
// together (group commit): each call still returns only once its own record
// is durably stored, but one transaction carries every record that arrived
// while the previous one was being written.
type Logger struct {
	Store hotgrid.AuditStore
	Now   func() time.Time // time.Now when nil

	mu       sync.Mutex
	pending  []*waiter
	flushing bool
	head     *hotgrid.AuditRecord // last record this logger wrote (batch leader only)
}

// Batcher is an AuditStore that appends several records in one
// transaction, all or none; ECONFLICT when the first Seq is taken.
type Batcher interface {
	InsertAuditBatch(ctx context.Context, rs []*hotgrid.AuditRecord) error
}

type waiter struct {
	e    Entry
	rec  *hotgrid.AuditRecord
	done chan error
}

// Record appends one entry and returns the stored record.
func (l *Logger) Record(ctx context.Context, e Entry) (*hotgrid.AuditRecord, error) {
	if e.Action == "" {
		return nil, hotgrid.FieldErrorf("action", "audit entry has no action")
	}
	if b, ok := l.Store.(Batcher); ok {
		return l.recordBatched(ctx, b, e)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for range maxChainRetries {
		last, err := l.Store.LastAudit(ctx)
		if err != nil {
			return nil, fmt.Errorf("read last audit record: %w", err)
		}
		r := l.seal(e, last)
		err = l.Store.InsertAudit(ctx, r)
		if hotgrid.ErrorCode(err) == hotgrid.ECONFLICT {
			continue // another process appended first: chain onto its record
		} else if err != nil {
			return nil, fmt.Errorf("append audit record: %w", err)
		}
		return r, nil
	}
	return nil, hotgrid.Errorf(hotgrid.ECONFLICT, "audit trail busy: gave up after %d attempts", maxChainRetries)
}

// recordBatched queues e; the first caller to find no flush running
// becomes the leader and writes every queued record, batch after batch,
// until the queue is empty.
func (l *Logger) recordBatched(ctx context.Context, b Batcher, e Entry) (*hotgrid.AuditRecord, error) {
	w := &waiter{e: e, done: make(chan error, 1)}
	l.mu.Lock()
	l.pending = append(l.pending, w)
	if !l.flushing {
		l.flushing = true
		for len(l.pending) > 0 {
			batch := l.pending
			l.pending = nil
			l.mu.Unlock()
			err := l.flush(context.WithoutCancel(ctx), b, batch)
			for _, x := range batch {
				x.done <- err
			}
			l.mu.Lock()
		}
		l.flushing = false
	}
	l.mu.Unlock()
	if err := <-w.done; err != nil {
		return nil, err
	}
	return w.rec, nil
}

// flush chains and stores one batch, chaining again when another process
// appended first.
func (l *Logger) flush(ctx context.Context, b Batcher, batch []*waiter) error {
	for range maxChainRetries {
		// Chain onto the record this logger wrote last; another writer
		// having appended since makes the insert conflict, and the next
		// attempt reads the store.
		last := l.head
		if last == nil {
			var err error
			if last, err = l.Store.LastAudit(ctx); err != nil {
				return fmt.Errorf("read last audit record: %w", err)
			}
		}
		rs := make([]*hotgrid.AuditRecord, len(batch))
		for i, w := range batch {
			rs[i] = l.seal(w.e, last)
			last = rs[i]
		}
		err := b.InsertAuditBatch(ctx, rs)
		if hotgrid.ErrorCode(err) == hotgrid.ECONFLICT {
			l.head = nil
			continue
		} else if err != nil {
			l.head = nil
			return fmt.Errorf("append audit records: %w", err)
		}
		for i, w := range batch {
			w.rec = rs[i]
		}
		l.head = rs[len(rs)-1]
		return nil
	}
	return hotgrid.Errorf(hotgrid.ECONFLICT, "audit trail busy: gave up after %d attempts", maxChainRetries)
}

func (l *Logger) seal(e Entry, last *hotgrid.AuditRecord) *hotgrid.AuditRecord {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	r := &hotgrid.AuditRecord{
		Seq: 1, Time: now().UTC(), User: e.User, Action: e.Action,
		Objects: append([]string{}, e.Objects...), Recipient: e.Recipient,
		Outcome: e.Outcome, Detail: e.Detail, Prev: genesis,
	}
	if r.Outcome == "" {
		r.Outcome = defaultOutcomeText
	}
	if last != nil {
		r.Seq, r.Prev = last.Seq+1, last.Hash
	}
	r.Hash = Hash(r)
	return r
}

// Problem is one break in the chain.
type Problem struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// Report is the result of Verify.
type Report struct {
	Records  int       `json:"records"`
	Head     string    `json:"head"` // hash of the newest record: keep a copy elsewhere to detect truncation
	LastSeq  int64     `json:"last_seq"`
	Problems []Problem `json:"problems"`
}

// OK reports whether the chain is intact.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Verify walks the trail and reports every record whose content does not
// match its hash (changed), whose Prev does not match the previous record
// (changed or deleted before it), and every gap in the sequence (deleted).
// If head is not empty it must be the hash of some record of the chain (an
// anchor kept elsewhere), which detects truncation of the newest records.
func Verify(ctx context.Context, s hotgrid.AuditStore, head string) (*Report, error) {
	rep := &Report{Head: genesis}
	var prev *hotgrid.AuditRecord
	headSeen := head == ""
	err := s.ScanAudit(ctx, func(r *hotgrid.AuditRecord) error {
		rep.Records++
		if h := Hash(r); h != r.Hash {
			rep.add(r.Seq, "content changed: stored hash %.12s, content hashes to %.12s", r.Hash, h)
		}
		wantSeq, wantPrev := int64(1), genesis
		if prev != nil {
			wantSeq, wantPrev = prev.Seq+1, prev.Hash
		}
		if r.Seq != wantSeq {
			rep.add(r.Seq, "sequence gap: records %d to %d missing (deleted)", wantSeq, r.Seq-1)
		}
		if r.Prev != wantPrev {
			rep.add(r.Seq, "chain broken: prev %.12s does not match the previous record's hash %.12s", r.Prev, wantPrev)
		}
		if r.Hash == head {
			headSeen = true
		}
		c := *r
		prev = &c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan audit trail: %w", err)
	}
	if prev != nil {
		rep.Head, rep.LastSeq = prev.Hash, prev.Seq
	}
	if !headSeen {
		rep.add(rep.LastSeq, "anchor %.12s not found: newest records deleted or replaced", head)
	}
	return rep, nil
}

func (r *Report) add(seq int64, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{Seq: seq, Reason: fmt.Sprintf(format, args...)})
}
