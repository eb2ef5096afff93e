package main

import (
	"context"
	"errors"
)

// runRank is not built yet.
func runRank(_ context.Context, _ *Env, _ []string) error {
	return errors.New("not built yet")
}
