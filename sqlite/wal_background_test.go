package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestWALCheckpointedInTheBackground: the pages a few hundred small writes
// leave in the write-ahead log (fewer than SQLite's old automatic threshold
// of 1,000, so no commit copies them) reach the database file soon after
// the writes stop, with no one calling Checkpoint.
func TestWALCheckpointedInTheBackground(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before := fileSize(t, f.path)
	value := strings.Repeat("x", 3000) // about a page a write
	for i := range 300 {
		err := f.w.write(ctx, func(t *tx) error {
			_, err := t.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`,
				fmt.Sprintf("wal-test-%d", i), value)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second) // generous: the box is shared
	for fileSize(t, f.path) < before+200*4096 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (was %d) well after the writes: the log was not copied in the background",
				fileSize(t, f.path), before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWALCheckpointerStopsWithTheStore: Close waits for the checkpointer,
// and a write told to a closed one neither blocks nor panics.
func TestWALCheckpointerStopsWithTheStore(t *testing.T) {
	ran := make(chan struct{}, 10)
	c := startCheckpointer(func(context.Context) { ran <- struct{}{} })
	c.written()
	select {
	case <-ran:
	case <-time.After(30 * time.Second):
		t.Fatal("no checkpoint after a write")
	}
	c.close()
	c.close()
	c.written()
	c.written()
	select {
	case <-ran:
		t.Fatal("a stopped checkpointer ran")
	case <-time.After(time.Second):
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestFreedPagesHandedBackInTheQuietMoment: the pages a write frees are
// handed back to the file system once writes pause (the background
// checkpointer), not inside the write that freed them, which a save then
// would pay for.
func TestFreedPagesHandedBackInTheQuietMoment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if !f.w.incrementalVacuum {
		t.Fatal("a new store should have incremental auto-vacuum")
	}
	big := make([][]byte, 8)
	for i := range big {
		big[i] = make([]byte, 256<<10) // 2 MiB in all: ~256 pages
	}
	if err := f.w.writeIndexSnapshot(ctx, big); err != nil {
		t.Fatal(err)
	}
	pagesFull := pragmaInt(t, f.w, "page_count")
	if err := f.w.writeIndexSnapshot(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if free := pragmaInt(t, f.w, "freelist_count"); free < 200 {
		t.Fatalf("%d free pages right after the delete: the write handed its pages back itself", free)
	}
	free, pages := waitFreePagesHandedBack(t, f.w)
	if free != 0 {
		t.Fatalf("still %d free pages well after the writes stopped", free)
	}
	if pages > pagesFull-200 {
		t.Fatalf("%d pages after the quiet moment, %d with the blobs: not handed back", pages, pagesFull)
	}
}

func pragmaInt(t *testing.T, w *Workstation, name string) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(`PRAGMA ` + name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFreedPagesHandedBackOnClose: a store closed before its quiet moment
// (the app quit, or a sync run as its own process, right after a push
// whose acknowledgement freed the audit batches' bytes) hands the freed
// pages back as it closes, instead of keeping them in the file until it
// is next opened and written: they were 7.7 MB of a 2,000-patient
// workstation's 114 MB after its initial push (issue #12).
func TestFreedPagesHandedBackOnClose(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.w.checkpoints.close() // no quiet moment comes before Close
	big := make([][]byte, 8)
	for i := range big {
		big[i] = make([]byte, 256<<10) // 2 MiB in all: ~256 pages
	}
	if err := f.w.writeIndexSnapshot(ctx, big); err != nil {
		t.Fatal(err)
	}
	if err := f.w.writeIndexSnapshot(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if free := pragmaInt(t, f.w, "freelist_count"); free < 200 {
		t.Fatalf("%d free pages after the delete; the test needs some", free)
	}
	if err := f.w.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var free, pages int
	if err := db.QueryRow(`SELECT (SELECT freelist_count FROM pragma_freelist_count), (SELECT page_count FROM pragma_page_count)`).Scan(&free, &pages); err != nil {
		t.Fatal(err)
	}
	if free != 0 {
		t.Fatalf("%d free pages left in the closed store's file (of %d)", free, pages)
	}
	if size := fileSize(t, f.path); size != int64(pages)*chartPageSize {
		t.Fatalf("file is %d bytes, %d pages of %d", size, pages, chartPageSize)
	}
}
