package server_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/server/browsertest"
	"github.com/hotgrid/hotgrid/web"
)

// need skips, or fails under CI=true, when a tool is missing.
func need(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: %v", what, err)
	}
	t.Skipf("skipping: %s: %v", what, err)
}

func repoRoot(t *testing.T) string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// TestPlansBrowser walks the plan workflow in headless Chromium: planner
// proposes, chair agrees, a patrol log is uploaded, coverage shows a
// missed area, on the plans page and as outlines on the map page
// (web/e2e/plans.mjs).
func TestPlansBrowser(t *testing.T) {
	root := repoRoot(t)
	node, err := exec.LookPath("node")
	need(t, "node", err)
	chromium := os.Getenv("HOTGRID_CHROMIUM")
	if chromium == "" {
		chromium, err = exec.LookPath("chromium")
		need(t, "chromium", err)
	}
	_, err = os.Stat(filepath.Join(root, "web", "node_modules", "playwright-core"))
	need(t, "playwright-core (cd web && npm ci)", err)

	mapPage, err := web.Dist() // the real map page: step 6 checks its coverage view
	need(t, "map page (make build)", err)

	e := newAuthEnv(t)
	e.addUser(t, "planner", hotgrid.RolePlanner, "BE")
	e.addUser(t, "chair", hotgrid.RoleChair, "")
	e.api, err = server.New(server.Config{Service: newFake(), Static: mapPage, Version: "test", Location: time.UTC, Now: e.clock.Now,
		Auth: &server.Auth{Accounts: e.acc, Audit: &audit.Logger{Store: e.trail, Now: e.clock.Now}, Plans: e.plans}})
	if err != nil {
		t.Fatal(err)
	}
	origin := browsertest.Listen(t, server.NewServer(e.api, server.Options{}))
	out := os.Getenv("HOTGRID_SCREENSHOTS") // keep the screenshots there
	if out == "" {
		out = t.TempDir()
	}
	tctx, tcancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer tcancel()
	cmd := exec.CommandContext(tctx, node, "e2e/plans.mjs", "--url", origin+"/", "--chromium", chromium,
		"--out", out, "--unit", "BE", "--password", testPassword)
	cmd.Dir = filepath.Join(root, "web")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("plans.mjs: %v\n%s", err, b)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var fig struct {
		Plan     int64    `json:"plan"`
		Coverage []string `json:"coverage"`
		Totals   string   `json:"totals"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &fig); err != nil {
		t.Fatalf("figures %q: %v", lines[len(lines)-1], err)
	}
	t.Logf("browser workflow: %s (screenshots in %s)", lines[len(lines)-1], out)
	p, err := e.plans.Store.Plan(context.Background(), fig.Plan)
	if err != nil || p.State != hotgrid.PlanAgreed || p.AgreedBy != "chair" {
		t.Fatalf("plan after the workflow: %+v %v", p, err)
	}
	logs, _ := e.plans.Store.Patrols(context.Background(), hotgrid.PatrolFilter{PlanID: fig.Plan})
	if len(logs) != 1 || logs[0].CreatedBy != "planner" {
		t.Fatalf("patrols = %+v", logs)
	}
}
