package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
)

// walSizeLimit is what the write-ahead log is cut back to when it starts
// over after a checkpoint (PRAGMA journal_size_limit). Day to day SQLite's
// automatic checkpoints keep it near 4 MB; a join, an import or a large
// pull grows it to the size of everything written since the last complete
// checkpoint.
const walSizeLimit = 32 << 20

// busyTimeoutMS is the connections' busy_timeout (pragmas), restored after
// a checkpoint that ran without one.
const busyTimeoutMS = 10000

// Checkpoint copies the write-ahead log into the database and empties it,
// without making anyone wait: the copying runs beside readers and writers
// (PASSIVE), and the truncation is tried once, without a busy wait, so a
// clinician's save is never held behind it. If a reader still uses the
// log, the log stays for now and journal_size_limit trims it when it next
// starts over. Call it after a large write (a join, a pulled batch, an
// import); it is cheap when the log is small.
func (w *Workstation) Checkpoint(ctx context.Context) error {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	_, err = conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	if _, rerr := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, busyTimeoutMS)); rerr != nil {
		// Never hand a connection without a busy wait back to the pool.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// passiveCheckpoint is the background checkpoint (walCheckpointer): it
// copies what it can without waiting, and its error is dropped, as
// SQLite drops an automatic checkpoint's: the log still holds every frame,
// and the next checkpoint (or the safety net, walAutoPages) copies it.
func (w *Workstation) passiveCheckpoint(ctx context.Context) {
	_, _ = w.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
}

// Checkpoint is Workstation.Checkpoint for the sync engine, which sees the
// session only (client.Checkpointer), at the end of a sync that stored a
// chunk or more: the copy of what the pull left starts on a goroutine of
// its own, the log is emptied at the next quiet moment (wal_pull.go), and
// the sync returns without waiting on either. A store without a
// background checkpointer (not opened by OpenWorkstation) checkpoints now.
func (s *Session) Checkpoint(ctx context.Context) error {
	if s.w.checkpoints == nil {
		return s.w.Checkpoint(ctx)
	}
	if !s.w.copyLeftLog() {
		s.w.leaveLog()
	}
	return nil
}
