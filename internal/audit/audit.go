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
// When the store implements Batcher, one writer goroutine (started by the
// first record) commits the records in the order they arrive, every record
// that queued while the previous commit ran in one transaction (group
// commit). Record waits for its own record's commit; Queue (views) returns
// once the record is queued, see Queue. Close commits what is queued and
// stops the writer: call it before closing the store.
type Logger struct {
	Store hotgrid.AuditStore
	Now   func() time.Time // time.Now when nil

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []*waiter
	tickets uint64               // entries queued so far
	stored  uint64               // ticket of the last entry committed
	running bool                 // the writer goroutine runs
	closed  bool                 // Close was called
	failed  error                // a queued (not waited for) record could not be stored
	head    *hotgrid.AuditRecord // last record this logger wrote (writer only)
	exited  chan struct{}
}

// MaxQueued is how many queued records Queue lets wait for the writer;
// beyond it Queue waits for the commit like Record (back-pressure, nothing
// is dropped).
const MaxQueued = 4096

// retryDelay is how long the writer waits before storing again records it
// could not store.
const retryDelay = 100 * time.Millisecond

// ErrClosed is returned for entries given after Close.
var ErrClosed = hotgrid.Errorf(hotgrid.EINTERNAL, "audit trail closed")

// Batcher is an AuditStore that appends several records in one
// transaction, all or none; ECONFLICT when the first Seq is taken.
type Batcher interface {
	InsertAuditBatch(ctx context.Context, rs []*hotgrid.AuditRecord) error
}

type waiter struct {
	e      Entry
	ticket uint64
	wait   bool // Record: the caller waits and learns the outcome
	done   bool
	rec    *hotgrid.AuditRecord
	err    error
}

// Record appends one entry and returns the stored record once it is
// durably stored.
func (l *Logger) Record(ctx context.Context, e Entry) (*hotgrid.AuditRecord, error) {
	if e.Action == "" {
		return nil, hotgrid.FieldErrorf("action", "audit entry has no action")
	}
	if b, ok := l.Store.(Batcher); ok {
		return l.recordBatched(b, e, true)
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

// Queue appends one entry without waiting for the store (for views, the
// bulk of the trail): the writer commits it with the next batch, at once
// when idle, else as soon as the commit running ends. Nothing is dropped: a
// record the store refuses stays queued and is stored again every
// retryDelay, and until that succeeds every Queue and Record call returns
// the failure, so requests are refused rather than go unrecorded. Close
// commits the queue. With more than MaxQueued records waiting, or a store
// that is not a Batcher, Queue is Record.
func (l *Logger) Queue(ctx context.Context, e Entry) error {
	if e.Action == "" {
		return hotgrid.FieldErrorf("action", "audit entry has no action")
	}
	b, ok := l.Store.(Batcher)
	if !ok {
		_, err := l.Record(ctx, e)
		return err
	}
	_, err := l.recordBatched(b, e, false)
	return err
}

// Sync waits until every entry queued before it is stored (or returns the
// failure that keeps one queued).
func (l *Logger) Sync(context.Context) error {
	if _, ok := l.Store.(Batcher); !ok {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	target := l.tickets
	for l.stored < target && l.failed == nil && l.running {
		l.cond.Wait()
	}
	return l.failed
}

// Close commits every queued entry, stops the writer and returns the
// failure that kept records from the store, if any. Entries given after
// Close get ErrClosed.
func (l *Logger) Close() error {
	l.mu.Lock()
	l.init()
	l.closed = true
	running, exited := l.running, l.exited
	l.cond.Broadcast()
	l.mu.Unlock()
	if running {
		<-exited
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.queue); n > 0 {
		return fmt.Errorf("audit trail closed with %d records not stored: %w", n, l.failed)
	}
	return nil
}

func (l *Logger) init() {
	if l.cond == nil {
		l.cond = sync.NewCond(&l.mu)
	}
}

// recordBatched queues e for the writer and, when wait (or the queue is
// full), waits for its commit.
func (l *Logger) recordBatched(b Batcher, e Entry, wait bool) (*hotgrid.AuditRecord, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	if l.closed {
		return nil, ErrClosed
	}
	if l.failed != nil {
		return nil, fmt.Errorf("audit trail failing, %d records waiting: %w", len(l.queue), l.failed)
	}
	if len(l.queue) >= MaxQueued {
		wait = true
	}
	l.tickets++
	w := &waiter{e: e, ticket: l.tickets, wait: wait}
	l.queue = append(l.queue, w)
	if !l.running {
		l.running, l.exited = true, make(chan struct{})
		go l.write(b)
	}
	l.cond.Broadcast()
	if !wait {
		return nil, nil
	}
	for !w.done {
		l.cond.Wait()
	}
	return w.rec, w.err
}

// write is the writer goroutine: it commits the queue, batch after batch,
// until Close and an empty queue (or a store that keeps failing at Close).
func (l *Logger) write(b Batcher) {
	l.mu.Lock()
	defer func() {
		l.running = false
		close(l.exited)
		l.cond.Broadcast()
		l.mu.Unlock()
	}()
	for {
		for len(l.queue) == 0 && !l.closed {
			l.cond.Wait()
		}
		if len(l.queue) == 0 {
			return
		}
		batch := l.queue
		l.queue = nil
		l.mu.Unlock()
		err := l.flush(context.Background(), b, batch)
		l.mu.Lock()
		var keep []*waiter
		for _, w := range batch {
			switch {
			case err == nil || w.wait:
				w.done, w.err = true, err
			default:
				keep = append(keep, w) // not waited for: store it again
			}
		}
		if err == nil {
			l.stored, l.failed = batch[len(batch)-1].ticket, nil
		} else if len(keep) > 0 {
			l.failed = err
			l.queue = append(keep, l.queue...)
		}
		l.cond.Broadcast()
		if err != nil {
			if l.closed && len(keep) > 0 {
				return // Close reports them
			}
			l.mu.Unlock()
			time.Sleep(retryDelay)
			l.mu.Lock()
		}
	}
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
