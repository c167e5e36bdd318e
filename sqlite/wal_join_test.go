package sqlite

import (
	"bytes"
	"context"
	"os"
	"testing"

	"outpost/sync/client"
)

// A join's pages leave their checkpoint (wal_join.go): when the join from
// heads returns, nothing of it has been copied into the database file,
// although each page's commit crossed the automatic checkpoint (lowered to
// 16 pages) and the log outgrew a pull's bound (walLeftMax, lowered below
// it: the join's bound is its own); a crash then loses nothing; the first
// sign-in opens the chart, and the log is emptied behind it.
func TestJoinLeavesItsCheckpointBehind(t *testing.T) {
	ctx := context.Background()
	server := newPracticeServer(t)
	fa := newFixture(t)
	seedPatients(t, fa.admin, 300)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	a.sync(t)
	lowerAutoCheckpoint(t, 16)
	b, c := beginJoin(t, server)
	release := holdCheckpoints(t, b.w)
	if err := b.w.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	defer func(max int64) { walLeftMax = max }(walLeftMax)
	walLeftMax = 64 << 10
	before := must(os.ReadFile(b.path))(t)
	if _, err := client.JoinFromHeads(ctx, b.w, c, nil); err != nil {
		t.Fatalf("JoinFromHeads: %v", err)
	}
	left := walSize(t, b.path)
	t.Logf("B's log: %d KiB when the join returned", left>>10)
	if !bytes.Equal(must(os.ReadFile(b.path))(t), before) {
		t.Fatal("B's database file changed during the join: its pages' commits checkpointed")
	}
	if left <= walLeftMax {
		t.Fatalf("B's log is %d KiB: the join should have outgrown a pull's bound (%d KiB)", left>>10, walLeftMax>>10)
	}

	// A crash as the join returned: the image signs in with every patient.
	w := openStore(t, crashImage(t, b.path), b.clock)
	defer w.Close()
	rs, err := w.SignIn(ctx, "ada", adminPass)
	if err != nil {
		t.Fatalf("SignIn after the crash: %v", err)
	}
	want := rs.(*Session).index.Len()
	if want < 300 {
		t.Fatalf("%d patients after the crash; want at least 300", want)
	}

	ss, err := b.w.SignInChartFirst(ctx, "ada", adminPass, nil)
	if err != nil {
		t.Fatalf("SignInChartFirst: %v", err)
	}
	if got := ss.(*Session).index.Len(); got != want {
		t.Fatalf("%d patients after the first sign-in; %d after the crash", got, want)
	}
	release()
	wantLogEmptiedAfterSignIn(t, b)
}

// The log a join leaves is bounded: a page that finds the log file at
// walJoinLeftMax or more commits with the automatic checkpoint.
func TestJoinLeavesNoLogPastItsBound(t *testing.T) {
	f := newFixture(t)
	holdCheckpoints(t, f.w)
	register(t, f.admin, samplePatient("Some", "Log"))
	autoCheckpointIn := func() (pages int) {
		t.Helper()
		err := f.w.writeLeavingJoinCopy(context.Background(), func(t *tx) error {
			return t.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&pages)
		})
		if err != nil {
			t.Fatal(err)
		}
		return pages
	}
	defer func(pull, join int64) { walLeftMax, walJoinLeftMax = pull, join }(walLeftMax, walJoinLeftMax)
	walLeftMax = 0 // a pull's bound does not apply to a join's page
	if got := autoCheckpointIn(); got != 0 {
		t.Fatalf("under its bound a join's page commits with wal_autocheckpoint = %d; want 0", got)
	}
	walJoinLeftMax = walSize(t, f.path)
	if got := autoCheckpointIn(); got != walAutoPages {
		t.Fatalf("with the log at the join's bound a page commits with wal_autocheckpoint = %d; want %d",
			got, walAutoPages)
	}
	wantAutoCheckpoint(t, f.w)
}

// A quiet moment while a first sign-in merges (its transaction commits
// nothing until it ends, so the writes look quiet) leaves the log a join
// left alone, and asks for another moment; after the sign-in it copies.
func TestQuietMomentWaitsForTheFirstSignInsMerge(t *testing.T) {
	ctx := context.Background()
	lowerAutoCheckpoint(t, 16)
	f := newFixture(t)
	release := holdCheckpoints(t, f.w)
	if err := f.w.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	before := must(os.ReadFile(f.path))(t)
	if err := f.w.writeLeavingJoinCopy(ctx, func(*tx) error { return nil }); err != nil { // as a join's page
		t.Fatal(err)
	}
	seedPatients(t, f.admin, 50)
	f.w.signInMerging.Add(1)
	f.w.quietMoment(ctx)
	if !bytes.Equal(must(os.ReadFile(f.path))(t), before) || !f.w.logLeft.Load() {
		t.Fatal("a quiet moment during a first sign-in's merge copied the log")
	}
	f.w.signInMerging.Add(-1)
	f.w.quietMoment(ctx)
	if bytes.Equal(must(os.ReadFile(f.path))(t), before) {
		t.Fatal("the quiet moment after the merge left the log uncopied")
	}
	release()
}
