package score

import (
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/testenv"
)

// cpuTime returns the process's user plus system CPU time.
func cpuTime() time.Duration { return testenv.CPUTime() }

// reportCPU reports the CPU milliseconds per op since start: on the shared
// 2-core machine wall time mostly measures the other processes.
func reportCPU(b *testing.B, start time.Duration) { testenv.ReportCPU(b, start) }
