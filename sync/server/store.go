package server

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	gosync "sync"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is the server's database: embedded SQLite (Open) or PostgreSQL
// (OpenPostgres). Both run the same queries (see dialect); what differs is
// how writes are serialised, how seqs are locked and the request ledger.
// It is safe for concurrent use, and, on PostgreSQL, by several processes.
type Store struct {
	db *sql.DB
	d  *dialect
	// writeMu queues this process's write transactions in Go, so they
	// never contend inside SQLite (whose busy handler polls with sleeps
	// and, past busy_timeout, fails with "database is locked"). Another
	// process (an admin command) still meets busy_timeout.
	writeMu gosync.Mutex
}

// synchronous(FULL): an acknowledged push must survive a power cut, since
// the workstation marks its outbox rows as sent on the ack.
var pragmas = []string{
	"journal_mode(WAL)",
	"synchronous(FULL)",
	"busy_timeout(10000)",
	"foreign_keys(ON)",
}

func dsn(file string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	// Write transactions take the lock up front: no SQLITE_BUSY half-way.
	q.Set("_txlock", "immediate")
	return file + "?" + q.Encode()
}

// Open opens (creating if needed) the store at file, brings its schema up to
// date and makes the server's identity on first use.
func Open(ctx context.Context, file string) (*Store, error) {
	if strings.ContainsAny(file, "?#") {
		return nil, fmt.Errorf("open server store: path %q may not contain ? or #", file)
	}
	db, err := sql.Open("sqlite", dsn(file))
	if err != nil {
		return nil, fmt.Errorf("open server store: %w", err)
	}
	return setUp(ctx, &Store{db: db, d: sqliteDialect})
}

// setUp brings a freshly opened store's schema up to date and makes the
// server's identity on first use.
func setUp(ctx context.Context, s *Store) (*Store, error) {
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open server store: %w", err)
	}
	if err := s.ensureIdentity(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open server store: %w", err)
	}
	if err := s.ensureIncarnation(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open server store: %w", err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

//go:embed migrations/*.sql migrations_pg/*.sql
var migrationFiles embed.FS

// migrate applies each embedded migration of the store's engine once, in
// name order, each in its own transaction so a crash mid-upgrade leaves
// the previous schema intact.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFiles, s.d.migrations+"/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.applyMigration(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, name string) error {
	version := strings.TrimSuffix(path.Base(name), ".sql")
	body, err := migrationFiles.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read migration %s: %w", version, err)
	}
	return s.inTx(ctx, func(tx txn) error {
		// Several processes may start at once on one PostgreSQL.
		if s.d.lockMigrations != "" {
			if _, err := tx.exec(ctx, s.d.lockMigrations); err != nil {
				return fmt.Errorf("lock migrations: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var done int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&done); err != nil {
			return fmt.Errorf("migration %s: %w", version, err)
		}
		if done > 0 {
			return nil
		}
		if _, err := tx.Tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("apply migration %s: %w", version, err)
		}
		_, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
			version, formatTime(time.Now()))
		return err
	})
}

// ensureIdentity makes the server id once. The practice id is not made
// here: the first enrolment names it (see Enroll).
func (s *Store) ensureIdentity(ctx context.Context) error {
	_, err := s.exec(ctx, `INSERT INTO meta (key, value) VALUES ('server_id', ?) ON CONFLICT (key) DO NOTHING`,
		uuid.Must(uuid.NewV7()).String())
	if err != nil {
		return fmt.Errorf("make server id: %w", err)
	}
	return nil
}

// Identity returns the default practice's id (pk 1: the practice a single-practice server serves) and the
// server id. practiceID is "" while the default practice is bound to no
// practice yet.
func (s *Store) Identity(ctx context.Context) (practiceID, serverID string, err error) {
	err = s.queryRow(ctx, `SELECT
		coalesce((SELECT practice_id FROM practices WHERE pk = ?), ''),
		(SELECT value FROM meta WHERE key = 'server_id')`, defaultPractice).
		Scan(&practiceID, &serverID)
	if err != nil {
		return "", "", fmt.Errorf("read server identity: %w", err)
	}
	return practiceID, serverID, nil
}

// inTx runs f in one transaction (immediate on SQLite), committing only if
// f succeeds.
func (s *Store) inTx(ctx context.Context, f func(txn) error) error {
	if s.d.serialWrites {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := f(txn{Tx: tx, d: s.d}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// timeLayout is fixed-width UTC so that SQL string comparison (code
// expiry, ordering) is time order; RFC3339Nano drops trailing zeros.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s.String)
	return t
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
