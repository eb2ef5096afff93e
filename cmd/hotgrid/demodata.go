package main

import (
	"context"
	"errors"
)

// runDemoData is not built yet.
func runDemoData(_ context.Context, _ *Env, _ []string) error {
	return errors.New("not built yet")
}
