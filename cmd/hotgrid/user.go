package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	store "github.com/hotgrid/hotgrid/internal/store/open"
)

const userUsage = `usage: hotgrid user <add|disable|reset|list|token> [flags] NAME

  add     --role viewer|planner|chair|admin [--unit CODE] NAME   (password read from stdin)
  disable NAME                                                  (ends its sessions at once)
  reset   NAME                                                  (new password from stdin; re-enables)
  list
  token   [--label NAME] NAME                                   (prints a read-only API token once)

every sub-command takes --db PATH|URL (default $HOTGRID_DB)`

// accountsDB is a store that keeps accounts and the audit trail.
type accountsDB interface {
	hotgrid.AccountStore
	hotgrid.AuditStore
	Close() error
}

// openAccounts opens the --db store as an account and audit store.
func openAccounts(ctx context.Context, env *Env, dsn string) (accountsDB, error) {
	if dsn == "" {
		dsn = env.Getenv("HOTGRID_DB")
	}
	if dsn == "" {
		return nil, errors.New("no database: give --db PATH|URL or set HOTGRID_DB (accounts need a persistent store)")
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	db, ok := s.(accountsDB)
	if !ok {
		s.Close()
		return nil, fmt.Errorf("store %T keeps no accounts or audit trail", s)
	}
	return db, nil
}

func actor(env *Env) string {
	if u := env.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, userUsage)
		return errors.New("user: missing sub-command")
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dsn := fs.String("db", "", "store: SQLite path or postgres:// URL (default $HOTGRID_DB)")
	role := fs.String("role", "", "role for add: viewer, planner, chair or admin")
	unit := fs.String("unit", "", "unit code the account is limited to (empty: every unit)")
	label := fs.String("label", "api", "label of an API token")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	name := fs.Arg(0)
	if sub != "list" && (fs.NArg() != 1 || name == "") {
		fmt.Fprintln(env.Stderr, userUsage)
		return fmt.Errorf("user %s: want exactly one account NAME", sub)
	}
	db, err := openAccounts(ctx, env, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &auth.Service{Store: db}
	log := &audit.Logger{Store: db}
	record := func(action string) error {
		_, err := log.Record(ctx, audit.Entry{User: actor(env), Action: action, Objects: []string{"user:" + name}})
		return err
	}
	switch sub {
	case "add":
		r, err := hotgrid.ParseRole(*role)
		if err != nil {
			return fmt.Errorf("user add: --role: %w", err)
		}
		pw, err := readPassword(env, "password for "+name+": ")
		if err != nil {
			return err
		}
		u, err := svc.AddUser(ctx, name, pw, r, *unit)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "added %s (%s, unit %s)\n", u.Name, u.Role, unitLabel(u.Unit))
		return record(audit.ActionUserAdd)
	case "disable":
		if _, err := svc.Disable(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "disabled %s; its sessions have ended\n", name)
		return record(audit.ActionUserDisable)
	case "reset":
		pw, err := readPassword(env, "new password for "+name+": ")
		if err != nil {
			return err
		}
		if _, err := svc.ResetPassword(ctx, name, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "reset %s; its sessions have ended\n", name)
		return record(audit.ActionUserReset)
	case "token":
		u, err := db.UserByName(ctx, name)
		if err != nil {
			return err
		}
		tok, err := svc.CreateToken(ctx, u, *label)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, tok)
		return record(audit.ActionTokenCreate)
	case "list":
		us, err := db.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tUNIT\tDISABLED")
		for _, u := range us {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\n", u.Name, u.Role, unitLabel(u.Unit), u.Disabled)
		}
		return tw.Flush()
	}
	fmt.Fprintln(env.Stderr, userUsage)
	return fmt.Errorf("user: unknown sub-command %q", sub)
}

func unitLabel(u string) string {
	if u == "" {
		return "all"
	}
	return u
}

// readPassword reads a password without echo from a terminal, else one
// line from stdin.
func readPassword(env *Env, prompt string) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
