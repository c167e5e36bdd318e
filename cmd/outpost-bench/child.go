package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// stepArgs is the union of the arguments of the workstation steps, which
// run in their own process so that each reports its own peak memory.
type stepArgs struct {
	syncArgs
	Dataset string `json:"dataset,omitempty"`
	Code    string `json:"code,omitempty"`
	Seed    uint64 `json:"seed,omitempty"`
	N       int    `json:"n,omitempty"`
	Who     string `json:"who,omitempty"`
	Notes   int    `json:"notes,omitempty"`
	Vitals  int    `json:"vitals,omitempty"`
	Retract int    `json:"retract,omitempty"`
}

// runStep runs one workstation step and prints its result as one JSON line
// with the process's peak RSS.
func runStep(op, argJSON string) error {
	var a stepArgs
	if err := json.Unmarshal([]byte(argJSON), &a); err != nil {
		return fmt.Errorf("step %s: arguments: %w", op, err)
	}
	ctx := context.Background()
	// OUTPOST_BENCH_CPUPROFILE=DIR writes a CPU profile of every step there.
	if dir := os.Getenv("OUTPOST_BENCH_CPUPROFILE"); dir != "" {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%s-%d.pprof", op, filepath.Base(a.Dir), os.Getpid())))
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var out any
	var err error
	switch op {
	case "load":
		out, err = loadDataset(ctx, a.Dir, a.Dataset)
	case "join":
		out, err = joinPractice(ctx, a.Dir, a.Code)
	case "join-pull":
		out, err = joinPull(ctx, a.syncArgs)
	case "first-signin":
		out, err = signInPulled(ctx, a.syncArgs)
	case "enroll":
		out, err = enroll(ctx, a.Dir, a.Code)
	case "sync":
		out, err = runSync(ctx, a.syncArgs)
	case "edit-delta":
		out, err = editDelta(ctx, a.Dir, a.Seed, a.Notes, a.Vitals, a.Retract)
	case "edit-conflict":
		var n int
		n, err = editConflict(ctx, a.Dir, a.Who, a.Seed, a.N)
		out = map[string]any{"edited": n}
	case "check-conflict":
		out, err = checkConflicts(ctx, a.Dir, a.Seed, a.N)
	default:
		err = fmt.Errorf("unknown step %q", op)
	}
	if err != nil {
		return fmt.Errorf("step %s: %w", op, err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m["client_peak_rss_mb"] = mib(procKB(os.Getpid(), "VmHWM"))
	m["client_go_heap_sys_mb"] = round(float64(ms.HeapSys)/(1<<20), 1)
	return json.NewEncoder(os.Stdout).Encode(m)
}
