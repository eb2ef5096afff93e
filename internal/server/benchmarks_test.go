package server_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"sync"
	"testing"

	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

var (
	benchOnce sync.Once
	benchAPI  *server.API
)

// benchmarkAPI is the core over the real engine and 40,000 synthetic
// offences, warmed as the server warms itself.
func benchmarkAPI(b *testing.B) *server.API {
	benchOnce.Do(func() {
		a, err := server.New(server.Config{Service: syntheticEngine(b, 40000), Version: "bench", Open: true})
		if err != nil {
			b.Fatal(err)
		}
		a.Warm(context.Background())
		benchAPI = a
	})
	return benchAPI
}

// BenchmarkHotgrids is a repeated /api/v1/hotgrids view: parameter parsing,
// the cache look-up and the headers.
func BenchmarkHotgrids(b *testing.B) {
	a := benchmarkAPI(b)
	q := url.Values{"metric": {"harm"}, "top": {"10"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := a.Get(context.Background(), "/api/v1/hotgrids", q); r.Status != 200 {
			b.Fatal(r.Status)
		}
	}
}

// BenchmarkHotgridsNotModified is a revalidation answered with 304.
func BenchmarkHotgridsNotModified(b *testing.B) {
	a := benchmarkAPI(b)
	etag := a.Get(context.Background(), "/api/v1/hotgrids", nil).Header["ETag"]
	req := server.Request{Method: "GET", Path: "/api/v1/hotgrids", Query: url.Values{}, IfNoneMatch: etag}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := a.Serve(context.Background(), req); r.Status != 304 {
			b.Fatal(r.Status)
		}
	}
}

// BenchmarkTileRandom cuts random z12..z15 tiles over the force area (no
// tile is kept between requests; the query's cell index is).
func BenchmarkTileRandom(b *testing.B) {
	a := benchmarkAPI(b)
	r := rand.New(rand.NewPCG(3, 4))
	min, max := orb.Point{-2.21, 52.36}, orb.Point{-1.42, 52.66}
	paths := make([]string, 512)
	for i := range paths {
		z := maptile.Zoom(12 + r.IntN(4))
		t := maptile.At(orb.Point{min[0] + r.Float64()*(max[0]-min[0]), min[1] + r.Float64()*(max[1]-min[1])}, z)
		paths[i] = tilePath(t)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := a.Get(context.Background(), paths[i%len(paths)], nil); res.Status != 200 && res.Status != 204 {
			b.Fatal(res.Status, string(res.Body))
		}
	}
}

// BenchmarkCellDetail is a repeated cell detail.
func BenchmarkCellDetail(b *testing.B) {
	a := benchmarkAPI(b)
	fc := a.Get(context.Background(), "/api/v1/hotgrids", url.Values{"top": {"1"}})
	h3 := string(fc.Body[bytesIndex(fc.Body, `"h3":"`)+6:][:15])
	if r := a.Get(context.Background(), "/api/v1/cells/"+h3, nil); r.Status != 200 {
		b.Fatal(r.Status, string(r.Body))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := a.Get(context.Background(), "/api/v1/cells/"+h3, nil); r.Status != 200 {
			b.Fatal(r.Status)
		}
	}
}

// BenchmarkBadParameter is a rejected request.
func BenchmarkBadParameter(b *testing.B) {
	a := benchmarkAPI(b)
	q := url.Values{"unit": {"nowhere"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := a.Get(context.Background(), "/api/v1/hotgrids", q); r.Status != 400 {
			b.Fatal(r.Status)
		}
	}
}

func bytesIndex(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}
