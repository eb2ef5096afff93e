// Command vulndb builds a local Go vulnerability database (the v1 layout
// govulncheck reads with -db file:///DIR) from the OSV entries that the
// golang.org/x/vulndb module carries in data/osv, for machines that reach
// the Go module proxy but not vuln.go.dev:
//
//	go mod download -json golang.org/x/vulndb@VERSION   (Dir in the output)
//	go run ./scripts/vulndb -osv DIR/data/osv -out /tmp/vulndb
//	govulncheck -db file:///tmp/vulndb ./...
//
// It writes ID/<id>.json (each entry as given), index/vulns.json,
// index/modules.json and index/db.json (modified = the newest entry, or
// -modified when later: the entries in data/osv carry no times). The
// module index leaves out the "fixed" hint, so govulncheck fetches every
// entry of a module it uses and checks the affected ranges itself.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// entry is the part of an OSV record the indexes need.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases"`
	Affected []struct {
		Package struct {
			Name      string `json:"name"`
			Ecosystem string `json:"ecosystem"`
		} `json:"package"`
	} `json:"affected"`
}

type vulnMeta struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

func main() {
	osvDir := flag.String("osv", "", "directory of OSV JSON files (golang.org/x/vulndb's data/osv)")
	out := flag.String("out", "", "directory to write the database to")
	modified := flag.String("modified", "", "RFC 3339 time the data is from (the vulndb module version's time) when the entries carry none")
	flag.Parse()
	if err := run(*osvDir, *out, *modified); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(osvDir, out, modified string) error {
	if osvDir == "" || out == "" {
		return errors.New("give -osv DIR and -out DIR")
	}
	files, err := filepath.Glob(filepath.Join(osvDir, "GO-*.json"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no GO-*.json entries in %s", osvDir)
	}
	if err := os.MkdirAll(filepath.Join(out, "ID"), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, "index"), 0o755); err != nil {
		return err
	}
	var vulns []vulnMeta
	mods := map[string][]moduleVuln{}
	var newest time.Time
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if e.ID == "" || e.ID+".json" != filepath.Base(f) {
			return fmt.Errorf("%s: id %q does not match the file name", f, e.ID)
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), b, 0o644); err != nil {
			return err
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		seen := map[string]bool{}
		for _, a := range e.Affected {
			p := a.Package.Name
			if p == "" || seen[p] || !strings.EqualFold(a.Package.Ecosystem, "Go") {
				continue
			}
			seen[p] = true
			mods[p] = append(mods[p], moduleVuln{ID: e.ID, Modified: e.Modified})
		}
		if e.Modified.After(newest) {
			newest = e.Modified
		}
	}
	if modified != "" {
		t, err := time.Parse(time.RFC3339, modified)
		if err != nil {
			return fmt.Errorf("-modified: %w", err)
		}
		if t.After(newest) {
			newest = t
		}
	}
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })
	var modules []moduleMeta
	for p, vs := range mods {
		modules = append(modules, moduleMeta{Path: p, Vulns: vs})
	}
	sort.Slice(modules, func(i, j int) bool { return modules[i].Path < modules[j].Path })
	for name, v := range map[string]any{"db.json": map[string]time.Time{"modified": newest}, "vulns.json": vulns, "modules.json": modules} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("vulndb: %d entries, %d modules, newest modified %s\n", len(vulns), len(modules), newest.Format(time.RFC3339))
	return nil
}
