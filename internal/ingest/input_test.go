package ingest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
)

// TestSpool checks in-memory and spilled inputs, plain and gzip, give the
// same bytes and the SHA-256 of the decompressed bytes.
func TestSpool(t *testing.T) {
	text := "\xEF\xBB\xBFa,b\r\n" + strings.Repeat("1,2\r\n", 5000)
	sum := sha256.Sum256([]byte(text))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	zw.Close()
	for _, tt := range []struct {
		name  string
		in    []byte
		limit int64
	}{
		{"plain in memory", []byte(text), memoryLimit},
		{"plain spilled", []byte(text), 100},
		{"gzip in memory", gz.Bytes(), memoryLimit},
		{"gzip spilled", gz.Bytes(), 100},
	} {
		sp, err := readSpool(bytes.NewReader(tt.in), tt.name, tt.limit)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if (sp.file != nil) != (tt.limit == 100) {
			t.Errorf("%s: spilled=%v", tt.name, sp.file != nil)
		}
		if sp.hash != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: hash %s, want the SHA-256 of the decompressed bytes", tt.name, sp.hash)
		}
		if sp.gzip != strings.HasPrefix(tt.name, "gzip") {
			t.Errorf("%s: gzip detected %v", tt.name, sp.gzip)
		}
		if got := sp.firstLine(); got != "a,b" {
			t.Errorf("%s: first line %q, want a,b (no BOM, no CR)", tt.name, got)
		}
		b, _ := io.ReadAll(sp.body())
		if string(b) != text[3:] {
			t.Errorf("%s: body differs from the input after the BOM", tt.name)
		}
		if got := sp.raw(5, 10); got != "1,2" {
			t.Errorf("%s: raw(5,10) = %q, want 1,2", tt.name, got)
		}
		sp.Close()
	}
}

func TestSpoolBadGzip(t *testing.T) {
	if _, err := readSpool(bytes.NewReader([]byte{0x1f, 0x8b, 0, 1, 2}), "x.csv.gz", memoryLimit); err == nil || !strings.Contains(err.Error(), "x.csv.gz") {
		t.Errorf("truncated gzip: error %v, want one naming the file", err)
	}
}

// TestSeenIDs records hashes crowded onto few slots (and the zero hash)
// through several growths: each repeat gives the first line recorded.
func TestSeenIDs(t *testing.T) {
	var s seenIDs
	hashes := []uint64{0}
	for i := 1; i <= 5000; i++ {
		hashes = append(hashes, uint64(i%7)|uint64(i)<<40) // low bits (the slot) repeat
	}
	for i, h := range hashes {
		if first, ok := s.firstLine(h, i+2); ok {
			t.Fatalf("hash %x reported as seen on line %d before it was recorded", h, first)
		}
	}
	for i, h := range hashes {
		if first, ok := s.firstLine(h, 99999); !ok || first != i+2 {
			t.Fatalf("hash %x: first line %d (%v), want %d", h, first, ok, i+2)
		}
	}
}
