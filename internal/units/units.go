// Package units loads unit boundaries (Neighbourhood Policing Units, or
// police force areas) from GeoJSON and assigns points to them fast: an H3
// cell-to-unit index answers points in cells that no boundary crosses, and
// an exact point-in-polygon test (orb/planar) answers only points near
// boundaries. It also derives the default West Midlands NPU file from the
// ONS/OS boundaries (see DeriveNPUs) and embeds it through package data.
package units

import (
	"fmt"
	"io"
	"math"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// Set is a loaded set of units with its lookup index. It is safe for
// concurrent use once built.
type Set struct {
	name     string
	units    []hotgrid.Unit
	bounds   []orb.Bound
	prepared []preparedUnit
	index    *cellIndex
}

// Load reads a GeoJSON FeatureCollection of units. Each feature needs a
// Polygon or MultiPolygon geometry and a unique non-empty "code" property;
// "name" (default: the code), "force" and "approximate" are optional. name
// labels errors, usually the file name.
func Load(r io.Reader, name string) (*Set, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read units %s: %w", name, err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("units %s: not a GeoJSON FeatureCollection: %w", name, err)
	}
	us := make([]hotgrid.Unit, 0, len(fc.Features))
	seen := make(map[string]int)
	for i, f := range fc.Features {
		u, err := featureUnit(f)
		if err != nil {
			return nil, fmt.Errorf("units %s: feature %d: %w", name, i, err)
		}
		if j, dup := seen[u.Code]; dup {
			return nil, fmt.Errorf("units %s: feature %d: code %q repeats feature %d", name, i, u.Code, j)
		}
		seen[u.Code] = i
		us = append(us, u)
	}
	if len(us) == 0 {
		return nil, fmt.Errorf("units %s: no features", name)
	}
	return NewSet(name, us)
}

func featureUnit(f *geojson.Feature) (hotgrid.Unit, error) {
	code, _ := f.Properties["code"].(string)
	if code == "" {
		return hotgrid.Unit{}, fmt.Errorf("property code: missing or not a non-empty string")
	}
	mp, err := asMultiPolygon(f.Geometry)
	if err != nil {
		return hotgrid.Unit{}, fmt.Errorf("unit %s: %w", code, err)
	}
	if err := checkGeometry(mp); err != nil {
		return hotgrid.Unit{}, fmt.Errorf("unit %s: %w", code, err)
	}
	windRFC7946(mp)
	u := hotgrid.Unit{Code: code, Name: f.Properties.MustString("name", code), Geometry: mp}
	u.Force = f.Properties.MustString("force", "")
	u.Approximate = f.Properties.MustBool("approximate", false)
	return u, nil
}

// NewSet indexes units; name labels errors. The geometries must already be
// checked (Load does).
func NewSet(name string, us []hotgrid.Unit) (*Set, error) {
	s := &Set{name: name, units: us, bounds: make([]orb.Bound, len(us))}
	for i, u := range us {
		s.bounds[i] = u.Geometry.Bound()
		s.prepared = append(s.prepared, prepare(u.Geometry))
	}
	idx, err := buildIndex(s)
	if err != nil {
		return nil, fmt.Errorf("units %s: index: %w", name, err)
	}
	s.index = idx
	return s, nil
}

// Name returns the name the set was loaded under.
func (s *Set) Name() string { return s.name }

// Units returns the units in file order. The slice is shared; do not modify.
func (s *Set) Units() []hotgrid.Unit { return s.units }

// Locate returns the code of the first unit (in file order) holding the
// point, or "" (hotgrid.OutsideUnits) when none does or the point is not a
// valid coordinate. It gives the same answer as LocateExact.
func (s *Set) Locate(lon, lat float64) string {
	i := s.index.lookup(lon, lat, s)
	if i < 0 {
		return hotgrid.OutsideUnits
	}
	return s.units[i].Code
}

// LocateCell is Locate for a caller that already holds the point's H3
// cell at resolution 9 or finer (ingest stores resolution 11): it skips
// computing the cell, so it makes no cgo call. A cell coarser than 9 or
// not holding the point gives a wrong answer. (Sets spanning more than two
// degrees index resolutions 5-7, so any cell of resolution 7 or finer will
// do for them.)
func (s *Set) LocateCell(cell uint64, lon, lat float64) string {
	if math.IsNaN(lon) || math.IsNaN(lat) {
		return hotgrid.OutsideUnits
	}
	i := s.index.lookupCell(cell, lon, lat, s)
	if i < 0 {
		return hotgrid.OutsideUnits
	}
	return s.units[i].Code
}

// LocateExact answers like Locate by testing every unit's polygons with
// orb/planar; it is the reference Locate is checked against.
func (s *Set) LocateExact(lon, lat float64) string {
	if i := s.exact(orb.Point{lon, lat}); i >= 0 {
		return s.units[i].Code
	}
	return hotgrid.OutsideUnits
}

// scan returns the first unit among cands (all units when nil) holding p,
// or -1, by the prepared even-odd test.
func (s *Set) scan(p orb.Point, cands []int32) int {
	if cands == nil {
		for i := range s.prepared {
			if s.prepared[i].contains(p) {
				return i
			}
		}
		return -1
	}
	for _, i := range cands {
		if s.prepared[i].contains(p) {
			return int(i)
		}
	}
	return -1
}

// exact returns the first unit holding p by orb/planar, or -1.
func (s *Set) exact(p orb.Point) int {
	for i := range s.units {
		if s.bounds[i].Contains(p) && planar.MultiPolygonContains(s.units[i].Geometry, p) {
			return i
		}
	}
	return -1
}

// Default returns the embedded West Midlands NPUs (an approximation: see
// data/README.md).
func Default() (*Set, error) {
	return Load(bytesReader(data.Units()), "data/units/wmp-npu.geojson")
}

// DefaultForces returns the embedded police force areas of England and
// Wales, coded by force name as data.police.uk writes "Falls within".
func DefaultForces() (*Set, error) {
	return Load(bytesReader(data.Forces()), "data/units/police-force-areas.geojson")
}
