package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"outpost/chart"
	"outpost/sqlite"
)

// cmdBackup backs up like the app's daily backup: unattended, so the seals
// are checked at the next sign-in in the app; everything else now.
func cmdBackup(ctx context.Context, args []string, out io.Writer) error {
	fs, data := flags("backup")
	folder := fs.String("out", "", "backup folder (default: the one chosen in Admin → Backups)")
	if err := parse(fs, args); err != nil {
		return err
	}
	w, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer w.Close()
	last := ""
	run, err := w.BackUpTo(ctx, *folder, func(p chart.BackupProgress) {
		if p.Phase != last {
			last = p.Phase
			fmt.Fprintf(out, "%s…\n", p.Phase)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Backed up to %s (%s, %d patients, %d records) in %.1f s; verified (checksum, integrity, counts, "+
		"audit chain of %d entries). Record seals are checked at the next sign-in.\n",
		run.Path, size(run.Size), run.Counts["patients"], run.Counts["records"], run.Seconds, run.Check.AuditEntries)
	return nil
}

// cmdVerify checks backup files without the key.
func cmdVerify(ctx context.Context, args []string, out io.Writer) error {
	fs, data := flags("verify")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: name at least one backup file", errUsage)
	}
	scratch, err := scratchDir(*data)
	if err != nil {
		return err
	}
	bad := 0
	for _, path := range fs.Args() {
		c, err := sqlite.VerifyBackupFile(ctx, path, scratch, nil, nil)
		switch {
		case err != nil:
			return err
		case !c.OK:
			bad++
			fmt.Fprintf(out, "DAMAGED  %s: %s\n", path, c.Problem)
		default:
			fmt.Fprintf(out, "ok       %s: %d patients, %d records, audit chain of %d entries\n",
				path, c.Counts["patients"], c.Counts["records"], c.AuditEntries)
		}
	}
	if bad > 0 {
		return chart.Errorf(chart.EINTEGRITY, "%d of %d backups are damaged: do not restore them.", bad, fs.NArg())
	}
	return nil
}

// cmdList lists a folder's backups.
func cmdList(ctx context.Context, args []string, out io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("%w: list takes one folder", errUsage)
	}
	files, err := sqlite.ListBackupFolder(args[0])
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.Problem != "" {
			fmt.Fprintf(out, "%-60s  %s\n", f.FileName, f.Problem)
			continue
		}
		fmt.Fprintf(out, "%-60s  %s  %-24s %-16s %8s  %d patients\n", f.FileName, f.CreatedAt.Local().Format(time.DateTime),
			f.PracticeName, f.WorkstationName, size(f.Size), f.Counts["patients"])
	}
	return nil
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
}

// scratchDir is where a backup is extracted to be checked: the chart's
// folder (a local disk, private to this user) when there is one.
func scratchDir(data string) (string, error) {
	path, err := chartPath(data)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(filepath.Dir(path)); err == nil && st.IsDir() {
		return filepath.Dir(path), nil
	}
	return os.TempDir(), nil
}
