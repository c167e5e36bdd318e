package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"

	"outpost/internal/worker"
)

// A first sign-in after a join, chart first (SignInChartFirst, as the app
// signs in), rewrites every record it merges in one transaction: ~17 MB
// of write-ahead log at 2,000 patients. Its commit crossed walAutoPages, so the commit
// itself copied that log into the database and waited on the database
// file's fsync, then materialise emptied the log (Checkpoint), all before
// the chart opened. Neither makes anything durable: the commit is, once the
// log's frames are fsync'd (synchronous=FULL), and a crash before any
// checkpoint replays the log at the next open. So that transaction, and the
// session's opening after it, commit with the automatic checkpoint off
// (logLeft), and once the session is open the copy runs on a goroutine of
// its own (copyLeftLog); the log is emptied (Checkpoint's truncation) at the
// background checkpointer's next quiet moment, so it still ends small
// (TestJoinFirstSignInLeavesItsCheckpointBehind). A copy started beside
// the session's opening slowed the opening by about as much as it saved
// (+0.05 s for -0.07 s, docs/benchmarks.md; both wait on the same disk). A sign-in that merges everything before it
// returns still empties the log first (TestJoinLeavesASmallWAL): nobody
// sees a chart before that anyway.

// writeLeavingCheckpoint is write on a connection whose automatic
// checkpoint is off for this transaction. The checkpoint it would have run
// is the caller's to ask for (copyLeftLog); meanwhile logLeft says so, and
// every write commits without it too (writeTx), up to walLeftMax.
func (w *Workstation) writeLeavingCheckpoint(ctx context.Context, fn func(t *tx) error) error {
	if w.checkpoints == nil { // no background checkpointer: as write
		return w.write(ctx, fn)
	}
	if err := w.writeWithoutAutoCheckpoint(ctx, fn); err != nil {
		return diskError(err)
	}
	w.logLeft.Store(true)
	return nil
}

// writeWithoutAutoCheckpoint is writeTx on a connection whose automatic
// checkpoint is off for this transaction only: its commit copies nothing
// into the database.
func (w *Workstation) writeWithoutAutoCheckpoint(ctx context.Context, fn func(t *tx) error) error {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	// Deferred, so that a panic in fn (recovered by the caller) restores
	// it too.
	defer restoreAutoCheckpoint(ctx, conn)
	return w.writeOn(ctx, conn, fn)
}

// restoreAutoCheckpoint gives conn its automatic checkpoint back, or
// drops it from the pool: a pooled connection without one would let the
// log grow without bound.
func restoreAutoCheckpoint(ctx context.Context, conn *sql.Conn) {
	_, err := conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, walAutoPages))
	if err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		slog.Warn("restore the automatic checkpoint", "err", err)
	}
}

// copyLeftLog copies the log writeLeavingCheckpoint left into the database
// now, on a goroutine of its own (PASSIVE: it waits for nobody, and nobody
// for it; one copy at a time, leftCopy), then asks the next quiet moment
// to empty it (walLeft). A checkpoint that fails loses nothing
// (wal_background.go): the log keeps every frame. It does nothing and says
// false when no log was left.
func (w *Workstation) copyLeftLog() bool {
	if !w.logLeft.Swap(false) {
		return false
	}
	w.joinLog.Store(false)
	w.background.Add(1)
	go func() {
		defer w.background.Done()
		w.leftCopy.Lock()
		defer w.leftCopy.Unlock()
		if err := worker.Guard(func() error { w.passiveCheckpoint(context.Background()); return nil }); err != nil {
			slog.Warn("checkpoint left by a large write", "err", err)
		}
		// The truncation, once writes pause: asked only now, so that a
		// quiet moment meanwhile does not spend it beside this copy.
		w.leaveLog()
	}()
	return true
}

// checkpointLeft is quietMoment's work after copyLeftLog: Checkpoint,
// which empties the log. Best effort, as it was inline: a log left large is
// trimmed when it next starts over.
func (w *Workstation) checkpointLeft(ctx context.Context) {
	if err := w.Checkpoint(ctx); err != nil && !errors.Is(err, context.Canceled) {
		slog.Warn("checkpoint left by a large write", "err", err)
	}
}
