package server

// Backups of the server's store: the same engine as the workstations'
// (package backup/snapshot): an online, consistent snapshot under a
// temporary name, checked (integrity, counts against the store), sealed
// with a checksum, read back, renamed. The store holds only sealed changes
// and routing metadata, so a backup reveals no health data; the manifest
// carries the server's TLS certificate and key, which workstations pin.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"outpost/backup"
	"outpost/backup/snapshot"
)

// backupCounts are what a server backup records and a restore checks.
var backupCounts = snapshot.Counts{
	"changes":     `SELECT count(*) FROM changes`,
	"devices":     `SELECT count(*) FROM devices`,
	"revokedKeys": `SELECT count(*) FROM revoked_keys`,
}

// BackupOptions say where a server backup goes and what goes with it.
type BackupOptions struct {
	// Dir is the folder; Name the file's name, "" for a name with the
	// time, kept as generations under Keep.
	Dir, Name string
	Keep      backup.Policy
	// Files go into the manifest (the TLS certificate and key).
	Files    map[string][]byte
	Now      time.Time
	Progress func(snapshot.Progress)
}

// BackUp writes a verified backup of the store while it serves.
func (s *Store) BackUp(ctx context.Context, o BackupOptions) (snapshot.Result, error) {
	if s.d != sqliteDialect {
		return snapshot.Result{}, fmt.Errorf("a store on PostgreSQL is backed up with pg_dump, not outpost-server backup (see README, The practice server)")
	}
	practice, _, err := s.Identity(ctx)
	if err != nil {
		return snapshot.Result{}, err
	}
	j := snapshot.Job{DB: s.db, Dir: o.Dir, Name: o.Name, Kind: backup.KindServer, Counts: backupCounts,
		Source: backup.Source{PracticeID: practice}, Files: o.Files, Now: o.Now, Progress: o.Progress}
	if o.Name == "" {
		j.Keep = o.Keep
	}
	return snapshot.Take(ctx, j)
}

// RestoreBackup checks the server backup at in and writes its store to
// dbFile, which must not exist, and returns its manifest (the caller
// writes the files it carries). A damaged file is refused with a message
// naming it. The restored store gets a new incarnation before it is put
// in place: it has forgotten what it took after the backup, and the
// workstations learn so from their next pull (incarnation.go).
func RestoreBackup(ctx context.Context, in, dbFile string) (backup.Manifest, error) {
	m, err := backup.ReadManifest(in)
	if err != nil {
		return m, err
	}
	if m.Kind != backup.KindServer {
		return m, fmt.Errorf("%s is a backup of a workstation, not of the practice server: restore it in Outpost's first-run screen", filepath.Base(in))
	}
	if _, err := os.Stat(dbFile); err == nil {
		return m, fmt.Errorf("%s already exists: move the current store away first (a restore never overwrites one)", dbFile)
	}
	tmp := dbFile + ".restoring"
	os.Remove(tmp)
	if _, err := backup.Extract(in, tmp, nil); err != nil {
		return m, err
	}
	if _, err := snapshot.Check(ctx, tmp, backupCounts, m.Counts); err != nil {
		os.Remove(tmp)
		return m, err
	}
	if err := reincarnateFile(ctx, tmp); err != nil {
		os.Remove(tmp)
		return m, err
	}
	if err := os.Rename(tmp, dbFile); err != nil {
		os.Remove(tmp)
		return m, err
	}
	return m, backup.SyncDir(filepath.Dir(dbFile))
}
