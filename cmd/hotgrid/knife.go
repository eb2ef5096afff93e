package main

import "context"

// runKnife lists the top knife-point robbery cells per unit (top 3 by
// count by default); the flags are rank's.
func runKnife(ctx context.Context, env *Env, args []string) error {
	return runRanking(ctx, env, args, "knife", 3)
}
