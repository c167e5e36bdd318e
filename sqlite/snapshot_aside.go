package sqlite

import (
	"log/slog"

	"outpost/internal/worker"
)

// snapRead is what a stored snapshot's reader found: nil when there is
// none or it does not open; stale when it is to be written again.
type snapRead[S any] struct {
	snap  S
	stale bool
}

// snapshotFault, set by tests only, panics in a snapshot's reader.
var snapshotFault func(what string)

// readSnapshotAside runs read (a stored snapshot's reader: the index's,
// a chart summary's) on a goroutine of its own, so the snapshot opens
// while the heads are read; wait returns what it found. A panic there is
// what a snapshot that does not open is: logged, ignored (every record is
// opened, the result the same) and rewritten. Nothing else on that
// goroutine would recover it, and it would end the app.
func readSnapshotAside[S any](what string, read func() (S, bool)) (wait func() snapRead[S]) {
	done := make(chan snapRead[S], 1)
	go func() {
		var r snapRead[S]
		err := worker.Guard(func() error {
			if snapshotFault != nil {
				snapshotFault(what)
			}
			r.snap, r.stale = read()
			return nil
		})
		if err != nil {
			slog.Warn(what+" unusable; opening the records", "reason", err)
			r = snapRead[S]{stale: true}
		}
		done <- r
	}()
	return func() snapRead[S] { return <-done }
}
