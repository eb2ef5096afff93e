package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Hash returns the hex SHA-256 of a record's content and Prev (Hash itself
// excluded). Times are hashed at nanosecond precision in UTC.
//
// The hashed bytes are the JSON array encoding/json makes of
// ["v1", Seq, Time (RFC 3339, ns), User, Action, Objects, Recipient,
// Outcome, Detail, Prev]; they are written here directly (appendJSONString
// escapes exactly as encoding/json does, which hash_test.go checks), so a
// record costs no reflection and one allocation.
func Hash(r *hotgrid.AuditRecord) string {
	var buf [512]byte
	b := append(buf[:0], `["`+recordHashVersion+`",`...)
	b = strconv.AppendInt(b, r.Seq, 10)
	b = append(b, ',', '"')
	b = r.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"', ',')
	b = appendJSONString(b, r.User)
	b = append(b, ',')
	b = appendJSONString(b, r.Action)
	b = append(b, ',', '[')
	for i, o := range r.Objects {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, o)
	}
	b = append(b, ']', ',')
	b = appendJSONString(b, r.Recipient)
	b = append(b, ',')
	b = appendJSONString(b, r.Outcome)
	b = append(b, ',')
	b = appendJSONString(b, r.Detail)
	b = append(b, ',')
	b = appendJSONString(b, r.Prev)
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
		dst = appendJSONString(dst, s)
	}
	return append(dst, ']')
}

// appendJSONString appends s quoted as encoding/json quotes a string: HTML
// characters, control characters, U+2028 and U+2029 escaped, invalid UTF-8
// replaced by U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
