package ingest_test

import (
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/units"
)

// fakeUnits puts everything west of 1.9 W and north of 52.4 N in unit "W"
// and the rest outside every unit.
type fakeUnits struct{}

func (fakeUnits) Locate(lon, lat float64) string {
	if lon < -1.9 && lat > 52.4 && lat < 52.6 && lon > -2.1 {
		return "W"
	}
	return ""
}

// benchUnits is the unit locator benchmarks use: the embedded West
// Midlands NPUs.
func benchUnits(tb testing.TB) hotgrid.UnitLocator {
	s, err := units.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
