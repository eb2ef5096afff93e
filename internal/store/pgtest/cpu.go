package pgtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of CPU times in /proc (100 on Linux).
const clockTicks = 100

// ServerCPU returns the CPU time used so far by the cluster's server
// processes: the postmaster, its live children and the children it has
// reaped. Benchmarks add it to their own CPU time to compare a client/server
// store fairly with an embedded one on a busy machine. Linux only.
func (c *Cluster) ServerCPU() (time.Duration, error) {
	b, err := os.ReadFile(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		return 0, fmt.Errorf("server cpu: %w", err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err != nil {
		return 0, fmt.Errorf("server cpu: postmaster.pid: %w", err)
	}
	f, err := procStat(pid)
	if err != nil {
		return 0, err
	}
	ticks := f[11] + f[12] + f[13] + f[14] // utime stime cutime cstime
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		child, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		cf, err := procStat(child)
		if err != nil || cf[1] != int64(pid) {
			continue
		}
		ticks += cf[11] + cf[12]
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// procStat reads /proc/pid/stat as numbers, fields after the command name
// (index 0 is field 3, state, left 0; index 1 is ppid).
func procStat(pid int) ([]int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, fmt.Errorf("server cpu: %w", err)
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, fmt.Errorf("server cpu: bad /proc/%d/stat", pid)
	}
	fs := strings.Fields(s[i+1:])
	out := make([]int64, len(fs))
	for j, f := range fs {
		out[j], _ = strconv.ParseInt(f, 10, 64)
	}
	if len(out) < 15 {
		return nil, fmt.Errorf("server cpu: short /proc/%d/stat", pid)
	}
	return out, nil
}
