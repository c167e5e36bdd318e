package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"os"
)

// A pulled chunk (ApplyRemoteAt) writes a few hundred to a few thousand
// pages of log. When its commit crossed walAutoPages, SQLite's automatic
// checkpoint copied the log into the database and waited on that file's
// fsync inside the commit, and at the end of the sync the engine's
// Checkpoint copied and emptied the log again: 10-70 ms of the S3 pull
// (docs/benchmarks.md, #12), on the way back to the person who asked for
// the sync, and none of it durability (the fsync'd log is; a crash before
// any checkpoint replays it). So, as the first sign-in after a join does
// (wal_left.go), a pulled chunk commits with the automatic checkpoint off
// (logLeft), and so does every write after it (writeTx: a save's commit
// would otherwise copy the whole log itself) until the copy is asked for:
// at the end of the sync (Session.Checkpoint: the copy on a goroutine of
// its own, the log emptied at the next quiet moment), or, when nobody asks
// (a small pull, one that failed), at the background checkpointer's next
// quiet moment, which copies and empties it (quietMoment).
//
// The log stays bounded: a write that finds the log file at walLeftMax or
// more commits with the automatic checkpoint as before, which copies the
// whole log, so the next write starts it over (and journal_size_limit cuts
// the file back). A long pull's log therefore never grows much past
// walLeftMax, as it could if every chunk left its copy to a background
// checkpoint that never catches up with a writer that does not pause (the
// log starts over only when it has been copied whole).

// walLeftMax is how large the log file may be for a pulled chunk to
// leave its checkpoint behind: the size journal_size_limit cuts it back
// to. A var so that a test can lower it.
var walLeftMax int64 = walSizeLimit

// writeLeavingCopy is write for a pulled chunk: without the automatic
// checkpoint while the log is under walLeftMax (writeLeavingCheckpoint),
// and then every write until the sync's end asks for the copy
// (Session.Checkpoint) or writes pause (quietMoment).
func (w *Workstation) writeLeavingCopy(ctx context.Context, fn func(t *tx) error) error {
	if w.logSize() >= w.leftMax() {
		return w.write(ctx, fn)
	}
	return w.writeLeavingCheckpoint(ctx, fn)
}

// leaveLog asks the background checkpointer's next quiet moment to copy
// the log into the database and empty it (quietMoment, checkpointLeft).
func (w *Workstation) leaveLog() {
	w.walLeft.Store(true)
	w.checkpoints.written()
}

// logSize is the size of the log file now: 0 when there is none, and
// walLeftMax when it cannot be read (the automatic checkpoint then stays).
func (w *Workstation) logSize() int64 {
	st, err := os.Stat(w.path + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		return walLeftMax
	}
	return st.Size()
}
