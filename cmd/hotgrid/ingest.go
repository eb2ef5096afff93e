package main

import (
	"context"
	"errors"
)

// runIngest is not built yet.
func runIngest(_ context.Context, _ *Env, _ []string) error {
	return errors.New("not built yet")
}
