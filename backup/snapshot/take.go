package snapshot

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"outpost/backup"
)

// Phases of a backup, in order, as Progress reports them.
const (
	PhaseCopying   = "copying"   // pages from the live store to the drive
	PhaseChecking  = "checking"  // integrity, counts and the caller's checks on the copy
	PhaseSealing   = "sealing"   // manifest and checksum appended
	PhaseVerifying = "verifying" // the finished file read back against its checksum
)

// Progress is how far a backup is: Fraction of the current Phase (0..1).
type Progress struct {
	Phase    string
	Fraction float64
}

// Job is one backup of a live database into a folder.
type Job struct {
	DB     *sql.DB
	Dir    string
	Source backup.Source
	Counts Counts
	// Kind is backup.KindWorkstation or backup.KindServer.
	Kind string
	// Name is the backup's file name; "" names it after Source and Now.
	Name string
	// Files go into the manifest (the server's TLS certificate and key).
	Files map[string][]byte
	// Check runs further checks on the finished copy before it is sealed
	// (the audit chain, the records' seals); nil for none.
	Check func(ctx context.Context, path string) error
	// Keep prunes the source's older backups after a good one; the zero
	// Policy keeps everything.
	Keep backup.Policy
	Loc  *time.Location
	// Now is when the backup is taken (its name and manifest).
	Now      time.Time
	Progress func(Progress)
}

// Result is a backup written, checked and published.
type Result struct {
	Path     string
	Size     int64
	Manifest backup.Manifest
	Pruned   int
}

// Take writes a backup of j.DB into j.Dir: a consistent copy under a
// temporary name, checked (integrity, counts against the source, j.Check),
// sealed with its manifest and checksum, read back against the checksum,
// and only then renamed to its final name; then older generations are
// pruned. On any failure the temporary file is removed and every earlier
// backup is as it was.
func Take(ctx context.Context, j Job) (Result, error) {
	if err := backup.FolderError(j.Dir); err != nil {
		return Result{}, err
	}
	if err := backup.RemovePartials(j.Dir, j.Source); err != nil {
		return Result{}, err
	}
	final := filepath.Join(j.Dir, cmp.Or(j.Name, j.Source.FileName(j.Now)))
	partial := filepath.Join(j.Dir, backup.PartialName(final))
	if err := os.Remove(partial); err != nil && !os.IsNotExist(err) {
		return Result{}, backup.WriteProblem(j.Dir, "remove an unfinished backup", err)
	}
	res, err := j.write(ctx, partial, final)
	if err != nil {
		os.Remove(partial)
		return Result{}, explain(j.Dir, err)
	}
	if j.Keep != (backup.Policy{}) {
		loc := j.Loc
		if loc == nil {
			loc = time.Local
		}
		if res.Pruned, err = backup.Prune(j.Dir, j.Source, j.Keep, loc); err != nil {
			return res, fmt.Errorf("the backup was written, but older ones could not be pruned: %w", err)
		}
	}
	return res, nil
}

func (j Job) write(ctx context.Context, partial, final string) (Result, error) {
	report := func(phase string, f float64) {
		if j.Progress != nil {
			j.Progress(Progress{Phase: phase, Fraction: f})
		}
	}
	report(PhaseCopying, 0)
	counts, err := Copy(ctx, j.DB, partial, j.Counts, func(done, total int) {
		report(PhaseCopying, fraction(int64(done), int64(total)))
	})
	if err != nil {
		return Result{}, err
	}
	report(PhaseChecking, 0)
	if _, err := Check(ctx, partial, j.Counts, counts); err != nil {
		return Result{}, err
	}
	schema, err := schemaOf(ctx, partial)
	if err != nil {
		return Result{}, err
	}
	if j.Check != nil {
		if err := j.Check(ctx, partial); err != nil {
			return Result{}, err
		}
	}
	report(PhaseSealing, 0)
	m, err := backup.Seal(partial, backup.Manifest{Kind: j.Kind, PracticeID: j.Source.PracticeID,
		PracticeName: j.Source.PracticeName, WorkstationID: j.Source.WorkstationID,
		WorkstationName: j.Source.WorkstationName, CreatedAt: j.Now.UTC(), Schema: schema, Counts: counts, Files: j.Files})
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	report(PhaseVerifying, 0)
	if _, err := backup.Verify(partial, func(done, total int64) { report(PhaseVerifying, fraction(done, total)) }); err != nil {
		return Result{}, err
	}
	if err := backup.Publish(partial, final); err != nil {
		return Result{}, err
	}
	st, err := os.Stat(final)
	if err != nil {
		return Result{}, err
	}
	report(PhaseVerifying, 1)
	return Result{Path: final, Size: st.Size(), Manifest: m}, nil
}

// explain turns a write failure into what the person must do: the drive
// removed or full, or no permission; a cancelled backup says so.
func explain(dir string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &backup.Error{Kind: backup.Unwritable, Err: err,
			Message: "The backup was stopped before it finished; the earlier backups are as they were."}
	}
	return backup.WriteProblem(dir, "back up", err)
}

// schemaOf is the newest migration applied in the copy.
func schemaOf(ctx context.Context, path string) (string, error) {
	db, err := OpenReadOnly(path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var v sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return "", fmt.Errorf("read schema version of the copy: %w", err)
	}
	return v.String, nil
}

func fraction(done, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return min(1, float64(done)/float64(total))
}
