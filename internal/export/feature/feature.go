// Package feature prepares an export's input for every format: it checks and
// locates the cells, builds their hexagons and the patrol-area outlines, and
// names the attributes in one order, so that the GeoJSON, GeoPackage, KML and
// CSV writers agree on what they write.
package feature

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// DefaultLayer names an export whose Input gives no layer name.
const DefaultLayer = "hotgrid"

// Input is what an export writes: scored cells, the patrol areas they form,
// the unit boundaries (GeoPackage only), how it was all made, and a layer
// name used as the collection, document or layer title.
type Input struct {
	Cells      []hotgrid.CellScore
	Areas      []hotgrid.PatrolArea
	Units      []hotgrid.Unit
	Provenance hotgrid.Provenance
	Layer      string
}

// Cell is one scored cell with its hexagon.
type Cell struct {
	hotgrid.CellScore
	Polygon orb.Polygon // closed, counter-clockwise
	Center  orb.Point
}

// Area is one patrol area with the union of its cells.
type Area struct {
	hotgrid.PatrolArea
	Outline orb.MultiPolygon // outer rings counter-clockwise, holes clockwise
}

// Set is an Input checked and given geometry, ready to write.
type Set struct {
	Layer      string
	Cells      []Cell
	Areas      []Area
	Units      []hotgrid.Unit
	Provenance hotgrid.Provenance
	Bound      orb.Bound // of every cell and area; zero when there are none
}

// Prepare checks in and builds the geometry of every cell and patrol area.
// A zero Provenance.MadeAt becomes the time of the call (the export time).
// A cell whose H3 index is missing or invalid, or a patrol area naming such
// a cell, is an error naming the feature; nothing is dropped.
func Prepare(in Input) (*Set, error) {
	s := &Set{Layer: in.Layer, Units: in.Units, Provenance: in.Provenance}
	if s.Layer == "" {
		s.Layer = DefaultLayer
	}
	if s.Provenance.MadeAt.IsZero() {
		s.Provenance.MadeAt = time.Now().UTC()
	}
	s.Cells = make([]Cell, len(in.Cells))
	if err := prepareCells(s.Cells, in.Cells); err != nil {
		return nil, err
	}
	first := true
	for i := range s.Cells {
		s.Bound = extend(s.Bound, s.Cells[i].Polygon.Bound(), &first)
	}
	s.Areas = make([]Area, len(in.Areas))
	for i, a := range in.Areas {
		ids := make([]uint64, len(a.Cells))
		for j, h := range a.Cells {
			id, err := geo.ParseCell(h)
			if err != nil {
				return nil, fmt.Errorf("patrol area %q cell %d: %w", a.ID, j+1, err)
			}
			ids[j] = id
		}
		mp, err := geo.CellsOutline(ids)
		if err != nil {
			return nil, fmt.Errorf("patrol area %q: %w", a.ID, err)
		}
		if len(mp) == 0 {
			return nil, fmt.Errorf("patrol area %q has no cells", a.ID)
		}
		s.Areas[i] = Area{PatrolArea: a, Outline: mp}
		s.Bound = extend(s.Bound, mp.Bound(), &first)
	}
	return s, nil
}

// parallelCells is the number of cells above which prepareCells shares
// the work (H3 boundaries, a cgo call each) between the CPUs.
const parallelCells = 4096

// prepareCells fills dst with the cells of src and their hexagons. The
// error, if any, is that of the first bad cell in src's order.
func prepareCells(dst []Cell, src []hotgrid.CellScore) error {
	workers := min(runtime.GOMAXPROCS(0), 8, len(src)/parallelCells+1)
	errs := make([]error, workers)
	chunk := (len(src) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(src))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				c := src[i]
				id, err := cellID(c)
				if err != nil {
					errs[w] = fmt.Errorf("cell %d (rank %d): %w", i+1, c.Rank, err)
					return
				}
				c.Cell = id
				if c.H3 == "" {
					c.H3 = geo.String(id)
				}
				dst[i] = Cell{CellScore: c, Polygon: geo.Boundary(id), Center: geo.Center(id)}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func cellID(c hotgrid.CellScore) (uint64, error) {
	if c.H3 != "" {
		id, err := geo.ParseCell(c.H3)
		if err != nil {
			return 0, err
		}
		if c.Cell != 0 && c.Cell != id {
			return 0, fmt.Errorf("h3 %s does not match cell index %x", c.H3, c.Cell)
		}
		return id, nil
	}
	if c.Cell == 0 {
		return 0, fmt.Errorf("no H3 cell")
	}
	return geo.ParseCell(geo.String(c.Cell))
}

func extend(b, by orb.Bound, first *bool) orb.Bound {
	if *first {
		*first = false
		return by
	}
	return b.Union(by)
}

// Kind is the type of an attribute.
type Kind uint8

// Attribute kinds.
const (
	Text Kind = iota
	Integer
	Real
)

// Field names one attribute and its kind.
type Field struct {
	Name string
	Kind Kind
}

// Value is one attribute value. A Real that is NaN or infinite has no
// usable value: writers write it as null or empty (see Finite).
type Value struct {
	Kind Kind
	S    string
	I    int64
	F    float64
}

// Finite reports whether a Real value is a usable number.
func Finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// CellFields lists the cell attributes in the order of `hotgrid rank`.
func CellFields() []Field {
	return []Field{
		{"h3", Text}, {"unit", Text}, {"rank", Integer}, {"count", Real}, {"harm", Real},
		{"recency", Real}, {"z", Real}, {"p", Real}, {"q", Real}, {"class", Text},
		{"trend", Text}, {"peak_band", Text}, {"patrol_area", Text},
	}
}

// CellValue returns attribute i (as numbered by CellFields) of c.
func CellValue(c *hotgrid.CellScore, i int) Value {
	switch i {
	case 0:
		return Value{S: c.H3}
	case 1:
		return Value{S: c.Unit}
	case 2:
		return Value{Kind: Integer, I: int64(c.Rank)}
	case 3:
		return Value{Kind: Real, F: c.Count}
	case 4:
		return Value{Kind: Real, F: c.Harm}
	case 5:
		return Value{Kind: Real, F: c.Recency}
	case 6:
		return Value{Kind: Real, F: c.Z}
	case 7:
		return Value{Kind: Real, F: c.P}
	case 8:
		return Value{Kind: Real, F: c.Q}
	case 9:
		return Value{S: string(c.Class)}
	case 10:
		return Value{S: c.Trend}
	case 11:
		return Value{S: c.PeakBand}
	case 12:
		return Value{S: c.Area}
	}
	panic(fmt.Sprintf("feature: no cell field %d", i))
}

// AreaFields lists the patrol area attributes: the area's id (as
// patrol_area, the name cells use to refer to it), its unit, rank, number of
// cells, expected count and harm, peak bands and patrol dose, and its cells
// as a space-separated list.
func AreaFields() []Field {
	return []Field{
		{"patrol_area", Text}, {"unit", Text}, {"rank", Integer}, {"n_cells", Integer},
		{"count", Real}, {"harm", Real}, {"peak_bands", Text}, {"dose_band", Text},
		{"visit_minutes", Integer}, {"every_minutes", Integer}, {"visits", Integer},
		{"cells", Text},
	}
}

// AreaValue returns attribute i (as numbered by AreaFields) of a.
func AreaValue(a *hotgrid.PatrolArea, i int) Value {
	switch i {
	case 0:
		return Value{S: a.ID}
	case 1:
		return Value{S: a.Unit}
	case 2:
		return Value{Kind: Integer, I: int64(a.Rank)}
	case 3:
		return Value{Kind: Integer, I: int64(len(a.Cells))}
	case 4:
		return Value{Kind: Real, F: a.Count}
	case 5:
		return Value{Kind: Real, F: a.Harm}
	case 6:
		return Value{S: strings.Join(a.PeakBands, ", ")}
	case 7:
		return Value{S: a.Dose.Band}
	case 8:
		return Value{Kind: Integer, I: int64(a.Dose.VisitMinutes)}
	case 9:
		return Value{Kind: Integer, I: int64(a.Dose.EveryMinutes)}
	case 10:
		return Value{Kind: Integer, I: int64(a.Dose.Visits)}
	case 11:
		return Value{S: strings.Join(a.Cells, " ")}
	}
	panic(fmt.Sprintf("feature: no patrol area field %d", i))
}

// DoseText describes a patrol dose for people, e.g. "15 min every 2 h in
// evening (4 visits)"; "" when there is no dose.
func DoseText(d hotgrid.Dose) string {
	if d.VisitMinutes == 0 && d.Visits == 0 {
		return ""
	}
	s := fmt.Sprintf("%d min", d.VisitMinutes)
	if d.EveryMinutes > 0 {
		if d.EveryMinutes%60 == 0 {
			s += fmt.Sprintf(" every %d h", d.EveryMinutes/60)
		} else {
			s += fmt.Sprintf(" every %d min", d.EveryMinutes)
		}
	}
	if d.Band != "" {
		s += " in " + d.Band
	}
	if d.Visits > 0 {
		s += fmt.Sprintf(" (%d visits)", d.Visits)
	}
	return s
}

// ProvenanceJSON encodes p as compact JSON with its fields as hotgrid's
// API writes them.
func ProvenanceJSON(p hotgrid.Provenance) ([]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode provenance: %w", err)
	}
	return b, nil
}

// ProvenanceLines describes p as "key: value" lines for formats that carry
// text (KML ExtendedData, the GeoPackage attribute table, CSV sidecar
// readers): one line per source, then window, bands, resolution, metric,
// weights, version and export time, and for a plan's export the plan's id,
// unit, period, version, state and agreement.
func ProvenanceLines(p hotgrid.Provenance) [][2]string {
	const day = "2006-01-02"
	var out [][2]string
	add := func(k, v string) { out = append(out, [2]string{k, v}) }
	for i, s := range p.Sources {
		v := fmt.Sprintf("%s sha256:%s %s rows=%d accepted=%d rejected=%d", s.Name, s.Hash, s.Format, s.Rows, s.Accepted, s.Rejected)
		if !s.MinTime.IsZero() || !s.MaxTime.IsZero() {
			v += fmt.Sprintf(" %s..%s", s.MinTime.UTC().Format(day), s.MaxTime.UTC().Format(day))
		}
		add(fmt.Sprintf("source_%d", i+1), v)
	}
	add("data_from", timeText(p.DataFrom))
	add("data_to", timeText(p.DataTo))
	q := p.Query
	add("window_from", timeText(q.From))
	add("window_to", timeText(q.To))
	add("units", orAll(strings.Join(q.Units, ", ")))
	add("band", orText(q.Band, hotgrid.AnyTimeBand))
	add("bands", strings.Join(p.Bands, ", "))
	res := q.Resolution
	if res == 0 {
		res = hotgrid.DefaultResolution
	}
	add("resolution", fmt.Sprint(res))
	add("metric", orText(string(q.Metric), string(hotgrid.MetricHarm)))
	if q.Top > 0 {
		add("top", fmt.Sprint(q.Top))
	}
	add("categories", orAll(strings.Join(q.Categories, ", ")))
	if q.HalfLifeDays > 0 {
		add("half_life_days", fmt.Sprint(q.HalfLifeDays))
	}
	if q.K > 0 {
		add("gi_k", fmt.Sprint(q.K))
	}
	add("weights_version", p.WeightsVersion)
	add("hotgrid_version", p.Version)
	add("made_at", timeText(p.MadeAt))
	if pl := p.Plan; pl != nil {
		add("plan_id", fmt.Sprint(pl.ID))
		add("plan_unit", pl.Unit)
		add("plan_period", pl.From.Format(day)+".."+pl.To.Format(day))
		add("plan_version", fmt.Sprint(pl.Version))
		add("plan_state", string(pl.State))
		if pl.AgreedBy != "" {
			add("plan_agreed_by", pl.AgreedBy)
			add("plan_agreed_at", timeText(pl.AgreedAt))
		}
	}
	for i, n := range p.Notes {
		add(fmt.Sprintf("note_%d", i+1), n)
	}
	return out
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func orAll(s string) string { return orText(s, "all") }

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
