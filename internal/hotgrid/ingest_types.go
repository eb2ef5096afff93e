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

// IngestBatcher is an optional OffenceStore extension for bulk loads: it
// stores several files in one transaction, so pages that every file touches
// (the random-order key and cell indexes) are written once per batch rather
// than once per file. Each file stays all or nothing within the batch.
type IngestBatcher interface {
	BeginIngest(ctx context.Context) (IngestBatch, error)
}

// IngestBatch is an open multi-file transaction. IngestFile stores one file
// as OffenceStore.IngestFile does, except that nothing is durable until
// Commit returns: a file whose fill or put fails leaves nothing of itself
// and the batch goes on. RecordSource updates a file's counts as
// SourceRecorder does. After Commit or Rollback the batch is finished;
// Rollback after Commit does nothing, so it can be deferred. A batch is not
// safe for concurrent use, and other ingests of the store wait until it
// finishes.
type IngestBatch interface {
	IngestFile(ctx context.Context, src SourceFile, fill func(put func(*Offence) error) error) (added int, err error)
	RecordSource(ctx context.Context, src SourceFile) error
	Commit() error
	Rollback() error
}
