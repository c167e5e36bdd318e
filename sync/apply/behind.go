package apply

import (
	"context"
	"errors"
	"fmt"

	"outpost/sync/wire"
)

// Merging behind: the remote hooks a join pull put off run a batch per
// transaction. A batch runs its hooks straight in the transaction (no
// savepoint each, so no statement journal); when one refuses its change
// the batch is rolled back and run again with each hook under its own
// savepoint, so the refused change is held back alone.

// errIsolate rolls a behind batch back so it runs again isolating each
// hook (one of them refused its change).
var errIsolate = errors.New("a remote hook refused a change: isolate it")

// HooksBehind runs the remote hooks of cs, changes a join pull or a page
// stored, in order. Without isolate they run straight in t, together
// (Tx.RunHooks), and a refusal fails the batch (errIsolate: the caller
// runs it again isolating); with isolate each runs under its own
// savepoint (RunHook) and a refusal holds that change back.
func HooksBehind(ctx context.Context, t Tx, k Kinds, cs []*wire.Change, isolate bool) error {
	if isolate {
		for _, c := range cs {
			if _, err := RunHook(ctx, t, k, c); err != nil {
				return err
			}
		}
		return nil
	}
	hooked := make([]*wire.Change, 0, len(cs))
	for _, c := range cs {
		if k.Hooked(c.Kind) {
			hooked = append(hooked, c)
		}
	}
	if len(hooked) == 0 {
		return nil
	}
	err := t.RunHooks(ctx, hooked)
	if _, held := AsHeld(err); held {
		return errIsolate
	}
	if err != nil {
		return fmt.Errorf("store %d changes from %s: %w", len(hooked), hooked[0].ChangeID, err)
	}
	return nil
}

// StepIsolating runs step, one behind batch in its own transaction,
// without isolating its hooks, and once more isolating them when a hook
// refused its change (the first run's transaction rolled back).
func StepIsolating(step func(isolate bool) error) error {
	err := step(false)
	if errors.Is(err, errIsolate) {
		return step(true)
	}
	return err
}
