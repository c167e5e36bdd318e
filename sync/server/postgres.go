package server

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// IsPostgresURL reports whether a -store value names a PostgreSQL database.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// MaxPostgresConns bounds one process's connections: several processes
// share the database's max_connections (100 by default).
const MaxPostgresConns = 16

// OpenPostgres opens the store in the PostgreSQL database at dsn (a
// postgres:// URL), bringing its schema up to date. Several server
// processes may open one database at once.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open server store: %w", err)
	}
	db.SetMaxOpenConns(MaxPostgresConns)
	db.SetMaxIdleConns(MaxPostgresConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open server store: cannot reach PostgreSQL (check -store's host, port, user and database): %w", err)
	}
	return setUp(ctx, &Store{db: db, d: postgresDialect})
}
