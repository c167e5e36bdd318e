package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"outpost/chart"
	"outpost/sync/clock"
)

// Keys of the meta table.
const (
	metaPracticeID      = "practice_id"
	metaPracticeName    = "practice_name"
	metaIdleLockMinutes = "idle_lock_minutes"
	metaDeviceID        = "device_id"
	metaCreatedAt       = "created_at"
	metaRecoveryWrapped = "recovery_wrapped_key"
	metaRecoveryPublic  = "recovery_recipient"
	metaHLC             = "hlc"
	metaSyncWarnDays    = "sync_warn_days"
	metaPracticeAddress = "practice_address"
	metaPracticePhone   = "practice_phone"
	// metaRegistryTargets: the registries' targets as JSON (a setting,
	// not health data: kept in clear like the units).
	metaRegistryTargets = "registry_targets"
	// metaJoinPending: the workstation joined a practice (BeginJoin) and
	// nobody has signed in since, so its settings are still sealed.
	metaJoinPending = "join_pending"
	// metaUnmerged: a join pull stored changes without a key; the next
	// sign-in merges the whole change log.
	metaUnmerged = "join_unmerged"
	// metaBackfilled: the users and settings made before they synced have
	// been written to the change log (once, at a sign-in).
	metaBackfilled = "practice_sync_backfilled"
)

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readMeta returns the values present for keys.
func readMeta(ctx context.Context, q queryer, keys ...string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		var v []byte
		err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, k).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", k, err)
		}
		out[k] = string(v)
	}
	return out, nil
}

func setMeta(ctx context.Context, t *tx, key string, value []byte) error {
	_, err := t.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write %s: %w", key, err)
	}
	return nil
}

func loadHLC(ctx context.Context, q queryer) (clock.Timestamp, error) {
	m, err := readMeta(ctx, q, metaHLC)
	if err != nil || m[metaHLC] == "" {
		return clock.Timestamp{}, err
	}
	return clock.ParseTimestamp(m[metaHLC])
}

// stamp issues the next clock reading and persists it in the same
// transaction, so the clock never runs backwards across restarts.
func (w *Workstation) stamp(ctx context.Context, t *tx) (clock.Timestamp, error) {
	ts := w.clock.Now()
	return ts, setMeta(ctx, t, metaHLC, []byte(ts.String()))
}

// loadPractice reads the practice settings and this device's id. A
// workstation that joined a practice knows only its id until the practice
// record is merged: the other settings read as their defaults till then.
func loadPractice(ctx context.Context, q queryer) (chart.Practice, chart.DeviceID, error) {
	m, err := readMeta(ctx, q, metaPracticeID, metaPracticeName, metaIdleLockMinutes, metaCreatedAt, metaDeviceID,
		metaSyncWarnDays, metaPracticeAddress, metaPracticePhone, metaRegistryTargets)
	if err != nil {
		return chart.Practice{}, "", fmt.Errorf("load practice: %w", err)
	}
	if _, ok := m[metaPracticeID]; !ok {
		return chart.Practice{}, "", chart.Errorf(chart.ENOTFOUND, "There is no practice on this workstation yet. Create one first.")
	}
	p := chart.Practice{ID: chart.PracticeID(m[metaPracticeID]), Name: m[metaPracticeName],
		IdleLockMinutes: chart.DefaultIdleLockMinutes, SyncWarnDays: chart.DefaultSyncWarnDays,
		Address: m[metaPracticeAddress], Phone: m[metaPracticePhone], Registry: chart.DefaultRegistryTargets}
	if v, ok := m[metaRegistryTargets]; ok {
		if err := json.Unmarshal([]byte(v), &p.Registry); err != nil {
			return p, "", fmt.Errorf("load practice: registry targets: %w", err)
		}
	}
	if v, ok := m[metaIdleLockMinutes]; ok {
		if p.IdleLockMinutes, err = strconv.Atoi(v); err != nil {
			return p, "", fmt.Errorf("load practice: idle lock: %w", err)
		}
	}
	if v, ok := m[metaSyncWarnDays]; ok {
		if p.SyncWarnDays, err = strconv.Atoi(v); err != nil {
			return p, "", fmt.Errorf("load practice: sync warning: %w", err)
		}
	}
	if v, ok := m[metaCreatedAt]; ok {
		if p.CreatedAt, err = parseTime(v); err != nil {
			return p, "", fmt.Errorf("load practice: %w", err)
		}
	}
	return p, chart.DeviceID(m[metaDeviceID]), nil
}

func deleteMeta(ctx context.Context, t *tx, keys ...string) error {
	for _, k := range keys {
		if _, err := t.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, k); err != nil {
			return fmt.Errorf("clear %s: %w", k, err)
		}
	}
	return nil
}
