package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"outpost/backup"
	"outpost/sync/server"
)

// cmdBackup writes a verified backup of the store while the server runs:
// into a folder (-out names a folder: a name with the time, generations
// kept) or to a file (-out ends in .outpost-backup).
func cmdBackup(args []string, stdout io.Writer) error {
	fs, dir := flags("backup")
	out := fs.String("out", "", "backup folder, or a file ending in "+backup.Ext)
	daily := fs.Int("keep-daily", backup.DefaultPolicy.Daily, "in a folder: daily backups kept")
	weekly := fs.Int("keep-weekly", backup.DefaultPolicy.Weekly, "in a folder: weekly backups kept")
	monthly := fs.Int("keep-monthly", backup.DefaultPolicy.Monthly, "in a folder: monthly backups kept")
	if err := parse(fs, dir, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: -out is required", errUsage)
	}
	store, err := openExisting(*dir)
	if err != nil {
		return err
	}
	defer store.Close()
	files, err := serverFiles(*dir)
	if err != nil {
		return err
	}
	o := server.BackupOptions{Dir: *out, Files: files, Now: time.Now(),
		Keep: backup.Policy{Daily: *daily, Weekly: *weekly, Monthly: *monthly}}
	if strings.HasSuffix(*out, backup.Ext) {
		o.Dir, o.Name = filepath.Dir(*out), filepath.Base(*out)
	}
	res, err := store.BackUp(context.Background(), o)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "Backed up the server store to %s (%d bytes, %d changes, %d devices); verified.\n",
		res.Path, res.Size, res.Manifest.Counts["changes"], res.Manifest.Counts["devices"])
	if res.Pruned > 0 {
		fmt.Fprintf(stdout, "Removed %d older backups (keeping %d daily, %d weekly, %d monthly).\n", res.Pruned, *daily, *weekly, *monthly)
	}
	return nil
}

// serverFiles are the TLS certificate and key: workstations pin the
// certificate, so a restored server must present the same one.
func serverFiles(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, p := range []string{certPath(dir), keyPath(dir)} {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("backup: read %s: %w", p, err)
		}
		files[filepath.Base(p)] = b
	}
	return files, nil
}

// cmdRestore rebuilds a server's data directory from a backup: the store
// and its TLS certificate and key. It never overwrites a server.
func cmdRestore(args []string, stdout io.Writer) error {
	fs, dir := flags("restore")
	in := fs.String("in", "", "the backup file")
	if err := parse(fs, dir, args); err != nil {
		return err
	}
	if *in == "" {
		return fmt.Errorf("%w: -in is required", errUsage)
	}
	for _, p := range []string{dbPath(*dir), certPath(*dir), keyPath(*dir)} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("restore: %s already holds a server (%s exists); restore into an empty folder", *dir, filepath.Base(p))
		}
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	m, err := server.RestoreBackup(context.Background(), *in, dbPath(*dir))
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, p := range []string{certPath(*dir), keyPath(*dir)} {
		b, ok := m.Files[filepath.Base(p)]
		if !ok {
			return fmt.Errorf("restore: the backup holds no %s", filepath.Base(p))
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	fmt.Fprintf(stdout, "Restored the server store of %s (%d changes, %d devices) into %s.\n"+
		"Start it with `outpost-server serve -dir %s`: at their next sync the workstations see it was restored, send it again what it lost and receive everything again.\n",
		m.CreatedAt.Local().Format(time.DateTime), m.Counts["changes"], m.Counts["devices"], *dir, *dir)
	return nil
}

// cmdReincarnate tells the workstations that the store was brought back
// from a copy made outside Outpost (pg_restore, files copied back): it
// renews the store's incarnation, and each workstation then sends its
// changes again and pulls everything again at its next sync. A restore
// with `outpost-server restore` does it already.
func cmdReincarnate(args []string, stdout io.Writer) error {
	store, _, _, err := openStoreCommand("reincarnate", args)
	if err != nil {
		return err
	}
	defer store.Close()
	inc, err := store.Reincarnate(context.Background())
	if err != nil {
		return fmt.Errorf("reincarnate: %w", err)
	}
	fmt.Fprintf(stdout, "The store has a new incarnation (%s): at their next sync the workstations send it again what it lost and receive everything again.\n", inc)
	return nil
}
