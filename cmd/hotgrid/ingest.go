package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/severity"
	storeopen "github.com/hotgrid/hotgrid/internal/store/open"
	"github.com/hotgrid/hotgrid/internal/units"
)

const ingestUsage = `usage: hotgrid ingest --db PATH [--format police-uk|mapped --mapping FILE] [--strict]
                     [--rejects FILE] [--json] [--units FILE] [--weights FILE] FILE...

Loads data.police.uk street-level CSVs or force extracts described by a
mapping file (plain or .gz) into the store. Each file is stored in one
transaction; ingesting a file again adds nothing. Without --format the
format is detected from the header. --db defaults to $HOTGRID_DB; a
postgres:// URL selects PostgreSQL. Exits non-zero when a file fails.

flags:
`

// ingestMemoryLimit is the Go heap size ingest asks the garbage collector
// to stay under (unless GOMEMLIMIT says otherwise): the heap's live part is
// small, but without a limit the collector lets it double before it runs.
const ingestMemoryLimit = 200 << 20

// ingestFlags are the parsed flags of hotgrid ingest.
type ingestFlags struct {
	db, format, mapping, rejects, units, weights string
	strict, json                                 bool
	files                                        []string
}

// parseIngestFlags parses flags, allowing them before or after the files.
func parseIngestFlags(env *Env, args []string) (*ingestFlags, error) {
	f := &ingestFlags{}
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, ingestUsage); fs.PrintDefaults() }
	fs.StringVar(&f.db, "db", "", "store: SQLite file path or postgres:// URL (default $HOTGRID_DB)")
	fs.StringVar(&f.format, "format", "", "input format: police-uk or mapped (default: detect from the header)")
	fs.StringVar(&f.mapping, "mapping", "", "mapping JSON for --format mapped (see data/mappings)")
	fs.BoolVar(&f.strict, "strict", false, "fail a file on its first bad row")
	fs.StringVar(&f.rejects, "rejects", "", "write rejected rows with reasons to this CSV file")
	fs.BoolVar(&f.json, "json", false, "print one JSON summary on stdout")
	fs.StringVar(&f.units, "units", "", "unit boundaries GeoJSON (default: the embedded West Midlands NPUs)")
	fs.StringVar(&f.weights, "weights", "", "severity weights CSV, for offence code -> category (default: embedded)")
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		f.files = append(f.files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if f.db == "" {
		f.db = env.Getenv("HOTGRID_DB")
	}
	switch {
	case f.db == "":
		return nil, errors.New("ingest: no store: give --db PATH or set HOTGRID_DB")
	case len(f.files) == 0:
		fs.Usage()
		return nil, errors.New("ingest: no files given")
	case f.format != "" && f.format != ingest.FormatPoliceUK && f.format != ingest.FormatMapped:
		return nil, fmt.Errorf("ingest: --format %q: want %s or %s", f.format, ingest.FormatPoliceUK, ingest.FormatMapped)
	case f.format == ingest.FormatMapped && f.mapping == "":
		return nil, errors.New("ingest: --format mapped needs --mapping FILE")
	}
	return f, nil
}

// runIngest loads files into a store and prints a summary.
func runIngest(ctx context.Context, env *Env, args []string) error {
	f, err := parseIngestFlags(env, args)
	if err != nil {
		return err
	}
	if env.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(ingestMemoryLimit)
	}
	in, cleanup, err := newIngester(ctx, env, f)
	if err != nil {
		return err
	}
	defer cleanup()
	var m *ingest.Mapping
	if f.mapping != "" {
		if m, err = loadMappingFile(f.mapping); err != nil {
			return err
		}
	}
	// IngestFiles reads the next file while storing the current one and
	// commits several files at a time, each still all or nothing.
	total, _ := in.IngestFiles(ctx, f.files, f.format, m)
	if !f.json {
		for _, fs := range total.Files {
			if fs.Error != "" {
				fmt.Fprintf(env.Stderr, "hotgrid: ingest %s: %s\n", fs.File, fs.Error)
			}
		}
	}
	if err := in.Flush(); err != nil {
		return err
	}
	if f.json {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(total); err != nil {
			return fmt.Errorf("ingest: write summary: %w", err)
		}
	} else {
		printSummary(env.Stdout, total)
	}
	if total.FilesFailed > 0 {
		return fmt.Errorf("ingest: %d of %d files failed and added nothing", total.FilesFailed, len(total.Files))
	}
	return ctx.Err()
}

// newIngester opens the store, units, weights and rejects file.
func newIngester(ctx context.Context, env *Env, f *ingestFlags) (*ingest.Ingester, func(), error) {
	us, err := loadUnits(f.units)
	if err != nil {
		return nil, nil, err
	}
	tbl, err := loadWeights(f.weights)
	if err != nil {
		return nil, nil, err
	}
	st, err := storeopen.Open(ctx, f.db)
	if err != nil {
		return nil, nil, fmt.Errorf("ingest: open store %s: %w", f.db, err)
	}
	in := &ingest.Ingester{Store: st, Units: us, Codes: tbl, Strict: f.strict}
	closers := []func() error{st.Close}
	if f.rejects != "" {
		rf, err := os.Create(f.rejects)
		if err != nil {
			st.Close()
			return nil, nil, fmt.Errorf("ingest: rejects file: %w", err)
		}
		in.Rejects = rf
		closers = append([]func() error{rf.Close}, closers...)
	}
	if env.IsTerminal && env.Getenv("CI") == "" && !f.json {
		in.Progress = env.Stderr
	}
	return in, func() {
		for _, c := range closers {
			c()
		}
	}, nil
}

// loadUnits reads a unit boundary file, or the embedded NPUs.
func loadUnits(path string) (*units.Set, error) {
	if path == "" {
		s, err := units.Default()
		if err != nil {
			return nil, fmt.Errorf("ingest: load units: %w", err)
		}
		return s, nil
	}
	r, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: units: %w", err)
	}
	defer r.Close()
	s, err := units.Load(r, path)
	if err != nil {
		return nil, fmt.Errorf("ingest: units: %w", err)
	}
	return s, nil
}

// loadWeights reads a severity table, or the embedded one.
func loadWeights(path string) (*severity.Table, error) {
	if path == "" {
		t, err := severity.Default()
		if err != nil {
			return nil, fmt.Errorf("ingest: load weights: %w", err)
		}
		return t, nil
	}
	r, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: weights: %w", err)
	}
	defer r.Close()
	t, err := severity.Load(r, path)
	if err != nil {
		return nil, fmt.Errorf("ingest: weights: %w", err)
	}
	return t, nil
}

// loadMappingFile reads a mapping JSON file.
func loadMappingFile(path string) (*ingest.Mapping, error) {
	r, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: mapping: %w", err)
	}
	defer r.Close()
	m, err := ingest.LoadMapping(r, path)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	return m, nil
}

// printSummary writes the human-readable summary.
func printSummary(w io.Writer, s ingest.Summary) {
	fmt.Fprintf(w, "files      %d (%d failed)\n", len(s.Files), s.FilesFailed)
	fmt.Fprintf(w, "rows read  %d\naccepted   %d\nrejected   %d\nadded      %d\nduplicates %d (Crime IDs repeated within a file: %d)\n",
		s.RowsRead, s.Accepted, s.Rejected, s.Added, s.Duplicates, s.DuplicateIDs)
	printCounts(w, "rejected by reason", s.RejectedByReason)
	printCounts(w, "per force", s.PerForce)
	printCounts(w, "per unit", s.PerUnit)
	if len(s.RejectExamples) > 0 {
		fmt.Fprintf(w, "first rejects:\n  %s\n", strings.Join(s.RejectExamples, "\n  "))
	}
	if len(s.DuplicateExamples) > 0 {
		fmt.Fprintf(w, "first duplicate Crime IDs:\n  %s\n", strings.Join(s.DuplicateExamples, "\n  "))
	}
	for _, f := range s.Files {
		if f.Error != "" {
			fmt.Fprintf(w, "FAILED %s: %s\n", f.File, f.Error)
		}
	}
}

// printCounts writes a count map, largest first.
func printCounts(w io.Writer, title string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, k := range ingest.SortedKeys(m) {
		fmt.Fprintf(w, "  %-40s %d\n", k, m[k])
	}
}
