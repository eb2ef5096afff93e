package units

import (
	"fmt"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// WardDecimals is how many decimals ward coordinates keep (about 1 m):
// wards are drawn as outlines for orientation, never used to locate.
const WardDecimals = 5

// wardsDir holds one ward file per West Midlands district, named by its
// LAD13CD.
const wardsDir = "wards-by-lad"

// westMidlandsLADs are the seven districts of the West Midlands force area,
// in the order the ward file lists them.
var westMidlandsLADs = []string{"E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031"}

// DeriveWards builds the 2013 electoral wards of the seven West Midlands
// districts from the ONS/OS ward files under dir
// (wards-by-lad/E080000{25..31}.json): properties code (WD13CD), name
// (WD13NM) and district (LAD13NM, from the district file), coordinates
// rounded to WardDecimals. Every ward must be a valid polygon after
// rounding; a missing name or bad geometry is an error naming the file and
// feature.
func DeriveWards(dir string) (*geojson.FeatureCollection, error) {
	lads, err := readFC(filepath.Join(dir, ladFile))
	if err != nil {
		return nil, err
	}
	district := map[string]string{}
	for _, f := range lads.Features {
		district[f.Properties.MustString("LAD13CD", "")] = f.Properties.MustString("LAD13NM", "")
	}
	out := geojson.NewFeatureCollection()
	for _, lad := range westMidlandsLADs {
		if district[lad] == "" {
			return nil, fmt.Errorf("%s: no district %s", ladFile, lad)
		}
		name := filepath.Join(wardsDir, lad+".json")
		in, err := readFC(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		for i, f := range in.Features {
			nf, err := deriveWard(f, district[lad])
			if err != nil {
				return nil, fmt.Errorf("%s: feature %d: %w", name, i, err)
			}
			out.Append(nf)
		}
	}
	return out, nil
}

// deriveWard rounds one ward and names it.
func deriveWard(f *geojson.Feature, district string) (*geojson.Feature, error) {
	code, name := f.Properties.MustString("WD13CD", ""), f.Properties.MustString("WD13NM", "")
	if code == "" || name == "" {
		return nil, fmt.Errorf("no WD13CD or WD13NM property")
	}
	mp, err := asMultiPolygon(f.Geometry)
	if err != nil {
		return nil, fmt.Errorf("ward %s: %w", code, err)
	}
	mp = roundMultiPolygon(mp, WardDecimals)
	if err := Valid(mp); err != nil {
		return nil, fmt.Errorf("ward %s (%s) invalid after rounding: %w", code, name, err)
	}
	var g orb.Geometry = mp
	if len(mp) == 1 {
		g = mp[0]
	}
	nf := geojson.NewFeature(g)
	nf.Properties = geojson.Properties{"code": code, "name": name, "district": district}
	return nf, nil
}
