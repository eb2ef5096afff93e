// Package jsonstr appends strings quoted as JSON, without reflection or
// allocation, for the hand-written encoders (GeoJSON export, the audit
// record hash).
package jsonstr

import "unicode/utf8"

// hexDigits are the digits of \u escapes.
const hexDigits = "0123456789abcdef"

// Append appends s quoted as encoding/json quotes a string: control
// characters, U+2028 and U+2029 escaped, invalid UTF-8 replaced by U+FFFD,
// and, when html is set, <, > and & escaped too (encoding/json's default,
// which the audit hash depends on).
func Append(dst []byte, s string, html bool) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if plain(c, html) {
				i++
				continue
			}
			dst = appendEscape(append(dst, s[start:i]...), c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plain reports whether an ASCII byte stands for itself in a JSON string.
func plain(c byte, html bool) bool {
	return c >= 0x20 && c != '"' && c != '\\' && !(html && (c == '<' || c == '>' || c == '&'))
}

// appendEscape appends the escape of an ASCII byte that is not plain.
func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
