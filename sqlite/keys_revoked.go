package sqlite

import (
	"context"
	"fmt"
	"strings"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// A revoked workstation (a lost or stolen laptop) holds the credentials
// and keyboxes it synced. Once the practice server says it was revoked, an
// administrator's session starts a new key epoch, unless one was started
// after the revocation already: what the laptop holds then opens nothing
// written from that point on (docs/SECURITY.md).

// NoteRevoked records the revocations the server listed in a pull and, in
// an administrator's session, changes the practice key when one is due.
func (s *Session) NoteRevoked(ctx context.Context, revoked []wire.Revocation) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return err
	}
	return s.w.write(ctx, func(t *tx) error {
		for _, r := range revoked {
			if _, err := t.ExecContext(ctx, `INSERT INTO revoked_devices (id, revoked_at) VALUES (?, ?)
				ON CONFLICT (id) DO UPDATE SET revoked_at = excluded.revoked_at`, string(r.DeviceID), r.At); err != nil {
				return fmt.Errorf("note revoked workstation: %w", err)
			}
		}
		return s.rotateIfRevoked(ctx, t)
	})
}

// rotateIfRevoked starts a new epoch when the session's user may (an
// administrator) and a workstation was revoked after the current epoch
// began.
func (s *Session) rotateIfRevoked(ctx context.Context, t *tx) error {
	if !chart.Can(s.user.Role, chart.ActManagePractice) {
		return nil
	}
	cur, _ := s.key.Current()
	due, err := revokedSinceEpoch(ctx, t, cur)
	if err != nil || len(due) == 0 {
		return err
	}
	names := make([]string, 0, len(due))
	for _, id := range due {
		name, err := deviceName(ctx, t, id)
		if err != nil {
			return err
		}
		names = append(names, name)
	}
	return s.rotate(ctx, t, "workstation "+strings.Join(names, ", ")+" was revoked")
}

// revokedSinceEpoch lists the workstations revoked after epoch current
// began (the first key began with the practice: every revocation counts).
func revokedSinceEpoch(ctx context.Context, q queryer, current seal.EpochID) ([]chart.DeviceID, error) {
	var since int64
	if !current.IsRoot() {
		epochs, err := loadEpochs(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, e := range epochs {
			if ts, err := clock.ParseTimestamp(e.stamp); err == nil && e.id == current {
				since = ts.Wall
			}
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT id FROM revoked_devices WHERE revoked_at > ? ORDER BY id`, since)
	if err != nil {
		return nil, fmt.Errorf("list revoked workstations: %w", err)
	}
	defer rows.Close()
	var out []chart.DeviceID
	for rows.Next() {
		var id chart.DeviceID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// KeyChangeDue reports whether a workstation was revoked after the key
// this workstation last saw adopted began, for the sync strip: until an
// administrator signs in, it says one should. It reads without the key.
func (w *Workstation) KeyChangeDue(ctx context.Context) (bool, error) {
	var revoked, started int64
	if err := w.db.QueryRowContext(ctx, `SELECT coalesce(max(revoked_at), 0) FROM revoked_devices`).Scan(&revoked); err != nil {
		return false, fmt.Errorf("check revoked workstations: %w", err)
	}
	if revoked == 0 {
		return false, nil
	}
	var stamp string
	err := w.db.QueryRowContext(ctx, `SELECT coalesce(max(hlc), '') FROM changes WHERE kind = ?`, kindEpoch).Scan(&stamp)
	if err != nil {
		return false, fmt.Errorf("check key epochs: %w", err)
	}
	if ts, err := clock.ParseTimestamp(stamp); err == nil {
		started = ts.Wall
	}
	return revoked > started, nil
}
