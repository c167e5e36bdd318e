// Package snapshot makes and checks consistent copies of a live SQLite
// database with SQLite's online backup API (through modernc.org/sqlite's
// driver connection), for package backup. It knows nothing of what the
// database holds: callers pass the count queries that describe it.
package snapshot

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"modernc.org/sqlite"

	"outpost/backup"
)

// Counts names the queries (each "SELECT count(*) …") whose results a
// backup records and a check compares.
type Counts map[string]string

// stepPages is how many pages one backup step copies (4 MiB at the
// default page size) between progress reports and cancellation checks.
const stepPages = 1024

// backuper is the part of modernc's driver connection the copy uses.
type backuper interface {
	NewBackup(dstURI string) (*sqlite.Backup, error)
}

// Copy writes a consistent copy of db's main database to dst, which must
// not exist, and returns the counts as of that copy. It runs in one read
// transaction on the source: the counts and every page come from the same
// moment, and under WAL writers go on meanwhile (charting never waits).
// progress (may be nil) hears pages copied of the total.
func Copy(ctx context.Context, db *sql.DB, dst string, counts Counts, progress func(done, total int)) (map[string]int64, error) {
	if strings.ContainsAny(dst, "?#") {
		return nil, fmt.Errorf("backup copy: path %q may not contain ? or #", dst)
	}
	if _, err := os.Lstat(dst); err == nil {
		return nil, fmt.Errorf("backup copy: %s already exists", dst)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("backup copy: %w", err)
	}
	defer conn.Close()
	// A plain BEGIN is deferred: the first read below opens the snapshot
	// the backup steps then read from, and no write lock is taken.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return nil, fmt.Errorf("backup copy: begin: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") //nolint:errcheck // read-only
	got, err := count(ctx, conn, counts)
	if err != nil {
		return nil, err
	}
	err = conn.Raw(func(dc any) error {
		b, ok := dc.(backuper)
		if !ok {
			return errors.New("the SQLite driver offers no online backup")
		}
		return step(ctx, b, dst, progress)
	})
	if err != nil {
		os.Remove(dst)
		return nil, err
	}
	if err := standalone(dst); err != nil {
		os.Remove(dst)
		return nil, err
	}
	return got, nil
}

// step copies every page to dst. The destination skips its own journal and
// syncs: the copy is a temporary file, flushed as a whole by the caller.
func step(ctx context.Context, b backuper, dst string, progress func(done, total int)) error {
	bk, err := b.NewBackup(dst + "?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return fmt.Errorf("start backup copy: %w", err)
	}
	for {
		if err := ctx.Err(); err != nil {
			bk.Finish()
			return err
		}
		more, err := bk.Step(stepPages)
		if err != nil {
			bk.Finish()
			return fmt.Errorf("copy pages: %w", err)
		}
		if progress != nil {
			total := bk.PageCount()
			progress(total-bk.Remaining(), total)
		}
		if !more {
			break
		}
	}
	if err := bk.Finish(); err != nil {
		return fmt.Errorf("finish backup copy: %w", err)
	}
	return nil
}

// standalone marks the copy as a rollback-journal database (header bytes
// 18 and 19: 1 for legacy, 2 for WAL) so that it opens on its own, read
// only, without -wal or -shm files. It does not sync: backup.Seal syncs the
// finished file once.
func standalone(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr := make([]byte, 20)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		return fmt.Errorf("read copy header: %w", err)
	}
	if hdr[18] == 2 || hdr[19] == 2 {
		if _, err := f.WriteAt([]byte{1, 1}, 18); err != nil {
			return err
		}
	}
	return f.Close()
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func count(ctx context.Context, q queryer, counts Counts) (map[string]int64, error) {
	got := make(map[string]int64, len(counts))
	for _, name := range sortedKeys(counts) {
		var n int64
		if err := q.QueryRowContext(ctx, counts[name]).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", name, err)
		}
		got[name] = n
	}
	return got, nil
}

func sortedKeys(m Counts) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// OpenReadOnly opens the database file at path without changing it (no
// journal, no -wal, no locks): the caller runs its own checks on it.
func OpenReadOnly(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "mode=ro&immutable=1"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("open copy: %w", err)
	}
	return db, nil
}

// Check opens the copy at path read-only, runs SQLite's integrity check
// and compares counts with want (nil: just report them). A copy that does
// not open, fails the integrity check or counts differently is a
// backup.Error of kind Damaged or Mismatch.
func Check(ctx context.Context, path string, counts Counts, want map[string]int64) (map[string]int64, error) {
	db, err := OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := Integrity(ctx, db); err != nil {
		return nil, &backup.Error{Kind: backup.Damaged, Err: err, Message: fmt.Sprintf(
			"The backup %s is damaged: its database fails SQLite's integrity check. Use another backup.", filepath.Base(path))}
	}
	got, err := count(ctx, db, counts)
	if err != nil {
		return nil, &backup.Error{Kind: backup.Damaged, Err: err, Message: fmt.Sprintf(
			"The backup %s is damaged: its tables cannot be read. Use another backup.", filepath.Base(path))}
	}
	if want != nil {
		if name, ok := differs(got, want); ok {
			return got, &backup.Error{Kind: backup.Mismatch, Message: fmt.Sprintf(
				"The backup %s does not hold what it should: %s counts %d, expected %d. Use another backup.",
				filepath.Base(path), name, got[name], want[name])}
		}
	}
	return got, nil
}

// Integrity runs PRAGMA integrity_check and returns its first complaint.
func Integrity(ctx context.Context, db *sql.DB) error {
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}

func differs(got, want map[string]int64) (string, bool) {
	for _, name := range sortedKeys(toCounts(want)) {
		if got[name] != want[name] {
			return name, true
		}
	}
	return "", false
}

func toCounts(m map[string]int64) Counts {
	c := make(Counts, len(m))
	for k := range m {
		c[k] = ""
	}
	return c
}
