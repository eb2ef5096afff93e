package score

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/internal/units"
)

// memStore is a slice-backed hotgrid.OffenceStore for tests and benchmarks.
type memStore struct{ offences []hotgrid.Offence }

func (m *memStore) IngestFile(_ context.Context, _ hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error) {
	n := 0
	err := fill(func(o *hotgrid.Offence) error {
		m.offences = append(m.offences, *o)
		n++
		return nil
	})
	return n, err
}

func (m *memStore) ScanOffences(_ context.Context, _ hotgrid.OffenceFilter, fn func(*hotgrid.Offence) error) error {
	return sliceScan(m.offences)(fn)
}
func (m *memStore) Sources(context.Context) ([]hotgrid.SourceFile, error) { return nil, nil }
func (m *memStore) DataVersion(context.Context) (int64, error)            { return 1, nil }
func (m *memStore) Close() error                                          { return nil }

var national struct {
	once     sync.Once
	offences []hotgrid.Offence
	npus     []hotgrid.Unit
	forces   []hotgrid.Unit
	weights  *severity.Table
	err      error
}

// nationalConfig is the engine config for the national data: the embedded
// NPUs, force areas and ONS CSS weights.
func nationalConfig(t testing.TB) ([]hotgrid.Offence, Config) {
	offs, npus, forces := nationalOffences(t)
	return offs, Config{Units: npus, Forces: forces, Weights: national.weights}
}

// nationalOffences parses the ../shared national police.uk files once.
func nationalOffences(t testing.TB) ([]hotgrid.Offence, []hotgrid.Unit, []hotgrid.Unit) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sharedDir(t), "data", "police-uk", "national-2025", "*.csv.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no national files: %v", err)
	}
	national.once.Do(func() {
		npus, err := units.Default()
		if err != nil {
			national.err = err
			return
		}
		forces, err := units.DefaultForces()
		if err != nil {
			national.err = err
			return
		}
		w, err := severity.Default()
		if err != nil {
			national.err = err
			return
		}
		national.weights = w
		st := &memStore{}
		in := &ingest.Ingester{Store: st, Units: npus, Codes: w}
		for _, f := range files {
			if _, err := in.IngestFile(context.Background(), f, ingest.FormatPoliceUK, nil); err != nil {
				national.err = err
				return
			}
		}
		if err := in.Flush(); err != nil {
			national.err = err
			return
		}
		national.offences, national.npus, national.forces = st.offences, npus.Units(), forces.Units()
	})
	if national.err != nil {
		t.Fatal(national.err)
	}
	return national.offences, national.npus, national.forces
}

// TestNationalRank ranks the real national police.uk data per force with
// the any-time band: every force gets a ranking on its force boundary, and
// the notes say the data are month-only.
func TestNationalRank(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping national data in -short mode")
	}
	offs, cfg := nationalConfig(t)
	forces := cfg.Forces
	e, err := NewEngine(cfg, sliceScan(offs))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := e.Rank(ctx, hotgrid.Query{Band: "any"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Offences != len(offs) || len(offs) < 500000 {
		t.Fatalf("ranked %d of %d offences", r.Offences, len(offs))
	}
	notes := strings.Join(r.Notes, "\n")
	if !strings.Contains(notes, "carry only a month") {
		t.Fatalf("notes do not mention month-only data: %q", notes)
	}
	byForce := 0
	for _, ur := range r.Units {
		if slices.ContainsFunc(forces, func(f hotgrid.Unit) bool { return f.Code == ur.Unit }) {
			byForce++
			if len(ur.Cells) != 10 {
				t.Errorf("%s: %d cells", ur.Unit, len(ur.Cells))
			}
		}
	}
	if byForce < 35 {
		t.Fatalf("only %d forces ranked", byForce)
	}
	t.Logf("%d offences, %d units ranked (%d forces), study area %q", len(offs), len(r.Units), byForce, r.StudyArea)
	t.Logf("notes: %s", notes)
	k, _ := e.Knife(ctx, hotgrid.Query{})
	if len(k.Units) != 0 || !strings.Contains(strings.Join(k.Notes, ""), "no weapon flag") {
		t.Fatalf("knife on police.uk data: %+v", k)
	}
}
