package server_test

import (
	"context"
	"net/url"
	"testing"
)

// BenchmarkAccuracy measures /api/v1/accuracy over 12,000 synthetic
// offences: cold (a new server: the backtest runs) and kept (served from
// the per-data-version cache).
func BenchmarkAccuracy(b *testing.B) {
	q := url.Values{"format": {"json"}}
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			e := newBacktestEnv(b, nil)
			b.StartTimer()
			if r := e.api.Get(context.Background(), "/api/v1/accuracy", q); r.Status != 200 {
				b.Fatalf("%d %s", r.Status, r.Body)
			}
		}
	})
	b.Run("kept", func(b *testing.B) {
		e := newBacktestEnv(b, nil)
		e.api.Get(context.Background(), "/api/v1/accuracy", q)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if r := e.api.Get(context.Background(), "/api/v1/accuracy", q); r.Status != 200 {
				b.Fatalf("%d", r.Status)
			}
		}
	})
}
