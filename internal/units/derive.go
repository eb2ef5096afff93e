package units

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// WestMidlandsPolice is the force name as data.police.uk writes it.
const WestMidlandsPolice = "West Midlands Police"

// Attribution is the OGL notice the ONS/OS boundaries require.
const Attribution = "Contains Ordnance Survey data © Crown copyright and database right; " +
	"contains ONS data licensed under the Open Government Licence v3.0"

// npuSpec says how one NPU is built: a whole district, or a group of
// Birmingham constituencies.
type npuSpec struct {
	Code, Name     string
	LAD            string   // LAD13CD of a whole district
	Constituencies []string // PCON13NM of Birmingham constituencies
}

func npuSpecs() []npuSpec {
	return []npuSpec{
		{Code: "BE", Name: "Birmingham East", Constituencies: []string{
			"Birmingham, Erdington", "Birmingham, Hodge Hill", "Sutton Coldfield", "Birmingham, Yardley"}},
		{Code: "BW", Name: "Birmingham West", Constituencies: []string{
			"Birmingham, Edgbaston", "Birmingham, Hall Green", "Birmingham, Ladywood",
			"Birmingham, Northfield", "Birmingham, Perry Barr", "Birmingham, Selly Oak"}},
		{Code: "CV", Name: "Coventry", LAD: "E08000026"},
		{Code: "DY", Name: "Dudley", LAD: "E08000027"},
		{Code: "SH", Name: "Solihull", LAD: "E08000029"},
		{Code: "SW", Name: "Sandwell", LAD: "E08000028"},
		{Code: "WS", Name: "Walsall", LAD: "E08000030"},
		{Code: "WV", Name: "Wolverhampton", LAD: "E08000031"},
	}
}

// Relative paths of the derive inputs under the boundaries directory.
const (
	ladFile            = "lad/west_midlands_7_lads_from_topo_lad.geojson"
	birminghamPCONFile = "westminster-constituencies-by-lad/E08000025.json"
	forceAreasFile     = "police-force-areas/Police_Force_Areas.geojson"
)

// DeriveNPUs builds the eight West Midlands NPU features from the ONS/OS
// boundary files under dir (../shared/data/boundaries): seven districts as
// they are, Birmingham split into East and West by dissolving its
// Westminster constituencies. The split is an approximation, labelled so.
func DeriveNPUs(dir string) (*geojson.FeatureCollection, error) {
	lads, err := readFC(filepath.Join(dir, ladFile))
	if err != nil {
		return nil, err
	}
	pcons, err := readFC(filepath.Join(dir, birminghamPCONFile))
	if err != nil {
		return nil, err
	}
	fc := geojson.NewFeatureCollection()
	for _, s := range npuSpecs() {
		f, err := deriveNPU(s, lads, pcons)
		if err != nil {
			return nil, fmt.Errorf("npu %s: %w", s.Code, err)
		}
		fc.Append(f)
	}
	return fc, nil
}

func deriveNPU(s npuSpec, lads, pcons *geojson.FeatureCollection) (*geojson.Feature, error) {
	var mp orb.MultiPolygon
	var source string
	var err error
	if s.LAD != "" {
		mp, err = pickGeometry(lads, "LAD13CD", []string{s.LAD})
		source = "ONS local authority district " + s.LAD + " (2013, generalised clipped), martinjc/UK-GeoJSON"
	} else {
		var parts orb.MultiPolygon
		parts, err = pickGeometry(pcons, "PCON13NM", s.Constituencies)
		if err == nil {
			mp, err = Dissolve(parts)
		}
		source = "Birmingham Westminster constituencies (2013) dissolved, martinjc/UK-GeoJSON; " +
			"approximate NPU split, replace with the force's own boundary file"
	}
	if err != nil {
		return nil, err
	}
	mp = roundMultiPolygon(mp, 6)
	if err := Valid(mp); err != nil {
		return nil, fmt.Errorf("derived geometry invalid: %w", err)
	}
	f := geojson.NewFeature(mp)
	f.Properties = geojson.Properties{
		"code": s.Code, "name": s.Name, "force": WestMidlandsPolice,
		"approximate": true, "source": source, "licence": Attribution,
	}
	return f, nil
}

// pickGeometry returns the polygons of the features whose property key
// takes each of values, erroring when one is missing.
func pickGeometry(fc *geojson.FeatureCollection, key string, values []string) (orb.MultiPolygon, error) {
	var out orb.MultiPolygon
	for _, v := range values {
		found := false
		for _, f := range fc.Features {
			if f.Properties.MustString(key, "") != v {
				continue
			}
			found = true
			switch g := f.Geometry.(type) {
			case orb.Polygon:
				out = append(out, g)
			case orb.MultiPolygon:
				out = append(out, g...)
			default:
				return nil, fmt.Errorf("feature %s=%q: geometry %s is not a polygon", key, v, f.Geometry.GeoJSONType())
			}
		}
		if !found {
			return nil, fmt.Errorf("no feature with %s=%q", key, v)
		}
	}
	return out, nil
}

// DeriveForces builds the police force area features of England and Wales
// from the ONS Police Force Areas file under dir, each coded by the force
// name as data.police.uk writes it in "Falls within".
func DeriveForces(dir string) (*geojson.FeatureCollection, error) {
	in, err := readFC(filepath.Join(dir, forceAreasFile))
	if err != nil {
		return nil, err
	}
	names := PoliceUKForceNames()
	out := geojson.NewFeatureCollection()
	for i, f := range in.Features {
		pfa := f.Properties.MustString("PFA23NM", "")
		name, ok := names[pfa]
		if !ok {
			return nil, fmt.Errorf("%s: feature %d: no police.uk name for PFA23NM %q", forceAreasFile, i, pfa)
		}
		mp, err := asMultiPolygon(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%s: feature %d (%s): %w", forceAreasFile, i, pfa, err)
		}
		mp = roundMultiPolygon(mp, 6)
		if err := checkGeometry(mp); err != nil {
			return nil, fmt.Errorf("%s: feature %d (%s): %w", forceAreasFile, i, pfa, err)
		}
		nf := geojson.NewFeature(mp)
		nf.Properties = geojson.Properties{
			"code": name, "name": name, "force": name, "pfa_code": f.Properties.MustString("PFA23CD", ""),
			"approximate": false, "source": "ONS Police Force Areas (December 2023), generalised",
			"licence": Attribution,
		}
		out.Append(nf)
	}
	return out, nil
}

// PoliceUKForceNames maps ONS PFA23NM names to the force names that
// data.police.uk writes in its "Falls within" column. British Transport
// Police has no area.
func PoliceUKForceNames() map[string]string {
	return map[string]string{
		"Avon and Somerset": "Avon and Somerset Constabulary", "Bedfordshire": "Bedfordshire Police",
		"Cambridgeshire": "Cambridgeshire Constabulary", "Cheshire": "Cheshire Constabulary",
		"London, City of": "City of London Police", "Cleveland": "Cleveland Police",
		"Cumbria": "Cumbria Constabulary", "Derbyshire": "Derbyshire Constabulary",
		"Devon & Cornwall": "Devon & Cornwall Police", "Dorset": "Dorset Police",
		"Durham": "Durham Constabulary", "Dyfed-Powys": "Dyfed-Powys Police",
		"Essex": "Essex Police", "Gloucestershire": "Gloucestershire Constabulary",
		"Greater Manchester": "Greater Manchester Police", "Gwent": "Gwent Police",
		"Hampshire": "Hampshire Constabulary", "Hertfordshire": "Hertfordshire Constabulary",
		"Humberside": "Humberside Police", "Kent": "Kent Police",
		"Lancashire": "Lancashire Constabulary", "Leicestershire": "Leicestershire Police",
		"Lincolnshire": "Lincolnshire Police", "Merseyside": "Merseyside Police",
		"Metropolitan Police": "Metropolitan Police Service", "Norfolk": "Norfolk Constabulary",
		"North Wales": "North Wales Police", "North Yorkshire": "North Yorkshire Police",
		"Northamptonshire": "Northamptonshire Police", "Northumbria": "Northumbria Police",
		"Nottinghamshire": "Nottinghamshire Police", "South Wales": "South Wales Police",
		"South Yorkshire": "South Yorkshire Police", "Staffordshire": "Staffordshire Police",
		"Suffolk": "Suffolk Constabulary", "Surrey": "Surrey Police", "Sussex": "Sussex Police",
		"Thames Valley": "Thames Valley Police", "Warwickshire": "Warwickshire Police",
		"West Mercia": "West Mercia Police", "West Midlands": WestMidlandsPolice,
		"West Yorkshire": "West Yorkshire Police", "Wiltshire": "Wiltshire Police",
	}
}

// WriteFeatureCollection writes fc as GeoJSON with one feature per line, so
// derived files diff well.
func WriteFeatureCollection(path string, fc *geojson.FeatureCollection) error {
	var buf bytes.Buffer
	buf.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n")
	for i, f := range fc.Features {
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("encode feature %d: %w", i, err)
		}
		buf.Write(b)
		if i+1 < len(fc.Features) {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func readFC(path string) (*geojson.FeatureCollection, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read boundaries: %w", err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fc, nil
}

func asMultiPolygon(g orb.Geometry) (orb.MultiPolygon, error) {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}, nil
	case orb.MultiPolygon:
		return g, nil
	case nil:
		return nil, fmt.Errorf("no geometry")
	}
	return nil, fmt.Errorf("geometry %s is not a Polygon or MultiPolygon", g.GeoJSONType())
}

// roundMultiPolygon rounds coordinates to the given decimals (6 is about
// 0.1 m), drops the consecutive duplicates that creates and rings that
// collapse, and orients rings (outers counter-clockwise).
func roundMultiPolygon(mp orb.MultiPolygon, decimals int) orb.MultiPolygon {
	f := math.Pow(10, float64(decimals))
	var out orb.MultiPolygon
	for _, p := range mp {
		var np orb.Polygon
		for i, r := range p {
			nr := make(orb.Ring, len(r))
			for k, pt := range r {
				nr[k] = orb.Point{math.Round(pt[0]*f) / f, math.Round(pt[1]*f) / f}
			}
			nr = despike(cleanRing(nr))
			if len(nr) < 4 {
				continue
			}
			np = append(np, orient(nr, i == 0))
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	return out
}
