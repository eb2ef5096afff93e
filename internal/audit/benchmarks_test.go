package audit_test

import (
	"context"
	"testing"

	"github.com/hotgrid/hotgrid/internal/audit"
)

func BenchmarkRecordMem(b *testing.B) {
	l := &audit.Logger{Store: &audit.MemStore{}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Record(context.Background(), audit.Entry{User: "u", Action: audit.ActionView, Objects: []string{"unit:B1"}}); err != nil {
			b.Fatal(err)
		}
	}
}
