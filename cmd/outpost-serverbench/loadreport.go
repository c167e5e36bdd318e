package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"
)

// report prints the run's figures: throughput, latency per request type,
// errors, the servers' memory and CPU, the bench's own CPU, and the
// machine's load average (it is shared).
func report(f *fleet, cfg loadConfig, run *loadRun, elapsed time.Duration, benchSecs float64, loadStart string) {
	secs := elapsed.Seconds()
	fmt.Printf("load: %s: %d changes acknowledged (%.1f MB sealed), %d received by pulls\n",
		elapsed.Round(time.Millisecond), run.pushed, float64(run.sealed)/1e6, run.pulled)
	fmt.Printf("load: %.0f changes/s stored, %.0f changes/s delivered\n", float64(run.pushed)/secs, float64(run.pulled)/secs)
	for _, kind := range []string{"enroll", "push", "pull"} {
		lat := slices.Clone(run.latencies[kind])
		if len(lat) == 0 {
			continue
		}
		slices.Sort(lat)
		q := func(p float64) time.Duration {
			return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(100 * time.Microsecond)
		}
		rate := ""
		if kind != "enroll" {
			rate = fmt.Sprintf(", %.0f/s", float64(len(lat))/secs)
		}
		fmt.Printf("load: %-6s %6d requests%s: p50 %s, p99 %s, max %s\n", kind, len(lat), rate, q(.5), q(.99), lat[len(lat)-1].Round(100*time.Microsecond))
	}
	errs := 0
	for msg, n := range run.errors {
		errs += n
		fmt.Printf("load: error x%d: %s\n", n, msg)
	}
	fmt.Printf("load: %d requests failed; %d cut off by the time bound\n", errs, run.cutOff)
	var peaks []int64
	var rss, cpu float64
	for _, s := range f.servers {
		peaks = append(peaks, s.peak())
		rss += float64(s.rss())
		cpu += s.cpuSeconds()
	}
	slices.Sort(peaks)
	fmt.Printf("load: server peak resident memory (VmHWM): median %s, max %s; resident now, all %d processes: %s\n",
		mib(peaks[len(peaks)/2]), mib(peaks[len(peaks)-1]), len(peaks), mib(int64(rss)))
	fmt.Printf("load: CPU seconds (user+system) servers %.1f (since start, all processes), bench %.1f (during the run); wall %.1f s on %d cores\n",
		cpu, benchSecs, secs, numCPU())
	fmt.Printf("load: load average at start %s, at end %s\n", loadStart, loadAverage())
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// benchCPU is this process's user+system CPU time so far.
func benchCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
