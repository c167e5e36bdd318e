package snapshot

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"outpost/backup"
)

var testCounts = Counts{"rows": `SELECT count(*) FROM t`}

// liveDB is a WAL database like the stores, with rows of about 2 KB.
func liveDB(t testing.TB, rows int) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.db")
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{`CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`,
		`INSERT INTO schema_migrations VALUES ('0001_init', 'now')`,
		`CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?) INSERT INTO t (v) SELECT randomblob(2000) FROM n`} {
		if _, err := db.Exec(q, rows); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestCopyIsConsistentWhileWritersRun copies while another connection
// inserts as fast as it can: the copy opens, passes the integrity check and
// holds exactly the rows counted at the snapshot, and the writer was never
// held up for the length of the copy.
func TestCopyIsConsistentWhileWritersRun(t *testing.T) {
	db := liveDB(t, 3000)
	ctx := context.Background()
	var inserted atomic.Int64
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if _, err := db.Exec(`INSERT INTO t (v) VALUES (randomblob(2000))`); err != nil {
				done <- err
				return
			}
			inserted.Add(1)
		}
	}()
	dst := filepath.Join(t.TempDir(), "copy.db")
	counts, err := Copy(ctx, db, dst, testCounts, func(done, total int) { time.Sleep(2 * time.Millisecond) })
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatalf("writer: %v", werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if inserted.Load() == 0 {
		t.Fatal("the writer inserted nothing while the copy ran: it was blocked")
	}
	if counts["rows"] < 3000 {
		t.Fatalf("counted %d rows at the snapshot", counts["rows"])
	}
	got, err := Check(ctx, dst, testCounts, counts)
	if err != nil {
		t.Fatalf("Check: %v (copy has %v, snapshot %v)", err, got, counts)
	}
	hdr := make([]byte, 20)
	f, _ := os.Open(dst)
	f.ReadAt(hdr, 0)
	f.Close()
	if hdr[18] != 1 || hdr[19] != 1 {
		t.Errorf("copy header says WAL (%d,%d): it would need -wal/-shm files to open", hdr[18], hdr[19])
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Errorf("the copy's folder holds %d files, want only the copy", len(entries))
	}
}

func job(db *sql.DB, dir string) Job {
	return Job{DB: db, Dir: dir, Kind: backup.KindWorkstation, Counts: testCounts, Now: time.Now(),
		Source: backup.Source{PracticeID: "p", PracticeName: "Riverbend", WorkstationID: "w-123456", WorkstationName: "Desk"}}
}

func TestTakeWritesAVerifiedBackup(t *testing.T) {
	db := liveDB(t, 500)
	dir := t.TempDir()
	var phases []string
	j := job(db, dir)
	j.Progress = func(p Progress) {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
	}
	res, err := Take(context.Background(), j)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(phases, ",") != "copying,checking,sealing,verifying" {
		t.Errorf("phases = %v", phases)
	}
	if res.Manifest.Counts["rows"] != 500 || res.Manifest.Schema != "0001_init" {
		t.Errorf("manifest = %+v", res.Manifest)
	}
	if _, err := backup.Verify(res.Path, nil); err != nil {
		t.Fatal(err)
	}
	// The image at the start of the file opens as it is.
	if _, err := Check(context.Background(), res.Path, testCounts, res.Manifest.Counts); err != nil {
		t.Errorf("the backup file does not open as SQLite: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != filepath.Base(res.Path) {
		t.Errorf("folder holds %v, want only the backup", entries)
	}
}

// TestDriveRemovedMidBackup removes the backup folder while pages are being
// copied (the USB stick pulled out): a clear message, nothing left behind,
// the live database untouched, and the next run succeeds once it is back.
func TestDriveRemovedMidBackup(t *testing.T) {
	db := liveDB(t, 3000)
	dir := filepath.Join(t.TempDir(), "usb")
	os.Mkdir(dir, 0o700)
	j := job(db, dir)
	removed := false
	j.Progress = func(p Progress) {
		if p.Phase == PhaseCopying && p.Fraction > 0.2 && !removed {
			removed = true
			if err := os.RemoveAll(dir); err != nil {
				t.Error(err)
			}
		}
	}
	_, err := Take(context.Background(), j)
	if backup.KindOf(err) != backup.FolderMissing || !strings.Contains(err.Error(), "drive removed") {
		t.Fatalf("Take with the folder removed: %v (kind %q)", err, backup.KindOf(err))
	}
	if err := Integrity(context.Background(), db); err != nil {
		t.Fatalf("live database: %v", err)
	}
	os.Mkdir(dir, 0o700)
	j.Progress = nil
	if _, err := Take(context.Background(), j); err != nil {
		t.Fatalf("the next run: %v", err)
	}
}

// TestBackupDriveFull backs up to a real 2 MiB file system (tmpfs; needs
// root, as CI and this machine have): the backup fails saying the drive is
// full, the partial file is gone, an earlier backup on the drive is intact.
func TestBackupDriveFull(t *testing.T) {
	dir := smallDrive(t, "2m")
	small := liveDB(t, 100) // ~250 KB: fits
	first, err := Take(context.Background(), job(small, dir))
	if err != nil {
		t.Fatalf("a backup that fits: %v", err)
	}
	big := liveDB(t, 3000) // ~6 MB: does not
	j := job(big, dir)
	j.Now = time.Now().Add(time.Hour)
	_, err = Take(context.Background(), j)
	if backup.KindOf(err) != backup.NoSpace || !strings.Contains(err.Error(), "backup drive is full") {
		t.Fatalf("Take onto a full drive: %v (kind %q)", err, backup.KindOf(err))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != filepath.Base(first.Path) {
		t.Errorf("drive holds %v, want only the earlier backup", entries)
	}
	if _, err := backup.Verify(first.Path, nil); err != nil {
		t.Errorf("the earlier backup: %v", err)
	}
}

// smallDrive mounts a tmpfs of size at a temp folder and unmounts it at the
// end; without the privilege to mount, the test is skipped (saying why).
func smallDrive(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

func TestCancelledBackupLeavesNothing(t *testing.T) {
	db := liveDB(t, 2000)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	j := job(db, dir)
	j.Progress = func(p Progress) {
		if p.Fraction > 0.1 {
			cancel()
		}
	}
	if _, err := Take(ctx, j); err == nil {
		t.Fatal("a cancelled backup succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %v behind", entries)
	}
}
