// Package audittest is a conformance suite for hotgrid.AuditStore
// implementations: chaining, concurrent writers, and detection of a changed
// and a deleted record by audit.Verify.
package audittest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Tamperer changes a store behind the Logger's back, as an intruder with
// write access to the database would.
type Tamperer interface {
	// SetDetail overwrites one record's detail without rehashing it.
	SetDetail(seq int64, detail string) error
	// Delete removes one record.
	Delete(seq int64) error
}

// Run runs the suite; open returns an empty store and its tamperer.
func Run(t *testing.T, open func(t *testing.T) (hotgrid.AuditStore, Tamperer)) {
	t.Run("Chain", func(t *testing.T) { testChain(t, open) })
	t.Run("ConcurrentWriters", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("DetectsChange", func(t *testing.T) { testTamper(t, open, false) })
	t.Run("DetectsDelete", func(t *testing.T) { testTamper(t, open, true) })
	t.Run("DetectsTruncation", func(t *testing.T) { testTruncate(t, open) })
}

func clock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2017, 6, 1, 8, 0, 0, 123456789, time.FixedZone("BST", 3600))
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func fill(t *testing.T, s hotgrid.AuditStore, n int) *audit.Logger {
	t.Helper()
	l := &audit.Logger{Store: s, Now: clock()}
	for i := range n {
		_, err := l.Record(context.Background(), audit.Entry{User: "alice", Action: audit.ActionView,
			Objects: []string{"unit:B1", fmt.Sprintf("plan:%d", i)}, Detail: "hotgrids"})
		if err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func testChain(t *testing.T, open func(t *testing.T) (hotgrid.AuditStore, Tamperer)) {
	s, _ := open(t)
	ctx := context.Background()
	rep, err := audit.Verify(ctx, s, "")
	if err != nil || !rep.OK() || rep.Records != 0 {
		t.Fatalf("empty trail: %+v %v", rep, err)
	}
	fill(t, s, 5)
	l := &audit.Logger{Store: s}
	r, err := l.Record(ctx, audit.Entry{User: "bob", Action: audit.ActionExport, Objects: []string{"unit:B2"}, Recipient: "ops@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Seq != 6 || r.Time.Location() != time.UTC || r.Outcome != audit.OutcomeOK {
		t.Fatalf("record = %+v, want seq 6, UTC, ok", r)
	}
	var got []hotgrid.AuditRecord
	if err := s.ScanAudit(ctx, func(r *hotgrid.AuditRecord) error { got = append(got, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || got[5].Recipient != "ops@example.org" || got[0].Objects[1] != "plan:0" {
		t.Fatalf("scan = %+v", got)
	}
	if !got[0].Time.Equal(time.Date(2017, 6, 1, 7, 0, 1, 123456789, time.UTC)) {
		t.Errorf("time round trip: %v", got[0].Time)
	}
	rep, err = audit.Verify(ctx, s, got[2].Hash)
	if err != nil || !rep.OK() || rep.Records != 6 || rep.Head != r.Hash || rep.LastSeq != 6 {
		t.Fatalf("verify = %+v, %v", rep, err)
	}
	if _, err := l.Record(ctx, audit.Entry{}); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Errorf("entry without action: err = %v", err)
	}
}

func testConcurrent(t *testing.T, open func(t *testing.T) (hotgrid.AuditStore, Tamperer)) {
	s, _ := open(t)
	// Two loggers on one store act like two processes: their appends race
	// and must still form one chain.
	ls := []*audit.Logger{{Store: s}, {Store: s}}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := ls[i%2].Record(context.Background(), audit.Entry{User: "u", Action: audit.ActionView})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rep, err := audit.Verify(context.Background(), s, "")
	if err != nil || !rep.OK() || rep.Records != 40 {
		t.Fatalf("verify = %+v, %v", rep, err)
	}
}

func testTamper(t *testing.T, open func(t *testing.T) (hotgrid.AuditStore, Tamperer), del bool) {
	s, tam := open(t)
	fill(t, s, 10)
	var err error
	if del {
		err = tam.Delete(4)
	} else {
		err = tam.SetDetail(4, "nothing to see")
	}
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(context.Background(), s, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Fatalf("verify passed a tampered trail: %+v", rep)
	}
	want := "content changed"
	if del {
		want = "sequence gap"
	}
	found := false
	for _, p := range rep.Problems {
		if strings.HasPrefix(p.Reason, want) {
			found = true
		}
	}
	if !found {
		t.Errorf("problems %+v lack %q", rep.Problems, want)
	}
}

func testTruncate(t *testing.T, open func(t *testing.T) (hotgrid.AuditStore, Tamperer)) {
	s, tam := open(t)
	fill(t, s, 5)
	rep, err := audit.Verify(context.Background(), s, "")
	if err != nil || !rep.OK() {
		t.Fatal(rep, err)
	}
	anchor := rep.Head
	if err := tam.Delete(5); err != nil {
		t.Fatal(err)
	}
	rep, err = audit.Verify(context.Background(), s, anchor)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Fatalf("deleting the newest record passed verification with an anchor: %+v", rep)
	}
}
