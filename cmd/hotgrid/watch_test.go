package main

import (
	"context"
	"io"
	"sync/atomic"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/score"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/internal/units"
)

// fakeWatcher is a hotgrid.DataWatcher the test drives: each version sent
// on versions is reported, then acknowledged on acks.
type fakeWatcher struct {
	versions chan int64
	acks     chan struct{}
}

func (f *fakeWatcher) WatchDataVersion(ctx context.Context, fn func(int64)) error {
	for {
		select {
		case v := <-f.versions:
			fn(v)
			f.acks <- struct{}{}
		case <-ctx.Done():
			return nil
		}
	}
}

// report makes the watcher report v and waits until it has been handled.
func (f *fakeWatcher) report(v int64) {
	f.versions <- v
	<-f.acks
}

// TestDataWatch checks when the engine of a shared store reloads: not for
// the version reported before its first scan, once for a new version
// reported during that scan (data that landed while it ran), not for a
// repeated version (a reconnected watch), and once per new version after.
func TestDataWatch(t *testing.T) {
	npus, err := units.Default()
	if err != nil {
		t.Fatal(err)
	}
	weights, err := severity.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, duringScan := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		fw := &fakeWatcher{versions: make(chan int64), acks: make(chan struct{}, 1)}
		go func() { fw.versions <- 1 }()
		w := startWatch(ctx, &Env{Stderr: io.Discard}, fw)
		<-fw.acks
		var scans, hooks atomic.Int64
		eng, err := score.NewEngine(score.Config{Units: npus.Units(), Weights: weights}, func(func(*hotgrid.Offence) error) error {
			if scans.Add(1) == 1 && duringScan {
				fw.report(2) // an ingest commits while the first scan runs
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		svc := &watchedEngine{Engine: eng, w: w}
		svc.OnReload(func() { hooks.Add(1) })
		w.loaded(ctx, eng)
		want := int64(1)
		if duringScan {
			want = 2
		}
		check := func(step string) {
			t.Helper()
			if scans.Load() != want || hooks.Load() != want-1 {
				t.Fatalf("during scan %v, %s: %d scans, %d reload hooks; want %d and %d", duringScan, step, scans.Load(), hooks.Load(), want, want-1)
			}
		}
		check("after loading")
		fw.report(map[bool]int64{false: 1, true: 2}[duringScan]) // the watch reconnected: same version
		check("same version again")
		fw.report(3)
		want++
		check("new version")
		cancel()
	}
}
