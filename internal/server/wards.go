package server

import (
	"fmt"
	"net/url"

	"github.com/paulmach/orb/geojson"
)

// checkWards checks Config.Wards is a GeoJSON FeatureCollection (nil is
// none) and returns it re-encoded.
func checkWards(b []byte) ([]byte, error) {
	if b == nil {
		return []byte(`{"type":"FeatureCollection","features":[]}`), nil
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("server: wards: %w", err)
	}
	for i, f := range fc.Features {
		if f.Geometry == nil {
			return nil, fmt.Errorf("server: wards: feature %d has no geometry", i)
		}
	}
	out, err := fc.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("server: wards: %w", err)
	}
	return out, nil
}

// wards answers the ward outlines (Config.Wards) as a FeatureCollection,
// drawn on the map for orientation; an empty collection when none.
func (a *API) wards(q url.Values) *Response {
	if err := checkParams(q); err != nil {
		return a.fail(err)
	}
	return a.cached("wards", func() (*Response, error) {
		b, err := checkWards(a.cfg.Wards)
		if err != nil {
			return nil, err
		}
		return a.ok(ctGeoJSON, b, a.cfg.MaxAge), nil
	})
}
