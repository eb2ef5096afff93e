package data

import _ "embed"

//go:embed bands.csv
var bandsCSV []byte

// Bands returns the default time bands file (CSV: name,label,days,start,end),
// read by score.LoadBands.
func Bands() []byte { return bandsCSV }
