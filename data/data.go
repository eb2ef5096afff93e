// Package data embeds hotgrid's default data: the West Midlands NPU
// boundaries (an approximation derived from ONS/OS boundaries), the police
// force areas of England and Wales, the West Midlands wards, the default severity weights, the
// deterministic West Midlands 2017 demo offences with their mapping file,
// and the default time bands. data/README.md says where each file comes
// from, how it was derived and under which licence.
package data

import (
	"bytes"
	_ "embed"
	"io"
)

//go:embed units/wmp-npu.geojson
var units []byte

//go:embed units/police-force-areas.geojson
var forces []byte

// Units returns the West Midlands NPU boundaries as a GeoJSON
// FeatureCollection (properties code, name, force, approximate). The
// Birmingham East/West split is an approximation by constituency.
func Units() []byte { return units }

// Forces returns the police force areas of England and Wales as a GeoJSON
// FeatureCollection whose code is the force name as data.police.uk writes
// it in "Falls within".
func Forces() []byte { return forces }

//go:embed units/wards.geojson
var wards []byte

// Wards returns the 2013 electoral wards of the seven West Midlands
// districts as a GeoJSON FeatureCollection (properties code, name,
// district), for orientation on the map; see data/README.md.
func Wards() []byte { return wards }

//go:embed severity/weights.csv
var weights []byte

// Weights returns the default severity weights CSV (code,category,name,
// weight), derived from the ONS CSS facts; see data/README.md.
func Weights() []byte { return weights }

//go:embed demo/wmp-2017.csv.gz
var demoCSV []byte

//go:embed mappings/demo.json
var demoMapping []byte

// DemoName is the path of the embedded demo file, as reported in sources.
const DemoName = "data/demo/wmp-2017.csv.gz"

// DemoCSV returns the gzip-compressed demo offences (synthetic West
// Midlands 2017, see data/README.md) and the name to report them under.
func DemoCSV() (io.ReadCloser, string) {
	return io.NopCloser(bytes.NewReader(demoCSV)), DemoName
}

// DemoMapping returns the mapping file that reads the demo CSV
// (data/mappings/demo.json).
func DemoMapping() []byte { return demoMapping }
