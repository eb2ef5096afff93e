package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

const auditUsage = `usage: hotgrid audit <verify|list> [--db PATH|URL] [flags]

  verify [--anchor HASH] [--json]   check the hash chain; exit 1 on any change or deletion.
                                    --anchor is a head hash kept elsewhere: detects deleted newest records.
  list   [--last N]                 print the newest records`

func runAudit(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, auditUsage)
		return errors.New("audit: missing sub-command")
	}
	sub := args[0]
	fs := flag.NewFlagSet("audit "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dsn := fs.String("db", "", "store: SQLite path or postgres:// URL (default $HOTGRID_DB)")
	anchor := fs.String("anchor", "", "expected hash of a record (a head saved earlier)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	last := fs.Int("last", 20, "records to list")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openAccounts(ctx, env, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "verify":
		rep, err := audit.Verify(ctx, db, *anchor)
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(rep); err != nil {
				return err
			}
		} else {
			for _, p := range rep.Problems {
				fmt.Fprintf(env.Stdout, "record %d: %s\n", p.Seq, p.Reason)
			}
			fmt.Fprintf(env.Stdout, "%d records, head %s (seq %d)\n", rep.Records, rep.Head, rep.LastSeq)
		}
		if !rep.OK() {
			return fmt.Errorf("audit trail fails verification: %d problems", len(rep.Problems))
		}
		fmt.Fprintln(env.Stdout, "audit trail intact")
		return nil
	case "list":
		var rs []hotgrid.AuditRecord
		if err := db.ScanAudit(ctx, func(r *hotgrid.AuditRecord) error {
			rs = append(rs, *r)
			if len(rs) > *last {
				rs = rs[1:]
			}
			return nil
		}); err != nil {
			return err
		}
		for _, r := range rs {
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Seq, r.Time.Format("2006-01-02T15:04:05.000Z"),
				r.User, r.Action, r.Outcome, strings.Join(r.Objects, ","), r.Recipient)
		}
		return nil
	}
	fmt.Fprintln(env.Stderr, auditUsage)
	return fmt.Errorf("audit: unknown sub-command %q", sub)
}
