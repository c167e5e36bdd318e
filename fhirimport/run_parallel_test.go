package fhirimport

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"outpost/chart"
)

// TestInOrderRunsWorkSideBySide: file 0's reading waits until file 1's
// has started, which only work on two goroutines at once lets happen (a
// serial pass, as both passes were, would wait forever: the test gives up
// after a minute). The results are applied in index order all the same.
func TestInOrderRunsWorkSideBySide(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	second := make(chan struct{})
	var got []int
	inOrder(6, func(i int) int {
		switch i {
		case 0:
			select {
			case <-second:
			case <-time.After(time.Minute):
				return -1
			}
		case 1:
			close(second)
		}
		return i * 10
	}, func(i, v int) bool {
		got = append(got, v)
		return true
	})
	want := []int{0, 10, 20, 30, 40, 50}
	if len(got) != len(want) {
		t.Fatalf("applied %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("applied %v, want %v (the first work never saw the second start when -1)", got, want)
		}
	}
}

// TestInOrderStopsAndBoundsWork: apply's false stops the run with little
// read ahead of it, and never more than the window holds at once.
func TestInOrderStopsAndBoundsWork(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	var started, running, most atomic.Int32
	var applied []int
	inOrder(1000, func(i int) int {
		started.Add(1)
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(time.Millisecond)
		running.Add(-1)
		return i
	}, func(i, v int) bool {
		applied = append(applied, v)
		return i < 2
	})
	if len(applied) != 3 || applied[2] != 2 {
		t.Fatalf("applied %v, want [0 1 2] then stop", applied)
	}
	// The window: 2 workers, 4 results waiting at most beyond the applied.
	if s := started.Load(); s > 3+4 {
		t.Fatalf("%d works started for 3 applied: read ahead without bound", s)
	}
	if m := most.Load(); m > 2 {
		t.Fatalf("%d works ran at once on 2 workers", m)
	}
}

// TestInOrderRaisesWorkPanicsInApply: a panic in a worker reaches the
// caller, where a serial pass would have raised it, instead of killing
// the process from a goroutine no one can recover.
func TestInOrderRaisesWorkPanicsInApply(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	defer func() {
		if p := recover(); p != "bad file" {
			t.Fatalf("recovered %v, want the work's panic", p)
		}
	}()
	inOrder(5, func(i int) int {
		if i == 3 {
			panic("bad file")
		}
		return i
	}, func(int, int) bool { return true })
	t.Fatal("no panic")
}

// TestRunSameOnEveryCore: the import read on two cores reports exactly
// what the serial run (one core: inOrder then works in turn) reports,
// progress included: Bundles, US Core, the edge cases, and NDJSON routed
// in many chunks (files read again, orphans counted once).
func TestRunSameOnEveryCore(t *testing.T) {
	_, nd := smartAsNDJSON(t)
	runs := []struct {
		group int64
		paths []string
	}{
		{0, []string{filepath.Join(testdata, "synthea"), filepath.Join(testdata, "uscore-inferno")}},
		{0, []string{filepath.Join(testdata, "edge-cases/cases")}},
		{1, []string{nd}},
	}
	for _, c := range runs {
		var got [2]string
		for i, procs := range []int{1, 2} {
			prev := runtime.GOMAXPROCS(procs)
			var progress []chart.ImportProgress
			rep := run(t, newMemStore(), RunOptions{By: "dana", GroupBytes: c.group,
				Progress: func(p chart.ImportProgress) { progress = append(progress, p) }}, c.paths...)
			runtime.GOMAXPROCS(prev)
			rep.ID, rep.StartedAt, rep.FinishedAt, rep.Seconds, rep.PeakHeap = "", time.Time{}, time.Time{}, 0, 0
			got[i] = string(must(json.Marshal(struct {
				Rep      *chart.ImportReport
				Progress []chart.ImportProgress
			}{rep, progress})))
		}
		if got[0] != got[1] {
			t.Errorf("%v: the report on two cores differs from one core's:\n%s\n%s", c.paths, got[0], got[1])
		}
	}
}
