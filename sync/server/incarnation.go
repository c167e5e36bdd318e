package server

// The store's incarnation: a random id made with the store and renewed
// whenever the store is brought back from a copy (outpost-server restore,
// or Reincarnate after a pg_restore or a file copy). A restored store has
// forgotten the changes it took after its backup and numbers new ones from
// the backup's seqs again; every pull reply carries the incarnation, so a
// workstation that sees it change pulls again from seq 0 and sends its own
// changes again (docs/SYNC.md, "A restored practice server").

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
)

// incarnationKey is the meta row holding the incarnation.
const incarnationKey = "incarnation"

// newIncarnation is 16 random bytes in hex (wire.ValidIncarnation).
func newIncarnation() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// ensureIncarnation gives a store its incarnation once: at its creation,
// or at the first open of a store made before incarnations.
func (s *Store) ensureIncarnation(ctx context.Context) error {
	_, err := s.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		incarnationKey, newIncarnation())
	if err != nil {
		return fmt.Errorf("make store incarnation: %w", err)
	}
	return nil
}

// Incarnation returns the store's incarnation.
func (s *Store) Incarnation(ctx context.Context) (string, error) {
	var v string
	if err := s.queryRow(ctx, `SELECT value FROM meta WHERE key = ?`, incarnationKey).Scan(&v); err != nil {
		return "", fmt.Errorf("read store incarnation: %w", err)
	}
	return v, nil
}

// Reincarnate gives the store a new incarnation and returns it. Run it on
// a store brought back from a copy outside Outpost (pg_restore, files
// copied back): the workstations then reconcile with it at their next
// sync. Running it needlessly costs every workstation one full pull.
func (s *Store) Reincarnate(ctx context.Context) (string, error) {
	inc := newIncarnation()
	_, err := s.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, incarnationKey, inc)
	if err != nil {
		return "", fmt.Errorf("renew store incarnation: %w", err)
	}
	return inc, nil
}

// reincarnateFile renews the incarnation of the SQLite store in file (a
// restore's, before it is put in place) without migrating it or changing
// its journal mode (a backup is one file, no -wal).
func reincarnateFile(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", file+"?_pragma=synchronous(FULL)")
	if err != nil {
		return fmt.Errorf("renew store incarnation: %w", err)
	}
	_, err = (&Store{db: db, d: sqliteDialect}).Reincarnate(ctx)
	if cerr := db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("renew store incarnation: %w", cerr)
	}
	return err
}
