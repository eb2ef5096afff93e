package hotgrid

import (
	"context"
	"strconv"
	"time"
)

// SourceFile describes one ingested file.
type SourceFile struct {
	Name       string    `json:"name"`
	Hash       string    `json:"hash"`   // hex SHA-256 of the decompressed bytes
	Format     string    `json:"format"` // "police-uk" or "mapped"
	Rows       int       `json:"rows"`
	Accepted   int       `json:"accepted"`
	Rejected   int       `json:"rejected"`
	MinTime    time.Time `json:"min_time"`
	MaxTime    time.Time `json:"max_time"`
	IngestedAt time.Time `json:"ingested_at"`
}

// Rejection is one input row that did not become an offence.
type Rejection struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
	Record string `json:"record,omitempty"` // the raw row, for --rejects files
}

// Error formats a rejection as "file:line: field: reason".
func (r Rejection) Error() string {
	return r.File + ":" + strconv.Itoa(r.Line) + ": " + r.Field + ": " + r.Reason
}

// OffenceFilter narrows a scan of stored offences. Zero values mean no bound.
type OffenceFilter struct {
	From, To time.Time // occurrence window overlaps [From, To)
	Units    []string
	Force    string
}

// OffenceStore keeps offences. Implementations: internal/store/sqlite and
// internal/store/postgres.
type OffenceStore interface {
	// IngestFile stores one file in one transaction. fill is called once with
	// put, which it calls for each offence; if fill or put fails, nothing of
	// the file is kept. Offences already stored (same ID, or same source hash
	// and row) are skipped. It returns how many offences were new.
	IngestFile(ctx context.Context, src SourceFile, fill func(put func(*Offence) error) error) (added int, err error)
	// ScanOffences calls fn for every stored offence that matches f. The
	// offence passed to fn is reused between calls.
	ScanOffences(ctx context.Context, f OffenceFilter, fn func(*Offence) error) error
	// Sources lists the ingested files.
	Sources(ctx context.Context) ([]SourceFile, error)
	// DataVersion changes whenever offences are added, so in-memory indexes
	// know when to reload.
	DataVersion(ctx context.Context) (int64, error)
	// Close releases the store.
	Close() error
}

// UnitLocator assigns a point to a unit code ("" when outside every unit).
type UnitLocator interface {
	Locate(lon, lat float64) string
}

// Weights gives the ONS Crime Severity Score weight of an offence.
type Weights interface {
	// Weight returns the weight for an offence code, falling back to its
	// category when the code is empty or unknown (known reports false then).
	Weight(code, category string) (w float64, known bool)
	// Version names the weights table, for provenance.
	Version() string
}
