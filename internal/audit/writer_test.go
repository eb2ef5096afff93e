package audit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// batchStore is a MemStore that takes batches (audit.Batcher), counts
// them, and fails while fail is set.
type batchStore struct {
	audit.MemStore
	mu      sync.Mutex
	batches int
	fail    error
}

func (b *batchStore) InsertAuditBatch(ctx context.Context, rs []*hotgrid.AuditRecord) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return b.fail
	}
	b.batches++
	for _, r := range rs {
		if err := b.InsertAudit(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (b *batchStore) setFail(err error) {
	b.mu.Lock()
	b.fail = err
	b.mu.Unlock()
}

// details lists the Detail of every stored record, checking the chain.
func details(t *testing.T, s hotgrid.AuditStore) []string {
	t.Helper()
	rep, err := audit.Verify(context.Background(), s, "")
	if err != nil || !rep.OK() {
		t.Fatalf("chain: %v %+v", err, rep)
	}
	var ds []string
	s.ScanAudit(context.Background(), func(r *hotgrid.AuditRecord) error {
		ds = append(ds, r.Detail)
		return nil
	})
	return ds
}

func TestQueueLandsInOrderAndCloseFlushes(t *testing.T) {
	ctx := context.Background()
	s := &batchStore{}
	l := &audit.Logger{Store: s}
	var want []string
	for i := range 500 {
		d := fmt.Sprint(i)
		want = append(want, d)
		if i%100 == 99 { // a waited-for record among the queued ones
			r, err := l.Record(ctx, audit.Entry{User: "u", Action: audit.ActionExport, Detail: d})
			if err != nil || r.Seq != int64(i+1) {
				t.Fatalf("record %d: %v %+v", i, err, r)
			}
			continue
		}
		if err := l.Queue(ctx, audit.Entry{User: "u", Action: audit.ActionView, Detail: d}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	got := details(t, s)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored %d records, want %d in order:\n%v", len(got), len(want), got)
	}
	if err := l.Queue(ctx, audit.Entry{Action: audit.ActionView}); !errors.Is(err, audit.ErrClosed) {
		t.Errorf("queue after Close: %v, want ErrClosed", err)
	}
}

func TestQueueConcurrentGroupCommit(t *testing.T) {
	ctx := context.Background()
	s := &batchStore{}
	l := &audit.Logger{Store: s}
	const writers, each = 50, 40
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := l.Queue(ctx, audit.Entry{User: fmt.Sprint(w), Action: audit.ActionView, Detail: fmt.Sprint(i)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if err := l.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(details(t, s)); n != writers*each { // Sync: all stored before Close
		t.Fatalf("after Sync %d records, want %d", n, writers*each)
	}
	// each writer's records are in its own order
	next := map[string]int{}
	for _, r := range s.Records {
		if r.Detail != fmt.Sprint(next[r.User]) {
			t.Fatalf("user %s: record %s after %d", r.User, r.Detail, next[r.User]-1)
		}
		next[r.User]++
	}
	if s.batches >= writers*each {
		t.Errorf("%d batches for %d records: no group commit", s.batches, writers*each)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// A store failure is visible: the waiting caller gets it, queued records
// stay queued and are stored again, and until then every call fails.
func TestQueueFailureVisibleAndRetried(t *testing.T) {
	ctx := context.Background()
	s := &batchStore{}
	l := &audit.Logger{Store: s}
	if err := l.Queue(ctx, audit.Entry{Action: audit.ActionView, Detail: "0"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	down := errors.New("disk full")
	s.setFail(down)
	if err := l.Queue(ctx, audit.Entry{Action: audit.ActionView, Detail: "1"}); err != nil {
		t.Fatal(err) // queued: the failure comes with the commit
	}
	if err := l.Sync(ctx); !errors.Is(err, down) {
		t.Fatalf("sync over a failing store: %v", err)
	}
	if err := l.Queue(ctx, audit.Entry{Action: audit.ActionView, Detail: "2"}); !errors.Is(err, down) {
		t.Fatalf("queue while failing: %v, want the failure", err)
	}
	if _, err := l.Record(ctx, audit.Entry{Action: audit.ActionExport, Detail: "3"}); !errors.Is(err, down) {
		t.Fatalf("record while failing: %v, want the failure", err)
	}
	s.setFail(nil) // the writer stores record 1 on its next attempt
	for {
		err := l.Queue(ctx, audit.Entry{Action: audit.ActionView, Detail: "4"})
		if err == nil {
			break
		}
		if !errors.Is(err, down) {
			t.Fatal(err)
		}
		if err := l.Sync(ctx); err != nil && !errors.Is(err, down) {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(details(t, s)); got != "[0 1 4]" {
		t.Fatalf("stored %s, want [0 1 4] (2 and 3 were refused)", got)
	}
}

// Close over a store that keeps failing says how many records it lost.
func TestCloseReportsUnstored(t *testing.T) {
	ctx := context.Background()
	s := &batchStore{}
	s.setFail(errors.New("disk full"))
	l := &audit.Logger{Store: s}
	if err := l.Queue(ctx, audit.Entry{Action: audit.ActionView}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err == nil {
		t.Fatal("Close lost a record without an error")
	}
}
