package sqlite

import (
	"context"
	"os"
	"testing"

	"outpost/sync/client"
)

func walSize(t testing.TB, path string) int64 {
	t.Helper()
	st, err := os.Stat(path + "-wal")
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// Issue #16.4: after a join the write-ahead log kept its peak size. A
// workstation joining a practice of 3,000 patients, then signing in for
// the first time (which merges every record in one transaction), is left
// with a small log.
func TestJoinLeavesASmallWAL(t *testing.T) {
	sizedWithoutRace(t)
	b := joinedAfterPull(t, 3000)
	joined := walSize(t, b.path)
	b.signIn(t, "ada", adminPass)
	signedIn := walSize(t, b.path)
	t.Logf("B's log: %d KiB after the join, %d KiB after the first sign-in", joined>>10, signedIn>>10)
	if joined > 1<<20 || signedIn > 1<<20 {
		t.Fatalf("B's write-ahead log is %d KiB after the join and %d KiB after the first sign-in; want under 1 MiB",
			joined>>10, signedIn>>10)
	}
}

// joinedAfterPull is a workstation B that joined a practice of n patients
// and pulled them, before its first sign-in.
func joinedAfterPull(t *testing.T, n int) *fixture {
	t.Helper()
	server := newPracticeServer(t)
	fa := newFixture(t)
	seedPatients(t, fa.admin, n)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	a.sync(t)
	b, c := beginJoin(t, server)
	if _, err := client.JoinPull(context.Background(), b.w, c, 0, nil); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheckpointEmptiesTheWAL(t *testing.T) {
	f := newFixture(t)
	seedPatients(t, f.admin, 2000)
	peak := walSize(t, f.path)
	if err := f.w.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := walSize(t, f.path); after != 0 {
		t.Fatalf("log is %d bytes after a checkpoint (%d before)", after, peak)
	}
	var limit int64
	if err := f.w.db.QueryRow(`PRAGMA journal_size_limit`).Scan(&limit); err != nil || limit != walSizeLimit {
		t.Fatalf("journal_size_limit = %d, %v; want %d", limit, err, walSizeLimit)
	}
	var timeout int
	if err := f.w.db.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil || timeout != busyTimeoutMS {
		t.Fatalf("busy_timeout after a checkpoint = %d, %v; want %d", timeout, err, busyTimeoutMS)
	}
	// The store still works after it.
	register(t, f.admin, samplePatient("After", "Checkpoint"))
}
