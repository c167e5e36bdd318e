package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"
)

// A sync's pull leaves its checkpoint to the background (wal_pull.go):
// when SyncOnce returns, nothing of the pull has been copied into the
// database file (the old code's chunk commits and the engine's Checkpoint
// at the end had copied it and emptied the log); a crash at that moment
// loses nothing; once the checkpointer's quiet moment comes, the log is
// emptied. B's automatic checkpoint is lowered to 16 pages, so that each
// chunk's commit crosses it (S3's log crosses walAutoPages).
func TestPullLeavesItsCheckpointBehind(t *testing.T) {
	ctx := context.Background()
	server := newPracticeServer(t)
	fa := newFixture(t)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	lowerAutoCheckpoint(t, 16)
	fb := joinPractice(t, fa)
	b := syncingWorkstation{fb, server.enroll(t, fb.admin)}
	b.sync(t)                      // B's own outbox sent: the sync below is the pull
	seedPatients(t, fa.admin, 600) // more than a chunk: the engine's Checkpoint is asked for
	a.sync(t)

	release := holdCheckpoints(t, fb.w)
	if err := fb.w.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	before := must(os.ReadFile(fb.path))(t)
	rep := b.sync(t)
	if rep.Received < 600 {
		t.Fatalf("B received %d changes; want at least 600", rep.Received)
	}
	if !bytes.Equal(must(os.ReadFile(fb.path))(t), before) {
		t.Fatal("B's database file changed during the pull: its checkpoint ran before the sync returned")
	}
	left := walSize(t, fb.path)
	want := fb.admin.index.Len()
	t.Logf("B's log: %d KiB when the sync returned; %d patients", left>>10, want)

	// A crash as the sync returned: the image reopens with every patient.
	w := openStore(t, crashImage(t, fb.path), fb.clock)
	defer w.Close()
	rs, err := w.SignIn(ctx, "ada", adminPass)
	if err != nil {
		t.Fatalf("SignIn after the crash: %v", err)
	}
	if got := rs.(*Session).index.Len(); got != want || want < 600 {
		t.Fatalf("%d patients after the crash; want %d (at least 600)", got, want)
	}

	release()
	deadline := time.Now().Add(30 * time.Second)
	for walSize(t, fb.path) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("B's log is still %d KiB 30 s after the pull; want it emptied", walSize(t, fb.path)>>10)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The log a pull leaves is bounded: a chunk that finds the log file at
// walLeftMax or more commits with the automatic checkpoint, as before.
func TestPullLeavesNoLogPastTheBound(t *testing.T) {
	f := newFixture(t)
	holdCheckpoints(t, f.w)
	register(t, f.admin, samplePatient("Some", "Log")) // a log file of a few pages
	autoCheckpointIn := func() (pages int) {
		t.Helper()
		err := f.w.writeLeavingCopy(context.Background(), func(t *tx) error {
			return t.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&pages)
		})
		if err != nil {
			t.Fatal(err)
		}
		return pages
	}
	if got := autoCheckpointIn(); got != 0 {
		t.Fatalf("under the bound a pulled chunk commits with wal_autocheckpoint = %d; want 0", got)
	}
	defer func(max int64) { walLeftMax = max }(walLeftMax)
	walLeftMax = walSize(t, f.path)
	if got := autoCheckpointIn(); got != walAutoPages {
		t.Fatalf("with the log at the bound a pulled chunk commits with wal_autocheckpoint = %d; want %d",
			got, walAutoPages)
	}
	wantAutoCheckpoint(t, f.w)
}

// While a pull's log waits for its copy, a save (any write) commits
// without the automatic checkpoint too: it would otherwise copy the whole
// log itself, the clinician waiting on it. Up to walLeftMax, past which
// it checkpoints as before.
func TestSaveAfterAPullLeavesTheCopyToo(t *testing.T) {
	ctx := context.Background()
	lowerAutoCheckpoint(t, 16) // each save below crosses it
	f := newFixture(t)
	release := holdCheckpoints(t, f.w)
	if err := f.w.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	before := must(os.ReadFile(f.path))(t)
	if err := f.w.writeLeavingCopy(ctx, func(*tx) error { return nil }); err != nil { // as a pulled chunk
		t.Fatal(err)
	}
	seedPatients(t, f.admin, 200)
	if !bytes.Equal(must(os.ReadFile(f.path))(t), before) {
		t.Fatal("a save after a pull copied the log into the database before it returned")
	}
	defer func(max int64) { walLeftMax = max }(walLeftMax)
	walLeftMax = walSize(t, f.path)
	register(t, f.admin, samplePatient("Past", "Bound"))
	if bytes.Equal(must(os.ReadFile(f.path))(t), before) {
		t.Fatal("with the log at walLeftMax a save still left its checkpoint")
	}
	release()
	wantAutoCheckpoint(t, f.w)
}

// lowerAutoCheckpoint gives the stores opened until the test ends an
// automatic checkpoint of pages (walAutoPages).
func lowerAutoCheckpoint(t *testing.T, pages int) {
	t.Helper()
	was, wasPages := slices.Clone(pragmas), walAutoPages
	t.Cleanup(func() { pragmas, walAutoPages = was, wasPages })
	walAutoPages = pages
	for i, p := range pragmas {
		if strings.HasPrefix(p, "wal_autocheckpoint(") {
			pragmas[i] = fmt.Sprintf("wal_autocheckpoint(%d)", pages)
		}
	}
}

// holdCheckpoints holds w's background checkpointer and the copies of a
// log left (copyLeftLog) until release (or the test's end): what a pull
// left stays in the log meanwhile.
func holdCheckpoints(t *testing.T, w *Workstation) (release func()) {
	t.Helper()
	w.background.Wait() // nothing else writes while the checkpointer is swapped
	w.checkpoints.close()
	gate := make(chan struct{})
	w.checkpoints = startCheckpointer(func(ctx context.Context) { <-gate; w.quietMoment(ctx) })
	w.leftCopy.Lock()
	var once gosync.Once
	release = func() { once.Do(func() { w.leftCopy.Unlock(); close(gate) }) }
	t.Cleanup(release) // before the store's Close, which waits for the checkpointer
	return release
}
