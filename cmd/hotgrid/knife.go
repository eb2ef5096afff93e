package main

import (
	"context"
	"errors"
)

// runKnife is not built yet.
func runKnife(_ context.Context, _ *Env, _ []string) error {
	return errors.New("not built yet")
}
