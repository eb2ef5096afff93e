package audit_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// jsonHash is the record hash as first written, with encoding/json: Hash
// must give exactly this for every record, or stored chains stop verifying.
func jsonHash(r *hotgrid.AuditRecord) string {
	objs := r.Objects
	if objs == nil {
		objs = []string{}
	}
	b, _ := json.Marshal([]any{"v1", r.Seq, r.Time.UTC().Format(time.RFC3339Nano),
		r.User, r.Action, objs, r.Recipient, r.Outcome, r.Detail, r.Prev})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// awkward strings: every escape encoding/json makes.
var awkward = []string{"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnl\ncr\rbs\bff\f",
	"\x00\x01\x1f\x7f", "café ☕ 𝄞", "line\u2028para\u2029", "bad \xff\xfe utf8 \xe2\x82", "end\xc3"}

func TestHashMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 11, 26, 14, 3, 5, 123456789, time.FixedZone("BST", 3600))
	for i, s := range awkward {
		for _, objs := range [][]string{nil, {}, {s}, {"GET /x?a=1&b=<2>", s, "unit:B1"}} {
			r := &hotgrid.AuditRecord{Seq: int64(i) * 1e12, Time: at.Add(time.Duration(i)), User: s, Action: "view",
				Objects: objs, Recipient: s, Outcome: "ok", Detail: s + "!", Prev: "00ff"}
			if got, want := audit.Hash(r), jsonHash(r); got != want {
				t.Errorf("%q %q: hash %s, encoding/json %s", s, objs, got, want)
			}
		}
		want, _ := json.Marshal([]string{s, s + s})
		if got := audit.AppendJSONStrings(nil, []string{s, s + s}); string(got) != string(want) {
			t.Errorf("AppendJSONStrings(%q) = %s, want %s", s, got, want)
		}
	}
	if got := audit.AppendJSONStrings(nil, nil); string(got) != "[]" {
		t.Errorf("nil = %s", got)
	}
}

func FuzzHashMatchesEncodingJSON(f *testing.F) {
	for _, s := range awkward {
		f.Add(s, s+"x", int64(len(s)), int64(1700000000123456789))
	}
	f.Fuzz(func(t *testing.T, a, b string, seq, ns int64) {
		r := &hotgrid.AuditRecord{Seq: seq, Time: time.Unix(0, ns), User: a, Action: b, Objects: []string{b, a},
			Recipient: a, Outcome: b, Detail: a + b, Prev: b}
		if got, want := audit.Hash(r), jsonHash(r); got != want {
			t.Fatalf("%q %q: hash %s, encoding/json %s", a, b, got, want)
		}
	})
}
