package server

// DataChanged drops every kept answer and cell index, so that the next
// request is computed from the service's current data. Call it after the
// service has reloaded new data (hotgrid serve does when another process
// ingests into a shared PostgreSQL store); without it, answers already kept
// go on showing the old data for up to Config.CacheTTL.
func (a *API) DataChanged() {
	a.answers.clear()
	a.indexes.clear()
	a.lowTiles.clear()
}

// clear drops every entry. A computation in flight still answers the
// callers waiting for it, but is not kept.
func (c *cache[V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}
