package main

import (
	"context"
	"errors"
)

// runExport is not built yet.
func runExport(_ context.Context, _ *Env, _ []string) error {
	return errors.New("not built yet")
}
