// Package hotgrid holds hotgrid's domain types: offences, units, time bands,
// cell scores, hot grids and plans, the interfaces that storage and scoring
// implement, and the error codes every layer shares. It imports nothing of the
// project but geo, so every other package can speak in these types.
package hotgrid

import (
	"fmt"
	"time"
)

// Weapon is the weapon flag of an offence.
type Weapon uint8

// Weapon values. WeaponUnknown is the zero value: a source that carries no
// weapon flag (data.police.uk) leaves it unknown, which is not the same as none.
const (
	WeaponUnknown Weapon = iota
	WeaponNone
	WeaponKnife // knife or sharp instrument
	WeaponFirearm
	WeaponOther
)

var weaponNames = [...]string{"unknown", "none", "knife", "firearm", "other"}

// String returns the weapon's stable name as used in files and the API.
func (w Weapon) String() string {
	if int(w) < len(weaponNames) {
		return weaponNames[w]
	}
	return fmt.Sprintf("weapon(%d)", uint8(w))
}

// ParseWeapon reads a weapon name as written by String, plus common
// spellings found in force extracts ("knife or sharp instrument", "y", "n").
func ParseWeapon(s string) (Weapon, error) {
	switch normalise(s) {
	case "", "unknown", "u", "not known":
		return WeaponUnknown, nil
	case "none", "n", "no", "false", "0":
		return WeaponNone, nil
	case "knife", "k", "knife or sharp instrument", "sharp instrument", "y", "yes", "true", "1", "blade":
		return WeaponKnife, nil
	case "firearm", "gun", "f":
		return WeaponFirearm, nil
	case "other", "o":
		return WeaponOther, nil
	}
	return WeaponUnknown, fmt.Errorf("unknown weapon %q", s)
}

// Source names the file and row an offence came from.
type Source struct {
	File string // file name as given to ingest
	Hash string // hex SHA-256 of the file's bytes (decompressed)
	Row  int    // 1-based line number of the record in the file (header is line 1)
}

// Offence is one recorded crime.
//
// Occurrence is a window: From and To are equal for a known instant; a
// burglary found in the morning has a window of hours. MonthOnly is set when
// the source gives only the month (data.police.uk): From is then the first
// instant of the month and To the first instant of the next, and the offence
// cannot be placed in a time band.
type Offence struct {
	ID          string // force crime reference or police.uk Crime ID; derived when absent
	Source      Source
	Force       string
	From, To    time.Time
	MonthOnly   bool
	Category    string // data.police.uk crime category, e.g. "Robbery"
	OffenceCode string // Home Office offence code, when known
	Weapon      Weapon
	Lon, Lat    float64 // WGS84
	LSOA        string
	Location    string // street description ("On or near ...")
	Unit        string // unit (NPU) code; empty when outside every unit
	Outcome     string
	Cell        uint64 // H3 cell at StoreResolution
}

// StoreResolution is the finest H3 resolution stored with each offence;
// coarser cells are its parents.
const StoreResolution = 11

// MinResolution and MaxResolution bound the resolutions a query may ask for.
const (
	MinResolution = 7
	MaxResolution = 11
)

// DefaultResolution is the hot grid resolution (about 174 m edges).
const DefaultResolution = 9
