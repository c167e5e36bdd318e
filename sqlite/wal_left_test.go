package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The first sign-in after a join leaves its checkpoint to the background
// (wal_left.go): when SignInChartFirst returns, the merge's log is still
// there (the old code had copied and emptied it first, on the way to the
// chart); a crash at that moment loses nothing (the log is the
// durability, not the checkpoint); the log is then emptied without anyone
// asking, and every pooled connection has its automatic checkpoint back.
func TestJoinFirstSignInLeavesItsCheckpointBehind(t *testing.T) {
	ctx := context.Background()
	b := joinedAfterPull(t, 300)
	before := walSize(t, b.path)
	ss, err := b.w.SignInChartFirst(ctx, "ada", adminPass, nil)
	if err != nil {
		t.Fatalf("SignInChartFirst: %v", err)
	}
	// Read at once: the truncation waits for walQuiet after the copy.
	left := walSize(t, b.path)
	image := crashImage(t, b.path)
	t.Logf("B's log: %d KiB after the join, %d KiB when the first sign-in returned", before>>10, left>>10)
	if left < 256<<10 {
		t.Fatalf("B's log is %d KiB when the first sign-in returns: it checkpointed before the chart opened", left>>10)
	}
	want := ss.(*Session).index.Len()
	if want < 300 {
		t.Fatalf("%d patients in the index after the first sign-in; want at least 300", want)
	}

	// A crash as the sign-in returned: the image reopens with every patient.
	w := openStore(t, image, b.clock)
	defer w.Close()
	rs, err := w.SignIn(ctx, "ada", adminPass)
	if err != nil {
		t.Fatalf("SignIn after the crash: %v", err)
	}
	if got := rs.(*Session).index.Len(); got != want {
		t.Fatalf("%d patients after the crash; want %d", got, want)
	}

	wantLogEmptiedAfterSignIn(t, b)
}

// A panic in the transaction (recovered by the caller, as the app's bound
// methods do) still gives the connection its automatic checkpoint back.
func TestWriteLeavingCheckpointRestoresAfterAPanic(t *testing.T) {
	f := newFixture(t)
	func() {
		defer func() { _ = recover() }()
		_ = f.w.writeLeavingCheckpoint(context.Background(), func(*tx) error { panic("a record no check foresaw") })
	}()
	if f.w.logLeft.Load() {
		t.Fatal("a transaction that never committed says it left a log")
	}
	wantAutoCheckpoint(t, f.w)
}

// wantLogEmptiedAfterSignIn waits (up to 30 s) for the log the first
// sign-in left to be emptied behind it, then checks the connections.
func wantLogEmptiedAfterSignIn(t *testing.T, b *fixture) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for walSize(t, b.path) > 1<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("B's log is still %d KiB 30 s after the first sign-in; want under 1 MiB", walSize(t, b.path)>>10)
		}
		time.Sleep(50 * time.Millisecond)
	}
	wantAutoCheckpoint(t, b.w)
}

// wantAutoCheckpoint checks every pooled connection, held at once, has
// SQLite's automatic checkpoint (walAutoPages).
func wantAutoCheckpoint(t *testing.T, w *Workstation) {
	t.Helper()
	ctx := context.Background()
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 4 {
		conn, err := w.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		var pages int
		if err := conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil || pages != walAutoPages {
			t.Fatalf("a pooled connection's wal_autocheckpoint = %d, %v; want %d", pages, err, walAutoPages)
		}
	}
}

// crashImage copies the store's files as they are on disk now (the
// database, then its log) beside it, as a crash would leave them.
func crashImage(t *testing.T, path string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "chart.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}
