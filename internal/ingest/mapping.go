package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// Mapping names the columns of a force's own CSV extract (the "mapped"
// format). It is read from a JSON file; see data/mappings/ and the README.
type Mapping struct {
	Name           string  `json:"name"`
	Force          string  `json:"force"`               // constant force when there is no force column
	Delimiter      string  `json:"delimiter,omitempty"` // one character, default ","
	Columns        Columns `json:"columns"`
	TimeFormat     string  `json:"time_format,omitempty"`     // Go layout of occurred_from/to
	MonthFormat    string  `json:"month_format,omitempty"`    // Go layout of month, default "2006-01"
	Timezone       string  `json:"timezone,omitempty"`        // zone of local times, default Europe/London
	CategoryValues string  `json:"category_values,omitempty"` // "name" or "slug": a hint; both are accepted

	source string         // where the mapping was read from, for errors
	comma  rune           // parsed Delimiter
	loc    *time.Location // parsed Timezone
}

// Columns are CSV header names; an empty name means the file lacks the field.
type Columns struct {
	ID           string `json:"id,omitempty"`
	OccurredFrom string `json:"occurred_from,omitempty"`
	OccurredTo   string `json:"occurred_to,omitempty"`
	Month        string `json:"month,omitempty"`
	OffenceCode  string `json:"offence_code,omitempty"`
	Category     string `json:"category,omitempty"`
	Weapon       string `json:"weapon,omitempty"`
	Lon          string `json:"lon,omitempty"`
	Lat          string `json:"lat,omitempty"`
	Easting      string `json:"easting,omitempty"`
	Northing     string `json:"northing,omitempty"`
	LSOA         string `json:"lsoa,omitempty"`
	Location     string `json:"location,omitempty"`
	Outcome      string `json:"outcome,omitempty"`
	Force        string `json:"force,omitempty"`
	Unit         string `json:"unit,omitempty"`
}

// LoadMapping reads and checks a mapping file; name is used in errors.
// Unknown keys are errors, so a misspelt column key is not silently ignored.
func LoadMapping(r io.Reader, name string) (*Mapping, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read mapping %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("mapping %s: %w", name, err)
	}
	m.source = name
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("mapping %s: %w", name, err)
	}
	return &m, nil
}

// check validates the mapping and fills its defaults.
func (m *Mapping) check() error {
	c := m.Columns
	m.comma = ','
	if m.Delimiter != "" {
		r, n := utf8.DecodeRuneInString(m.Delimiter)
		if n != len(m.Delimiter) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
			return fmt.Errorf("delimiter %q: want one character other than a quote or newline", m.Delimiter)
		}
		m.comma = r
	}
	if m.Timezone == "" {
		m.Timezone = "Europe/London"
	}
	loc, err := time.LoadLocation(m.Timezone)
	if err != nil {
		return fmt.Errorf("timezone %q: %w", m.Timezone, err)
	}
	m.loc = loc
	if m.MonthFormat == "" {
		m.MonthFormat = "2006-01"
	}
	switch {
	case (c.Lon == "") != (c.Lat == ""):
		return fmt.Errorf("columns: lon and lat must be named together")
	case (c.Easting == "") != (c.Northing == ""):
		return fmt.Errorf("columns: easting and northing must be named together")
	case c.Lon == "" && c.Easting == "":
		return fmt.Errorf("columns: name lon and lat, or easting and northing")
	case c.OccurredFrom == "" && c.Month == "":
		return fmt.Errorf("columns: name occurred_from or month")
	case c.OccurredTo != "" && c.OccurredFrom == "":
		return fmt.Errorf("columns: occurred_to needs occurred_from")
	case c.OccurredFrom != "" && m.TimeFormat == "":
		return fmt.Errorf("time_format is required with columns.occurred_from")
	case c.OffenceCode == "" && c.Category == "":
		return fmt.Errorf("columns: name offence_code or category")
	case m.Force == "" && c.Force == "":
		return fmt.Errorf("name a constant force or columns.force")
	}
	switch m.CategoryValues {
	case "", "name", "slug", "name|slug":
	default:
		return fmt.Errorf("category_values %q: want name or slug", m.CategoryValues)
	}
	return nil
}

// fields lists the mapping's columns with their keys, in a stable order.
func (c Columns) fields() [][2]string {
	return [][2]string{
		{"id", c.ID}, {"occurred_from", c.OccurredFrom}, {"occurred_to", c.OccurredTo}, {"month", c.Month},
		{"offence_code", c.OffenceCode}, {"category", c.Category}, {"weapon", c.Weapon},
		{"lon", c.Lon}, {"lat", c.Lat}, {"easting", c.Easting}, {"northing", c.Northing},
		{"lsoa", c.LSOA}, {"location", c.Location}, {"outcome", c.Outcome}, {"force", c.Force}, {"unit", c.Unit},
	}
}
