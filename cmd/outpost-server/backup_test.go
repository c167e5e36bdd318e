package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outpost/backup"
)

// TestServerBackupAndRestore backs up a serving server with the real
// binary, while a workstation pushes: the backup verifies and holds what
// was acknowledged before it; a flipped byte is refused by restore; the
// restored server serves the same certificate (workstations' pins hold)
// and every change.
func TestServerBackupAndRestore(t *testing.T) {
	dir := initDir(t)
	srv := startServer(t, dir)
	c := enrolClient(t, enrolCode(t, dir, srv.addr), nil)
	if _, err := c.Push(context.Background(), makeChanges(c.DeviceID, 300, 400)); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(t.TempDir(), "nas", "outpost")
	if code, _, stderr := runInProcess("backup", "-dir", dir, "-out", folder); code != 1 || !strings.Contains(stderr, "not there") {
		t.Fatalf("backup to a missing folder: %d %s", code, stderr)
	}
	os.MkdirAll(folder, 0o700)
	pushing := make(chan error, 1)
	go func() {
		_, err := c.Push(context.Background(), makeChanges(c.DeviceID, 300, 400))
		pushing <- err
	}()
	out := runCmd(t, "backup", "-dir", dir, "-out", folder)
	if err := <-pushing; err != nil {
		t.Fatalf("a push while backing up: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(folder, "*"+backup.Ext))
	if len(files) != 1 || !strings.Contains(out, "verified") || !strings.HasPrefix(filepath.Base(files[0]), "outpost_server_") {
		t.Fatalf("backup printed %q; folder holds %v", out, files)
	}
	m, err := backup.Verify(files[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Counts["changes"]; n != 300 && n != 600 {
		t.Fatalf("the backup holds %d changes: not a consistent moment (300 before the second push, 600 after)", n)
	}

	damaged := filepath.Join(t.TempDir(), "damaged"+backup.Ext)
	b, _ := os.ReadFile(files[0])
	b[len(b)/3] ^= 0x40
	os.WriteFile(damaged, b, 0o600)
	if code, _, stderr := runInProcess("restore", "-dir", filepath.Join(t.TempDir(), "x"), "-in", damaged); code != 1 || !strings.Contains(stderr, "damaged") {
		t.Fatalf("restore of a flipped byte: %d %s", code, stderr)
	}
	if code, _, stderr := runInProcess("restore", "-dir", dir, "-in", files[0]); code != 1 || !strings.Contains(stderr, "already holds a server") {
		t.Fatalf("restore over a server: %d %s", code, stderr)
	}

	srv.stop(t)
	restored := filepath.Join(t.TempDir(), "restored")
	runCmd(t, "restore", "-dir", restored, "-in", files[0])
	srv2 := startServer(t, restored)
	c.BaseURL = "https://" + srv2.addr // same pinned fingerprint
	afterCrash()
	got := pullAll(t, c, 1000)
	if int64(len(got)) != m.Counts["changes"] {
		t.Fatalf("the restored server serves %d changes, the backup holds %d", len(got), m.Counts["changes"])
	}
}

// TestServerBackupToAFile: -out naming a file writes exactly that file.
func TestServerBackupToAFile(t *testing.T) {
	dir := initDir(t)
	out := filepath.Join(t.TempDir(), "nightly"+backup.Ext)
	runCmd(t, "backup", "-dir", dir, "-out", out)
	if _, err := backup.Verify(out, nil); err != nil {
		t.Fatal(err)
	}
	runCmd(t, "backup", "-dir", dir, "-out", out) // replaced, atomically
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Fatalf("folder holds %v", entries)
	}
}
