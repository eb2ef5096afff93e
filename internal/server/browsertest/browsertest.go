// Package browsertest drives hotgrid's map page in a real headless Chromium:
// it runs web/e2e/map.mjs (playwright-core with the system's chromium; no
// browser is ever downloaded) against a running server and returns the
// figures the script measured. Tests skip with a reason when node, the
// page's node_modules or chromium are missing, and fail instead when CI=true.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/server"
)

// Root returns the repository root: the nearest directory holding go.mod.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// skip skips the test with reason, or fails it when CI=true.
func skip(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("browser test cannot run in CI: %s", reason)
	}
	t.Skipf("skipping browser test: %s", reason)
}

// Chromium finds the browser: $HOTGRID_CHROMIUM, else chromium or
// chromium-browser on PATH.
func Chromium() (string, error) {
	if p := os.Getenv("HOTGRID_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("chromium not found (apt-get install chromium, or set HOTGRID_CHROMIUM)")
}

// Require checks that everything the browser test needs is present, and
// skips (or fails in CI) otherwise. It returns the repository root.
func Require(t testing.TB) string {
	t.Helper()
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		skip(t, "node not found")
	}
	if _, err := os.Stat(filepath.Join(root, "web", "node_modules", "playwright-core")); err != nil {
		skip(t, "web/node_modules/playwright-core missing (run make build, which runs npm ci)")
	}
	if _, err := os.Stat(filepath.Join(root, "web", "dist", "index.html")); err != nil {
		skip(t, "map page not built (run make build)")
	}
	if _, err := Chromium(); err != nil {
		skip(t, err.Error())
	}
	return root
}

// Run runs the page script against baseURL ("http://127.0.0.1:PORT/") and
// returns its figures (first_render_ms, hexagons_first, ...). Screenshots go
// to <root>/tmp/browser/<name>/ (git-ignored), or $HOTGRID_ARTIFACTS/<name>.
// args are passed to the script (--user NAME --password PW to sign in).
func Run(t testing.TB, name, baseURL string, args ...string) map[string]any {
	t.Helper()
	root := Require(t)
	chromium, _ := Chromium()
	out := filepath.Join(root, "tmp", "browser", name)
	if a := os.Getenv("HOTGRID_ARTIFACTS"); a != "" {
		out = filepath.Join(a, name)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{"e2e/map.mjs", "--url", baseURL, "--chromium", chromium, "--out", out, "--timeout", "180000"}, args...)...)
	cmd.Dir = filepath.Join(root, "web")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("map page check failed: %v\n%s\n%s", err, stderr.String(), stdout.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var figures map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &figures); err != nil {
		t.Fatalf("read figures %q: %v", stdout.String(), err)
	}
	t.Logf("browser figures: %s", lines[len(lines)-1])
	t.Logf("screenshots in %s", out)
	return figures
}

// Serve puts api on a loopback port for the rest of the test, warms its
// first answers and returns the page's base URL.
func Serve(t testing.TB, api *server.API) string {
	t.Helper()
	origin := Listen(t, server.NewServer(api, server.Options{}))
	api.Warm(context.Background())
	return origin + "/"
}

// Listen runs srv on a loopback port for the rest of the test and returns
// its origin ("http://127.0.0.1:PORT"). Cleanup stops the server and fails
// the test if it did not stop cleanly.
func Listen(t testing.TB, srv *server.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// CheckMap fails the test unless map.mjs saw a first view, hexagons, ward
// outlines, an accuracy report with charts and the map again on a repeat
// visit.
func CheckMap(t testing.TB, f map[string]any) {
	t.Helper()
	for _, k := range []string{"first_view_ms", "hexagons_first", "wards_drawn", "accuracy_charts", "repeat_render_ms"} {
		if n, _ := f[k].(float64); n <= 0 {
			t.Fatalf("%s = %v: %v", k, f[k], f)
		}
	}
}
