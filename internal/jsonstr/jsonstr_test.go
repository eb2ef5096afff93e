package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
)

// cases cover every escape class and invalid UTF-8.
var cases = []string{
	"", "plain", `quote " backslash \`, "ctl \x00\x01\b\f\n\r\t\x1f end", "<a href='x'>&amp;</a>",
	"line\u2028sep\u2029para", "bad \xff\xfe utf8", "ünïcødé, emoji 🚓", "\xe2\x80", "tail \xc3",
}

// TestAppendHTMLMatchesEncodingJSON: with html set, the bytes are exactly
// encoding/json's.
func TestAppendHTMLMatchesEncodingJSON(t *testing.T) {
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := Append(nil, s, true); !bytes.Equal(got, want) {
			t.Errorf("Append(%q, html) = %s, want %s", s, got, want)
		}
	}
}

// TestAppendPlainHTML: without html, <, > and & stay as they are and the
// string still decodes to what encoding/json reads back from its own.
func TestAppendPlainHTML(t *testing.T) {
	for _, s := range cases {
		got := Append([]byte("x"), s, false)[1:]
		var back, ref string
		want, _ := json.Marshal(s)
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("Append(%q) = %s: %v", s, got, err)
		}
		json.Unmarshal(want, &ref)
		if back != ref {
			t.Errorf("Append(%q) decodes to %q, want %q", s, back, ref)
		}
	}
	if got := string(Append(nil, "<&>", false)); got != `"<&>"` {
		t.Errorf("html characters escaped without html: %s", got)
	}
}

// FuzzAppend checks any string against encoding/json.
func FuzzAppend(f *testing.F) {
	for _, s := range cases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := Append(nil, s, true); !bytes.Equal(got, want) {
			t.Errorf("Append(%q, html) = %s, want %s", s, got, want)
		}
	})
}
