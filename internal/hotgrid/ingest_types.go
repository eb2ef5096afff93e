package hotgrid

import "context"

// SourceRecorder is an optional OffenceStore extension. A file's rows read
// and rows rejected are known only once IngestFile's fill has run, so ingest
// calls RecordSource afterwards with the file's final counts; it updates the
// source with src.Hash. Stores without it keep the counts IngestFile saw.
type SourceRecorder interface {
	RecordSource(ctx context.Context, src SourceFile) error
}

// UnitOutsideLabel is how summaries and reports name the offences that fall in
// no unit (unit code OutsideUnits).
const UnitOutsideLabel = "(outside units)"
