// Package pgtest starts a throwaway PostgreSQL 15 cluster with PostGIS for
// tests: initdb and pg_ctl, run as the postgres OS user when the test runs as
// root, on a free local port in a temporary directory that is removed at the
// end. Any package's tests may use it:
//
//	c := pgtest.Start(t)       // one cluster for the test (and its subtests)
//	dsn := c.NewDatabase(t)    // a fresh database with PostGIS installed
//
// When the PostgreSQL binaries or the PostGIS extension are missing the test
// is skipped with the reason, or fails when the environment sets CI=true.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BinDir is where Debian and Ubuntu put the PostgreSQL 15 binaries; PATH is
// searched when it has none.
const BinDir = "/usr/lib/postgresql/15/bin"

// templateDB is the database every NewDatabase copies; it has PostGIS.
const templateDB = "hotgrid_template"

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	Dir  string // data directory, socket directory and log, all under one temp dir
	Port int
	Bin  string // directory holding the binaries

	root    string
	cred    *syscall.Credential
	counter atomic.Int64
	tplOnce sync.Once
	tplErr  error
}

// Start starts a cluster for t and stops it, removing its files, when t
// ends. It skips t (fails it under CI=true) when PostgreSQL or PostGIS is
// not installed.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin, err := FindBin()
	if err != nil {
		Unavailable(t, err.Error())
	}
	if err := postgisInstalled(bin); err != nil {
		Unavailable(t, err.Error())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := StartCluster(ctx, bin)
	if err != nil {
		t.Fatalf("start postgres: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stop postgres: %v", err)
		}
	})
	return c
}

// Unavailable skips t with reason, or fails it when CI=true, where every
// tool the tests need must be installed.
func Unavailable(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("postgres tests need PostgreSQL 15 with PostGIS (CI=true): %s", reason)
	}
	t.Skipf("skipping postgres test: %s", reason)
}

// FindBin returns the directory holding initdb, pg_ctl and postgres.
func FindBin() (string, error) {
	if isExec(filepath.Join(BinDir, "initdb")) && isExec(filepath.Join(BinDir, "pg_ctl")) {
		return BinDir, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("initdb not found in %s or PATH (apt-get install postgresql-15-postgis-3)", BinDir)
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// postgisInstalled checks the extension's control file in the server's
// share directory.
func postgisInstalled(bin string) error {
	out, err := exec.Command(filepath.Join(bin, "pg_config"), "--sharedir").Output()
	share := strings.TrimSpace(string(out))
	if err != nil || share == "" {
		share = filepath.Join("/usr/share/postgresql", filepath.Base(filepath.Dir(bin)))
	}
	ctl := filepath.Join(share, "extension", "postgis.control")
	if _, err := os.Stat(ctl); err != nil {
		return fmt.Errorf("PostGIS not installed (%s missing; apt-get install postgresql-15-postgis-3)", ctl)
	}
	return nil
}

// StartCluster runs initdb and pg_ctl start in a new temporary directory.
// Running as root, the server runs as the postgres OS user, since
// PostgreSQL refuses to run as root.
func StartCluster(ctx context.Context, bin string) (*Cluster, error) {
	reapOrphans(ctx, bin)
	root, err := os.MkdirTemp("", tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	// owner.pid names the test process, so a later Start can stop this
	// cluster if the process dies without cleaning up (killed by a timeout).
	if err := os.WriteFile(filepath.Join(root, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(root)
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	c := &Cluster{Dir: filepath.Join(root, "data"), Bin: bin, root: root}
	if os.Geteuid() == 0 {
		if c.cred, err = postgresCredential(); err != nil {
			os.RemoveAll(root)
			return nil, err
		}
		if err := os.Chown(root, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			os.RemoveAll(root)
			return nil, fmt.Errorf("chown %s: %w", root, err)
		}
	}
	if err := c.run(ctx, "initdb", "-D", c.Dir, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-sync"); err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	// A port picked free can be taken before the server binds it: retry.
	for attempt := 0; ; attempt++ {
		if c.Port, err = freePort(); err != nil {
			os.RemoveAll(root)
			return nil, err
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off "+
			"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "+
			"-c shared_buffers=128MB", c.Port, root)
		err = c.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.Dir,
			"-l", filepath.Join(root, "server.log"), "-o", opts)
		if err == nil {
			return c, nil
		}
		if attempt == 2 {
			log, _ := os.ReadFile(filepath.Join(root, "server.log"))
			os.RemoveAll(root)
			return nil, fmt.Errorf("%w\nserver log:\n%s", err, log)
		}
	}
}

// tempPrefix names cluster directories in the temp dir; ownerFile holds the
// PID of the process that started the cluster.
const (
	tempPrefix = "hotgrid-pg-"
	ownerFile  = "owner.pid"
)

// reapOrphans stops and removes clusters left by test processes that no
// longer run. Errors are ignored: a cluster it cannot stop is left alone.
func reapOrphans(ctx context.Context, bin string) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, root := range dirs {
		b, err := os.ReadFile(filepath.Join(root, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || alive(pid) {
			continue // unreadable, or its owner still runs
		}
		c := &Cluster{Dir: filepath.Join(root, "data"), Bin: bin, root: root}
		if fi, err := os.Stat(root); err == nil && os.Geteuid() == 0 {
			if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
				c.cred = &syscall.Credential{Uid: st.Uid, Gid: st.Gid}
			}
		}
		if _, err := os.Stat(filepath.Join(c.Dir, "postmaster.pid")); err == nil {
			if err := c.run(ctx, "pg_ctl", "stop", "-m", "immediate", "-w", "-D", c.Dir); err != nil {
				continue
			}
		}
		os.RemoveAll(root)
	}
}

// alive reports whether process pid exists (EPERM: it does, as another user).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func postgresCredential() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the postgres OS user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// run runs one of the cluster's binaries, as the postgres user when needed.
func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.Bin, name), args...)
	cmd.Dir = c.root
	cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, out.String())
	}
	return nil
}

// DSN returns the URL of database db on the cluster, as the superuser.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

// NewDatabase creates an empty database with PostGIS installed, copied from
// a template made on first use, and returns its URL. The database is dropped
// with the cluster.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	dsn, err := c.CreateDatabase(context.Background())
	if err != nil {
		t.Fatalf("create database: %v", err)
	}
	return dsn
}

// CreateDatabase is NewDatabase without a testing.TB, for benchmarks and tools.
func (c *Cluster) CreateDatabase(ctx context.Context) (string, error) {
	c.tplOnce.Do(func() {
		if c.tplErr = c.exec(ctx, "postgres", "CREATE DATABASE "+templateDB); c.tplErr == nil {
			c.tplErr = c.exec(ctx, templateDB, "CREATE EXTENSION IF NOT EXISTS postgis")
		}
	})
	if c.tplErr != nil {
		return "", c.tplErr
	}
	return c.copyDatabase(ctx, templateDB)
}

// CloneDatabase creates a database copied from the one dsn names, for
// example one a store has migrated once so that each test need not, and
// returns its URL. The source must have no open connections.
func (c *Cluster) CloneDatabase(t testing.TB, dsn string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("clone database: %v", err)
	}
	out, err := c.copyDatabase(context.Background(), cfg.Database)
	if err != nil {
		t.Fatalf("clone database: %v", err)
	}
	return out
}

// copyDatabase creates a new database from template. A connection closed
// just before may not have left the server yet, so "being accessed by
// other users" is retried for a while.
func (c *Cluster) copyDatabase(ctx context.Context, template string) (string, error) {
	name := fmt.Sprintf("t%d", c.counter.Add(1))
	var err error
	for range 50 {
		err = c.exec(ctx, "postgres", "CREATE DATABASE "+name+" TEMPLATE "+pgx.Identifier{template}.Sanitize())
		if err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return "", err
	}
	return c.DSN(name), nil
}

// exec runs SQL statements in database db.
func (c *Cluster) exec(ctx context.Context, db, sql string) error {
	conn, err := pgx.Connect(ctx, c.DSN(db))
	if err != nil {
		return fmt.Errorf("connect %s: %w", db, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// Stop stops the server immediately and removes its files.
func (c *Cluster) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := c.run(ctx, "pg_ctl", "stop", "-m", "immediate", "-w", "-D", c.Dir)
	if rmErr := os.RemoveAll(c.root); rmErr != nil {
		err = errors.Join(err, rmErr)
	}
	return err
}
