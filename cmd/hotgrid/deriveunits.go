package main

import (
	"context"
	"errors"
)

// runDeriveUnits is not built yet.
func runDeriveUnits(_ context.Context, _ *Env, _ []string) error {
	return errors.New("not built yet")
}
