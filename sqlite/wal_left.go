package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"

	"outpost/internal/worker"
)

// A first sign-in after a join, chart first (SignInChartFirst, as the app
// signs in), rewrites every record it merges in one transaction:
// tens of MB of write-ahead log. Its commit crossed walAutoPages, so the
// commit itself copied that log into the database and waited on the
// database file's fsync, then materialise emptied the log (Checkpoint),
// all before the chart opened. Neither makes anything durable: the commit
// is, once the log's frames are fsync'd (synchronous=FULL), and a crash
// before any checkpoint replays the log at the next open. So that
// transaction commits with the automatic checkpoint off, and the copy runs
// at once on a goroutine of its own, beside the session's opening (whose
// own commit then finds the checkpoint under way and skips it: an automatic
// checkpoint never waits); the log is emptied (Checkpoint's truncation) at
// the background checkpointer's next quiet moment, so it still ends small
// (TestJoinFirstSignInLeavesItsCheckpointBehind). A sign-in that merges
// everything before it returns still empties the log first
// (TestJoinLeavesASmallWAL): nobody sees a chart before that anyway.

// writeLeavingCheckpoint is write on a connection whose automatic
// checkpoint is off for this transaction; the checkpoint it would have run
// follows on a goroutine of its own (Close waits for it).
func (w *Workstation) writeLeavingCheckpoint(ctx context.Context, fn func(t *tx) error) error {
	if w.checkpoints == nil { // no background checkpointer: as write
		return w.write(ctx, fn)
	}
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return diskError(fmt.Errorf("begin: %w", err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		return diskError(fmt.Errorf("begin: %w", err))
	}
	err = w.writeOn(ctx, conn, fn)
	if err == nil {
		w.copyLeftLog()
	}
	if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, walAutoPages)); rerr != nil {
		// Never hand a connection without its automatic checkpoint back
		// to the pool: the log would grow without bound on it.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		slog.Warn("restore the automatic checkpoint", "err", rerr)
	}
	return diskError(err)
}

// copyLeftLog copies the log a large commit left into the database now,
// on a goroutine of its own (PASSIVE: it waits for nobody, and nobody for
// it), and asks the next quiet moment to empty it (walLeft). A checkpoint
// that fails loses nothing (wal_background.go): the log keeps every frame.
func (w *Workstation) copyLeftLog() {
	w.background.Add(1)
	go func() {
		defer w.background.Done()
		if err := worker.Guard(func() error { w.passiveCheckpoint(context.Background()); return nil }); err != nil {
			slog.Warn("checkpoint left by a large write", "err", err)
		}
		// The truncation, once writes pause: asked only now, so that a
		// quiet moment meanwhile does not spend it beside this copy.
		w.walLeft.Store(true)
		w.checkpoints.written()
	}()
}

// checkpointLeft is quietMoment's work after copyLeftLog: Checkpoint,
// which empties the log. Best effort, as it was inline: a log left large is
// trimmed when it next starts over.
func (w *Workstation) checkpointLeft(ctx context.Context) {
	if err := w.Checkpoint(ctx); err != nil && !errors.Is(err, context.Canceled) {
		slog.Warn("checkpoint left by a large write", "err", err)
	}
}
