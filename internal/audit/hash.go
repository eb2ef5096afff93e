package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/jsonstr"
)

// Hash returns the hex SHA-256 of a record's content and Prev (Hash itself
// excluded). Times are hashed at nanosecond precision in UTC.
//
// The hashed bytes are the JSON array encoding/json makes of
// ["v1", Seq, Time (RFC 3339, ns), User, Action, Objects, Recipient,
// Outcome, Detail, Prev]; they are written here directly (jsonstr.Append
// escapes exactly as encoding/json does, which hash_test.go checks), so a
// record costs no reflection and one allocation.
func Hash(r *hotgrid.AuditRecord) string {
	var buf [512]byte
	b := append(buf[:0], `["`+recordHashVersion+`",`...)
	b = strconv.AppendInt(b, r.Seq, 10)
	b = append(b, ',', '"')
	b = r.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"', ',')
	b = jsonstr.Append(b, r.User, true)
	b = append(b, ',')
	b = jsonstr.Append(b, r.Action, true)
	b = append(b, ',', '[')
	for i, o := range r.Objects {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.Append(b, o, true)
	}
	b = append(b, ']', ',')
	b = jsonstr.Append(b, r.Recipient, true)
	b = append(b, ',')
	b = jsonstr.Append(b, r.Outcome, true)
	b = append(b, ',')
	b = jsonstr.Append(b, r.Detail, true)
	b = append(b, ',')
	b = jsonstr.Append(b, r.Prev, true)
	b = append(b, ']')
	sum := sha256.Sum256(b)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	return string(h[:])
}

// AppendJSONStrings appends ss as a JSON array of strings, byte for byte
// what encoding/json.Marshal gives ([] for nil).
func AppendJSONStrings(dst []byte, ss []string) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonstr.Append(dst, s, true)
	}
	return append(dst, ']')
}
