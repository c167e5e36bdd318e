package sqlite

import "context"

// A join's pages (ApplyJoinPull) write every head of the practice: ~62 MB
// of log at 2,000 patients, and the first sign-in ~18 MB more. Committed
// with the automatic checkpoint, a page's commit copied the log into the
// database every walAutoPages and waited on that file's fsync: at load
// 2.4 the pull took 1.25–1.46 s with those copies, 0.89–0.96 s without
// (docs/benchmarks.md, "S2: the join's pages leave their checkpoint, its
// tail scans nothing"), all of it on the way to a usable chart and none
// of it durability (the fsync'd log is; a crash before any checkpoint
// replays it, and a cut join resumes from its pull cursor). So a join's pages leave the copy as
// a pulled chunk does (wal_pull.go): logLeft, and every write after them
// commits without the automatic checkpoint too, until the copy is asked
// for: once the first sign-in's session is open (materialise: the chart
// first), or at the checkpointer's next quiet moment when nobody signs in
// at once (the app: a clinician typing a passphrase).
//
// The bound is the join's own, walJoinLeftMax, not a pull's walLeftMax:
// under 32 MiB a 2,000-patient join still copied its log inside a page's
// commit twice, and the writes after it (the end of the join, the first
// sign-in's session) each copied the whole log at once. A larger
// practice's join reaches the bound and then commits with the automatic
// checkpoint, which copies the whole log so it starts over; the log file
// never grows much past the bound (journal_size_limit cuts it back).

// walJoinLeftMax is how large the log file may be for a join's page to
// leave its checkpoint behind: a 2,000-patient join and its first sign-in
// (~80 MB) fit under it. A var so that a test can lower it.
var walJoinLeftMax int64 = 128 << 20

// writeLeavingJoinCopy is writeLeavingCopy for a join's page: the log
// left is bounded by walJoinLeftMax until its copy is asked for.
func (w *Workstation) writeLeavingJoinCopy(ctx context.Context, fn func(t *tx) error) error {
	w.joinLog.Store(true)
	return w.writeLeavingCopy(ctx, fn)
}

// leftMax is how large the log left may grow before writes commit with
// the automatic checkpoint again: a join's bound or a pull's.
func (w *Workstation) leftMax() int64 {
	if w.joinLog.Load() {
		return walJoinLeftMax
	}
	return walLeftMax
}
