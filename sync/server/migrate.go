package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// copiedTables are the tables CopyTo moves, parents before children, with
// the columns both engines' schemas have. The request ledger's nonces are
// not moved: the target refuses requests signed before the copy instead.
var copiedTables = []struct{ name, columns string }{
	{"practices", "pk, practice_id, last_seq"},
	{"devices", "id, practice, name, public_key, enrolled_at, last_seen_at, revoked_at, stored_bytes"},
	{"enrol_codes", "token_hash, practice, expires_at, used_at"},
	{"revoked_keys", "public_key, revoked_at"},
	{"changes", "practice, seq, change_id, record_id, kind, patient_id, version, parents, hlc, device_id, user_id, sealed, auth, received_at, superseded"},
}

// ErrTargetNotEmpty refuses a copy into a store that already holds one.
var ErrTargetNotEmpty = errors.New("the target already holds a server store (devices, changes, codes or a practice); migrate copies only into an empty one")

// ledgerNotBeforeKey: a store that received a copy refuses requests
// signed before it (their nonces stayed with the source).
const ledgerNotBeforeKey = "ledger_not_before"

// CopyTo copies this store (stopped: no server serving it) into dst, which
// must be empty, in one transaction of dst, so a failed copy leaves dst
// empty and may be run again. The server keeps its id, practices, devices,
// codes, revocations, changes and seqs. It returns each table's row
// count, checked equal in both stores after the copy.
func (s *Store) CopyTo(ctx context.Context, dst *Store, now time.Time) (map[string]int64, error) {
	err := dst.inTx(ctx, func(tx txn) error {
		if err := checkEmpty(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM practices`); err != nil {
			return fmt.Errorf("clear target: %w", err)
		}
		for _, t := range copiedTables {
			if err := s.copyTable(ctx, tx, t.name, t.columns); err != nil {
				return err
			}
		}
		if dst.d == postgresDialect {
			if _, err := tx.exec(ctx, `SELECT setval(pg_get_serial_sequence('practices', 'pk'), (SELECT max(pk) FROM practices))`); err != nil {
				return fmt.Errorf("advance practice keys: %w", err)
			}
		}
		_, serverID, err := s.Identity(ctx)
		if err != nil {
			return err
		}
		// The same changes under the same seqs: the same incarnation, so
		// the workstations do not pull everything again.
		inc, err := s.Incarnation(ctx)
		if err != nil {
			return err
		}
		for k, v := range map[string]string{"server_id": serverID, incarnationKey: inc, ledgerNotBeforeKey: formatTime(now)} {
			if _, err := tx.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return fmt.Errorf("copy server identity: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("copy store: %w", err)
	}
	return checkCounts(ctx, s, dst)
}

func checkEmpty(ctx context.Context, tx txn) error {
	var n int64
	err := tx.queryRow(ctx, `SELECT (SELECT count(*) FROM devices) + (SELECT count(*) FROM changes)
		+ (SELECT count(*) FROM enrol_codes) + (SELECT count(*) FROM practices WHERE practice_id IS NOT NULL)`).Scan(&n)
	if err != nil {
		return fmt.Errorf("check target: %w", err)
	}
	if n > 0 {
		return ErrTargetNotEmpty
	}
	return nil
}

// copyTable copies every row of table into tx, column by column as stored.
func (s *Store) copyTable(ctx context.Context, tx txn, table, columns string) error {
	rows, err := s.query(ctx, `SELECT `+columns+` FROM `+table)
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	n := strings.Count(columns, ",") + 1
	ins, err := tx.PrepareContext(ctx, tx.d.sql(`INSERT INTO `+table+` (`+columns+`) VALUES (`+strings.Repeat("?, ", n-1)+`?)`))
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	defer ins.Close()
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", table, err)
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
	}
	return rows.Err()
}

// checkCounts compares the tables' row counts in both stores.
func checkCounts(ctx context.Context, src, dst *Store) (map[string]int64, error) {
	counts := map[string]int64{}
	for _, t := range copiedTables {
		var a, b int64
		if err := src.queryRow(ctx, `SELECT count(*) FROM `+t.name).Scan(&a); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.name, err)
		}
		if err := dst.queryRow(ctx, `SELECT count(*) FROM `+t.name).Scan(&b); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.name, err)
		}
		if a != b {
			return nil, fmt.Errorf("copy store: %s has %d rows in the source but %d in the target", t.name, a, b)
		}
		counts[t.name] = a
	}
	return counts, nil
}
