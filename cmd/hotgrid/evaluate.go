package main

import (
	"context"
	"errors"
)

// runEvaluate is not built yet.
func runEvaluate(_ context.Context, _ *Env, _ []string) error {
	return errors.New("not built yet")
}
