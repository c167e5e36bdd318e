package sqlite

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

// The workstation's sync state: its enrolment with the practice server and
// the history of sync runs. All of it is Workstation-level — the sync
// status shows while locked, and a joining workstation enrols before it
// has any user — and none of it is health data.

// syncRunRetention is how long sync runs are kept: long enough for any
// end-of-day report a person would look back at, short enough that a
// workstation syncing every 30 s for years keeps a small table.
const syncRunRetention = 31 * 24 * time.Hour

// SyncIdentity returns the practice server this workstation is enrolled
// with; ok is false before enrolment.
func (w *Workstation) SyncIdentity(ctx context.Context) (id wire.SyncIdentity, ok bool, err error) {
	var enrolled string
	var fp, key []byte
	err = w.db.QueryRowContext(ctx, `SELECT server_addr, fingerprint, device_id, private_key, enrolled_at
		FROM sync_identity WHERE id = 1`).Scan(&id.ServerAddr, &fp, &id.DeviceID, &key, &enrolled)
	if errors.Is(err, sql.ErrNoRows) {
		return wire.SyncIdentity{}, false, nil
	}
	if err != nil {
		return id, false, fmt.Errorf("read sync identity: %w", err)
	}
	id.Fingerprint, id.PrivateKey = bytes.Clone(fp), ed25519.PrivateKey(bytes.Clone(key))
	if id.EnrolledAt, err = parseTime(enrolled); err != nil {
		return id, false, fmt.Errorf("read sync identity: %w", err)
	}
	// Requests are signed for the practice: the workstation's own, or the
	// one a join took from the enrolment reply (BeginJoin stores it).
	m, err := readMeta(ctx, w.db, metaPracticeID)
	if err != nil {
		return id, false, fmt.Errorf("read sync identity: %w", err)
	}
	id.PracticeID = chart.PracticeID(m[metaPracticeID])
	return id, true, nil
}

// SaveSyncIdentity stores (or replaces, after a re-enrolment) the
// workstation's enrolment.
func (w *Workstation) SaveSyncIdentity(ctx context.Context, id wire.SyncIdentity) error {
	if err := id.Validate(); err != nil {
		return fmt.Errorf("save sync identity: %w", err)
	}
	err := w.write(ctx, func(t *tx) error {
		at := id.EnrolledAt
		if at.IsZero() {
			at = t.now
		}
		_, err := t.ExecContext(ctx, `INSERT INTO sync_identity (id, server_addr, fingerprint, device_id, private_key, enrolled_at)
			VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET server_addr = excluded.server_addr,
			fingerprint = excluded.fingerprint, device_id = excluded.device_id, private_key = excluded.private_key,
			enrolled_at = excluded.enrolled_at`,
			id.ServerAddr, []byte(id.Fingerprint), string(id.DeviceID), []byte(id.PrivateKey), formatTime(at))
		if err != nil || cleanDeviceName(id.DeviceName) == "" {
			return err
		}
		return setMeta(ctx, t, metaDeviceName, []byte(cleanDeviceName(id.DeviceName)))
	})
	if err != nil {
		return fmt.Errorf("save sync identity: %w", err)
	}
	return nil
}

// DeviceID is this workstation's own device id, made with its practice.
func (w *Workstation) DeviceID(ctx context.Context) (chart.DeviceID, error) {
	m, err := readMeta(ctx, w.db, metaDeviceID)
	if err != nil {
		return "", fmt.Errorf("read device id: %w", err)
	}
	id, ok := m[metaDeviceID]
	if !ok || id == "" {
		return "", chart.Errorf(chart.ENOTFOUND, "There is no practice on this workstation yet. Create one or join one first.")
	}
	return chart.DeviceID(id), nil
}

// RecordSyncRun appends one sync attempt and prunes runs older than a month.
func (w *Workstation) RecordSyncRun(ctx context.Context, r chart.SyncRun) error {
	if r.StartedAt.IsZero() || r.FinishedAt.Before(r.StartedAt) {
		return fmt.Errorf("record sync run: bad times %v..%v", r.StartedAt, r.FinishedAt)
	}
	err := w.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `INSERT INTO sync_runs (started_at, finished_at, sent, received, conflicts, requests, error)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, formatTime(r.StartedAt), formatTime(r.FinishedAt),
			r.Sent, r.Received, r.Conflicts, r.Requests, r.Error)
		if err != nil {
			return err
		}
		// The latest success stays whatever its age: it is what "not synced
		// for N days" is counted from.
		_, err = t.ExecContext(ctx, `DELETE FROM sync_runs WHERE started_at < ?
			AND id IS NOT (SELECT id FROM sync_runs WHERE error = '' ORDER BY finished_at DESC, id DESC LIMIT 1)`,
			formatTime(t.now.Add(-syncRunRetention)))
		return err
	})
	if err != nil {
		return fmt.Errorf("record sync run: %w", err)
	}
	return nil
}

// SyncRuns lists the sync runs that started at or after since, oldest first.
func (w *Workstation) SyncRuns(ctx context.Context, since time.Time) ([]chart.SyncRun, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT started_at, finished_at, sent, received, conflicts, requests, error
		FROM sync_runs WHERE started_at >= ? ORDER BY started_at, id`, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("list sync runs: %w", err)
	}
	defer rows.Close()
	var out []chart.SyncRun
	for rows.Next() {
		var r chart.SyncRun
		var started, finished string
		if err := rows.Scan(&started, &finished, &r.Sent, &r.Received, &r.Conflicts, &r.Requests, &r.Error); err != nil {
			return nil, fmt.Errorf("list sync runs: %w", err)
		}
		if r.StartedAt, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("list sync runs: %w", err)
		}
		if r.FinishedAt, err = parseTime(finished); err != nil {
			return nil, fmt.Errorf("list sync runs: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sync runs: %w", err)
	}
	return out, nil
}

// LastSuccessfulSync is when the latest successful sync finished (zero if
// none yet).
func (w *Workstation) LastSuccessfulSync(ctx context.Context) (time.Time, error) {
	var finished sql.NullString
	err := w.db.QueryRowContext(ctx, `SELECT max(finished_at) FROM sync_runs WHERE error = ''`).Scan(&finished)
	if err != nil {
		return time.Time{}, fmt.Errorf("read last sync: %w", err)
	}
	if !finished.Valid {
		return time.Time{}, nil
	}
	return parseTime(finished.String)
}

// PendingChanges counts the chart changes (everything but audit entries,
// which every read writes) the practice server has not acknowledged yet:
// the "changes waiting" a person sees.
func (w *Workstation) PendingChanges(ctx context.Context) (int, error) {
	return w.countUnacked(ctx, `SELECT count(*) FROM changes WHERE acked_at IS NULL AND kind NOT IN ('audit', 'audit-batch')`)
}

func (w *Workstation) countUnacked(ctx context.Context, query string) (int, error) {
	var n int
	if err := w.db.QueryRowContext(ctx, query).Scan(&n); err != nil {
		return 0, fmt.Errorf("count changes waiting to sync: %w", err)
	}
	return n, nil
}

// OpenConflicts counts the field conflicts kept for review that role may
// read, without the data key (for the status bar and the day report): a
// front desk counts demographic conflicts only. Dismissals of conflicts on
// signed notes are not subtracted: the Conflicts screen has the exact list.
func (w *Workstation) OpenConflicts(ctx context.Context, role chart.Role) (int, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT kind, sum(count) FROM record_conflicts GROUP BY kind`)
	if err != nil {
		return 0, fmt.Errorf("count sync conflicts: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var kind string
		var count int
		if err := rows.Scan(&kind, &count); err != nil {
			return 0, fmt.Errorf("count sync conflicts: %w", err)
		}
		if act := conflictReadAct(kind); act != "" && chart.Can(role, act) {
			n += count
		}
	}
	return n, rows.Err()
}

// SyncPullCursor is the server seq after which the next pull starts, read
// without a session (a joining workstation resumes its first pull here).
func (w *Workstation) SyncPullCursor(ctx context.Context) (int64, error) {
	return readPullCursor(ctx, w.db)
}

// PendingChanges on a session counts every unacknowledged change, audit
// entries included, so the sync loop knows the sending total up front
// (client.PendingCounter). Unsent audit entries are packed into batches
// first (audit_sync_batch.go), so the total is what the push will send.
func (s *Session) PendingChanges(ctx context.Context) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.check("") == nil {
		if err := s.packAuditBatches(ctx); err != nil {
			return 0, err
		}
	}
	return s.w.countUnacked(ctx, `SELECT count(*) FROM changes WHERE acked_at IS NULL`)
}

// AuditSyncConnected records, in the audit log, that the signed-in
// administrator connected this workstation to the practice server at addr.
func (s *Session) AuditSyncConnected(ctx context.Context, addr string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(chart.ActManagePractice); err != nil {
		return err
	}
	return s.w.write(ctx, func(t *tx) error {
		if err := s.publishDeviceName(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPracticeSetting,
			Detail: "connected this workstation to the practice server at " + addr})
	})
}
