package server

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// dialect is what differs between the store's two engines. The queries
// are written once, in the SQL both speak, with ? placeholders and these
// few fragments.
type dialect struct {
	name string
	// migrations is the folder of the engine's schema migrations.
	migrations string
	// numbered: placeholders are $1, $2, ... (PostgreSQL), not ?.
	numbered bool
	// serialWrites: this process queues its write transactions in Go
	// (SQLite has one writer; PostgreSQL locks rows).
	serialWrites bool
	// lockMigrations, if set, runs first in each migration's transaction.
	lockMigrations string
	// jsonValues selects the values of a JSON array parameter.
	jsonValues string
	// jsonPairs selects the keys and values of a JSON object parameter
	// (of strings) as columns key and value.
	jsonPairs string
	// greatest is the larger-of-two function.
	greatest string
	// parentsOf is a FROM item listing the parents (a JSON array column) of
	// the changes aliased d, as rows of p.value.
	parentsOf string
	// byRecord names the changes table for a lookup of one record's
	// changes. SQLite, without statistics, would rather range over the
	// primary key (practice, seq) than use changes_by_record: a join's
	// heads query then scans the practice once per change (91 s for a
	// page of 5,000 over 15,000 changes instead of milliseconds).
	byRecord string
}

var sqliteDialect = &dialect{name: "sqlite", migrations: "migrations", serialWrites: true,
	jsonValues: `SELECT value FROM json_each(?)`, jsonPairs: `SELECT key, value FROM json_each(?)`, greatest: "max",
	parentsOf: `json_each(d.parents) p`, byRecord: `changes d INDEXED BY changes_by_record`}

var postgresDialect = &dialect{name: "postgres", migrations: "migrations_pg", numbered: true,
	lockMigrations: `SELECT pg_advisory_xact_lock(7011013)`, // any fixed key
	jsonValues:     `SELECT json_array_elements_text(CAST(? AS json))`, greatest: "greatest",
	jsonPairs: `SELECT key, value FROM json_each_text(CAST(? AS json))`,
	parentsOf: `json_array_elements_text(CAST(d.parents AS json)) AS p(value)`,
	byRecord:  `changes d`}

// sql returns query in the dialect's placeholders. The store's queries
// hold no ? inside string literals.
func (d *dialect) sql(query string) string {
	if !d.numbered || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// txn is a transaction that speaks the store's dialect.
type txn struct {
	*sql.Tx
	d *dialect
}

func (t txn) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, t.d.sql(q), args...)
}

func (t txn) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, t.d.sql(q), args...)
}

func (t txn) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, t.d.sql(q), args...)
}

func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, s.d.sql(q), args...)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, s.d.sql(q), args...)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.db.QueryRowContext(ctx, s.d.sql(q), args...)
}

// Engine names the store's database engine: "sqlite" or "postgres".
func (s *Store) Engine() string { return s.d.name }

// isUniqueViolation reports whether err is a unique constraint's refusal,
// on either engine.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505" // unique_violation
	}
	var lite *sqlite.Error
	return errors.As(err, &lite) && lite.Code() == sqliteConstraintUnique
}

// violatedConstraint reports whether err is a unique violation whose
// constraint names column (PostgreSQL names its constraints after their
// columns; SQLite's message lists table.column).
func violatedConstraint(err error, column string) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return strings.Contains(pg.ConstraintName, column)
	}
	return isUniqueViolation(err) && strings.Contains(err.Error(), "."+column)
}

// sqliteConstraintUnique is SQLITE_CONSTRAINT_UNIQUE, an extended result
// code (the driver's own errors carry them).
const sqliteConstraintUnique = 2067
