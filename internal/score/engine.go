package score

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // band times are Europe/London wall clock wherever hotgrid runs

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// ScanFunc feeds every offence to fn, e.g. a closure over
// hotgrid.OffenceStore.ScanOffences. The offence may be reused between calls.
type ScanFunc func(fn func(*hotgrid.Offence) error) error

// Config configures an Engine.
type Config struct {
	Units   []hotgrid.Unit // configured units (NPUs) with boundaries
	Forces  []hotgrid.Unit // force boundaries, Code = force name as offences carry it
	Bands   []hotgrid.Band // time bands; nil means DefaultBands
	Weights hotgrid.Weights
	Version string               // hotgrid version, for provenance
	Sources []hotgrid.SourceFile // ingested files, for provenance
	// Location is the local time of the bands; nil means Europe/London.
	Location *time.Location
}

// Study area kinds, as Ranking.StudyArea reports them.
const (
	StudyUnits      = "units"
	StudyForce      = "force boundary"
	StudyRingsAlone = "offence cells and rings"
)

// unitInfo is a unit the engine scores.
type unitInfo struct {
	hotgrid.Unit
	study string // StudyUnits, StudyForce or StudyRingsAlone
}

// Engine scores offences loaded once from a scan. It implements
// hotgrid.Service and is safe for concurrent use; scored results are
// cached per query and dropped by Reload.
type Engine struct {
	cfg    Config
	bands  []hotgrid.Band
	anyIdx int   // index of the any-time band
	timed  []int // band index -> timed share index, -1 for any-time
	loc    *time.Location
	scan   ScanFunc

	mu       sync.Mutex
	units    []unitInfo
	unitIdx  map[string]int
	forceIdx map[string]int // force code or name -> index in cfg.Forces
	cats     []string       // category names; index = offence cat byte
	catIdx   map[string]uint8
	ix       *index
	studies  map[studyKey]*study
	aggs     map[aggKey]*agg
	scores   map[scoreKey]*scored
	gen      int // bumped by Reload
}

var _ hotgrid.Service = (*Engine)(nil)

// NewEngine loads every offence from scan into the index.
func NewEngine(cfg Config, scan ScanFunc) (*Engine, error) {
	if cfg.Weights == nil {
		return nil, errors.New("score: config has no weights")
	}
	if scan == nil {
		return nil, errors.New("score: no scan function")
	}
	e := &Engine{cfg: cfg, scan: scan, loc: cfg.Location, bands: cfg.Bands}
	if e.bands == nil {
		bs, err := DefaultBands()
		if err != nil {
			return nil, err
		}
		e.bands = bs
	}
	if e.loc == nil {
		loc, err := time.LoadLocation("Europe/London")
		if err != nil {
			return nil, fmt.Errorf("score: load Europe/London: %w", err)
		}
		e.loc = loc
	}
	e.anyIdx = -1
	for i, b := range e.bands {
		if b.AnyTime {
			if e.anyIdx >= 0 {
				return nil, fmt.Errorf("score: bands %q and %q are both any-time", e.bands[e.anyIdx].Name, b.Name)
			}
			e.anyIdx = i
			e.timed = append(e.timed, -1)
			continue
		}
		e.timed = append(e.timed, len(e.timed)-boolInt(e.anyIdx >= 0))
	}
	if e.anyIdx < 0 {
		return nil, errors.New("score: bands have no any-time band")
	}
	if err := e.Reload(context.Background()); err != nil {
		return nil, err
	}
	return e, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Reload rescans the offences, replacing the index and dropping every
// cached result. Call it when the store's DataVersion changes.
func (e *Engine) Reload(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.resetUnits()
	b := &builder{e: e, shares: make([]float64, len(e.bands)), wcache: map[[2]string]float32{}, loc: e.loc}
	b.ix.timed = len(e.bands) - 1
	err := e.scan(func(o *hotgrid.Offence) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return b.add(o)
	})
	if err != nil {
		return fmt.Errorf("score: load offences: %w", err)
	}
	e.ix = b.finish(len(e.units))
	e.studies = map[studyKey]*study{}
	e.aggs = map[aggKey]*agg{}
	e.scores = map[scoreKey]*scored{}
	e.gen++
	return nil
}

// resetUnits starts the unit list from the configured units.
func (e *Engine) resetUnits() {
	e.units = e.units[:0]
	e.unitIdx = map[string]int{}
	for _, u := range e.cfg.Units {
		e.unitIdx[u.Code] = len(e.units)
		e.units = append(e.units, unitInfo{Unit: u, study: StudyUnits})
	}
	e.forceIdx = map[string]int{}
	for i, f := range e.cfg.Forces {
		e.forceIdx[f.Code] = i
		if _, ok := e.forceIdx[f.Name]; !ok && f.Name != "" {
			e.forceIdx[f.Name] = i
		}
	}
	e.cats = e.cats[:0]
	e.catIdx = map[string]uint8{}
	for _, c := range hotgrid.Categories {
		e.categoryIndex(c.Name)
	}
}

// unitFor returns the unit index an offence is scored in: its own unit when
// it has one, otherwise its force, added on first sight with the force's
// boundary when Config.Forces has it.
func (e *Engine) unitFor(o *hotgrid.Offence) (int, error) {
	code := o.Unit
	if code == hotgrid.OutsideUnits {
		code = o.Force
		if code == "" {
			code = "unknown force"
		}
	}
	if i, ok := e.unitIdx[code]; ok {
		return i, nil
	}
	if len(e.units) >= 1<<16-1 {
		return 0, fmt.Errorf("offence %s (%s row %d): more than 65535 units", o.ID, o.Source.File, o.Source.Row)
	}
	u := unitInfo{Unit: hotgrid.Unit{Code: code, Name: code, Force: o.Force}, study: StudyRingsAlone}
	if o.Unit == hotgrid.OutsideUnits {
		if fi, ok := e.forceIdx[code]; ok {
			f := e.cfg.Forces[fi]
			u.Name, u.Approximate, u.Geometry = nonEmpty(f.Name, code), f.Approximate, f.Geometry
			u.study = StudyForce
		}
	}
	e.unitIdx[code] = len(e.units)
	e.units = append(e.units, u)
	return len(e.units) - 1, nil
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sortDataUnits orders the units added from the data by code and remaps
// the offences' unit indexes to match.
func (e *Engine) sortDataUnits(unit []uint16) {
	first := len(e.cfg.Units)
	if len(e.units)-first < 2 {
		return
	}
	added := e.units[first:]
	order := make([]int, len(added))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(added[a].Code, added[b].Code) })
	remap := make([]uint16, len(e.units))
	sorted := make([]unitInfo, len(added))
	for i := range remap[:first] {
		remap[i] = uint16(i)
	}
	for newPos, old := range order {
		remap[first+old] = uint16(first + newPos)
		sorted[newPos] = added[old]
	}
	copy(added, sorted)
	for i, u := range unit {
		unit[i] = remap[u]
	}
	for i, u := range e.units {
		e.unitIdx[u.Code] = i
	}
}

// categoryIndex returns the byte for a category name, adding it (so an
// offence with an unlisted category is kept, not dropped).
func (e *Engine) categoryIndex(name string) uint8 {
	if i, ok := e.catIdx[name]; ok {
		return i
	}
	if len(e.cats) >= 255 {
		return 255
	}
	i := uint8(len(e.cats))
	e.cats = append(e.cats, name)
	e.catIdx[name] = i
	return i
}

// Units returns the configured units followed by the forces (or unit codes)
// found in the data outside them.
func (e *Engine) Units() []hotgrid.Unit {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]hotgrid.Unit, len(e.units))
	for i, u := range e.units {
		out[i] = u.Unit
	}
	return out
}

// Bands returns the engine's time bands.
func (e *Engine) Bands() []hotgrid.Band { return append([]hotgrid.Band(nil), e.bands...) }

// Offences returns how many offences the index holds.
func (e *Engine) Offences() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ix.len()
}
