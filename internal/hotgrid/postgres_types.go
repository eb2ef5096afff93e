package hotgrid

import "context"

// DataWatcher is an optional OffenceStore extension for stores shared by
// several processes (internal/store/postgres). A server uses it to reload
// its in-memory index when another process ingests new offences.
type DataWatcher interface {
	// WatchDataVersion calls fn with the current data version once it is
	// watching, then with each new version, until ctx ends.
	WatchDataVersion(ctx context.Context, fn func(version int64)) error
}
