package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

func runCmd(t *testing.T, db, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin),
		Getenv: func(k string) string {
			if k == "HOTGRID_DB" {
				return db
			}
			return ""
		}}
	err := run(context.Background(), env, args)
	return out.String() + errb.String(), err
}

func TestUserAndAuditCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	steps := []struct {
		stdin   string
		args    []string
		want    string
		wantErr bool
	}{
		{"correct horse\n", []string{"user", "add", "--role", "planner", "--unit", "B1", "alice"}, "added alice (planner, unit B1)", false},
		{"correct horse\n", []string{"user", "add", "--role", "chair", "carol"}, "added carol (chair, unit all)", false},
		{"correct horse\n", []string{"user", "add", "--role", "boss", "bob"}, "", true},
		{"short\n", []string{"user", "add", "--role", "viewer", "bob"}, "", true},
		{"correct horse\n", []string{"user", "add", "--role", "viewer", "alice"}, "", true},
		{"", []string{"user", "disable", "alice"}, "disabled alice", false},
		{"", []string{"user", "list"}, "alice  planner  B1    true", false},
		{"battery staple\n", []string{"user", "reset", "alice"}, "reset alice", false},
		{"", []string{"user", "token", "carol"}, "hgt_", false},
		{"", []string{"user", "disable", "nobody"}, "", true},
		{"", []string{"audit", "verify"}, "audit trail intact", false},
	}
	for _, s := range steps {
		out, err := runCmd(t, db, s.stdin, s.args...)
		if (err != nil) != s.wantErr || !strings.Contains(out, s.want) {
			t.Fatalf("%v: out %q, err %v; want %q (error %v)", s.args, out, err, s.want, s.wantErr)
		}
	}
	// tamper with the trail behind hotgrid's back: verify must fail
	d, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER audit_no_delete`, `DELETE FROM audit WHERE seq = 2`} {
		if _, err := d.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	out, err := runCmd(t, db, "", "audit", "verify")
	if err == nil || !strings.Contains(out, "record 3: sequence gap") {
		t.Fatalf("verify after delete: %q, %v", out, err)
	}
}
