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

// HookBehind runs the remote hook of c, a change a join pull stored.
// Without isolate it runs straight in t and a refusal fails the batch (for
// StepIsolating to run it again); with isolate it runs under its own
// savepoint (RunHook) and a refusal holds c back.
func HookBehind(ctx context.Context, t Tx, k Kinds, c *wire.Change, isolate bool) error {
	if isolate {
		_, err := RunHook(ctx, t, k, c)
		return err
	}
	err := t.RunHook(ctx, c)
	if _, held := AsHeld(err); held {
		return errIsolate
	}
	if err != nil {
		return fmt.Errorf("store change %s: %w", c.ChangeID, err)
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
