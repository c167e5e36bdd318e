package apply

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"outpost/sync/wire"
)

// A behind batch runs its hooks straight, in one call (no savepoint each,
// and the store may take them together); when one
// refuses its change the batch runs again with each hook under its own
// savepoint, and only the refused change is held back. (fakeTx fakes the
// port, not SQLite: port_test.go.)
func TestStepIsolatingHoldsTheRefusedChangeAlone(t *testing.T) {
	f := newFake(time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	batch := []wire.Change{f.change("audit", "a1", 1), f.change("audit", "a2", 2)}
	f.refuse[f.id("audit:a2")] = true
	var runs []bool
	err := StepIsolating(func(isolate bool) error {
		runs = append(runs, isolate)
		return HooksBehind(context.Background(), f, fakeKinds{}, []*wire.Change{&batch[0], &batch[1]}, isolate)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(runs, []bool{false, true}) {
		t.Errorf("runs %v, want straight then isolating", runs)
	}
	checkLog(t, f.log, []string{"hooks audit:a1 audit:a2",
		"savepoint hook", "hook audit:a1", "release hook",
		"savepoint hook", "hook audit:a2", "rollback hook", "hold stored audit:a2 content"})
}

// A store's failure (not a refusal) stops the step: it is not run again.
func TestStepIsolatingStopsOnAStoreError(t *testing.T) {
	disk := errors.New("disk I/O error")
	runs := 0
	err := StepIsolating(func(bool) error { runs++; return disk })
	if !errors.Is(err, disk) || runs != 1 {
		t.Errorf("%v after %d runs, want the disk error after one", err, runs)
	}
}
