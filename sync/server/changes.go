package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

// MaxPullBytes caps one pull page (roughly, counting base64 growth), so a
// page of large attachments stays a bounded reply.
const MaxPullBytes = 16 << 20

// ChangeOverhead is what a change counts towards its device's quota on top
// of its sealed content: about the size of its stored metadata and index
// entries, so a flood of tiny changes is counted too.
const ChangeOverhead = 512

// QuotaError refuses a push that would take its device over quota.
type QuotaError struct {
	Stored, Adding, Quota int64
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("device storage quota exceeded: %d bytes stored, push adds %d, quota %d", e.Stored, e.Adding, e.Quota)
}

// Push stores the changes in one transaction and returns an ack per change,
// in order. A change id already stored is acknowledged with its existing seq
// and not stored again, so a retried push after a lost reply is harmless.
// Known ids are looked up before inserting, because even a conflicting
// INSERT would take a seq from AUTOINCREMENT and leave a hole in the seqs.
// Nothing is stored unless everything is: a push that would take the
// device's stored bytes over quota (0: no quota) fails with *QuotaError.
func (s *Store) Push(ctx context.Context, deviceID string, changes []wire.Change, now time.Time, quota int64) ([]wire.Ack, error) {
	acks := make([]wire.Ack, 0, len(changes))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		acks = acks[:0]
		seqs, err := storedSeqs(ctx, tx, changes)
		if err != nil {
			return err
		}
		adding := newBytes(changes, seqs)
		if err := chargeQuota(ctx, tx, deviceID, adding, quota); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO changes (change_id, record_id, kind, patient_id, version,
			parents, hlc, device_id, user_id, sealed, auth, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("prepare push: %w", err)
		}
		defer ins.Close()
		received := formatTime(now)
		for i := range changes {
			c := &changes[i]
			seq, known := seqs[c.ChangeID]
			if !known { // also covers an id repeated within the batch
				if seq, err = insertChange(ctx, ins, c, received); err != nil {
					return err
				}
				seqs[c.ChangeID] = seq
				if err := supersede(ctx, tx, c); err != nil {
					return err
				}
			}
			acks = append(acks, wire.Ack{ChangeID: c.ChangeID, Seq: seq})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store pushed changes: %w", err)
	}
	return acks, nil
}

// newBytes is what the changes not stored yet count towards the quota.
func newBytes(changes []wire.Change, stored map[chart.ChangeID]int64) int64 {
	var n int64
	seen := make(map[chart.ChangeID]bool, len(changes))
	for i := range changes {
		c := &changes[i]
		if _, known := stored[c.ChangeID]; known || seen[c.ChangeID] {
			continue
		}
		seen[c.ChangeID] = true
		n += int64(len(c.Sealed)) + ChangeOverhead
	}
	return n
}

// chargeQuota adds adding to the device's stored bytes, or refuses if that
// would exceed quota. It runs in the push's transaction, so a refused or
// failed push charges nothing.
func chargeQuota(ctx context.Context, tx *sql.Tx, deviceID string, adding, quota int64) error {
	var stored int64
	if err := tx.QueryRowContext(ctx, `SELECT stored_bytes FROM devices WHERE id = ?`, deviceID).Scan(&stored); err != nil {
		return fmt.Errorf("read device storage: %w", err)
	}
	if quota > 0 && adding > 0 && stored+adding > quota {
		return &QuotaError{Stored: stored, Adding: adding, Quota: quota}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE devices SET stored_bytes = stored_bytes + ? WHERE id = ?`, adding, deviceID); err != nil {
		return fmt.Errorf("count device storage: %w", err)
	}
	return nil
}

// storedSeqs returns the seqs of the batch's changes the server already holds.
func storedSeqs(ctx context.Context, tx *sql.Tx, changes []wire.Change) (map[chart.ChangeID]int64, error) {
	ids := make([]chart.ChangeID, len(changes))
	for i := range changes {
		ids[i] = changes[i].ChangeID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("encode change ids: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT change_id, seq FROM changes
		WHERE change_id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("find stored changes: %w", err)
	}
	defer rows.Close()
	seqs := make(map[chart.ChangeID]int64, len(changes))
	for rows.Next() {
		var id chart.ChangeID
		var seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, fmt.Errorf("find stored changes: %w", err)
		}
		seqs[id] = seq
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find stored changes: %w", err)
	}
	return seqs, nil
}

// insertChange stores c, which is not stored yet, and returns its seq. The
// handler has checked that c.DeviceID is the authenticated pushing device.
func insertChange(ctx context.Context, ins *sql.Stmt, c *wire.Change, received string) (int64, error) {
	parents, err := json.Marshal(nonNil(c.Parents))
	if err != nil {
		return 0, fmt.Errorf("encode parents: %w", err)
	}
	res, err := ins.ExecContext(ctx, c.ChangeID, c.RecordID, c.Kind, c.PatientID, c.Version, string(parents),
		c.HLC, c.DeviceID, c.UserID, c.Sealed, c.Auth, received)
	if err != nil {
		return 0, fmt.Errorf("insert change %s: %w", c.ChangeID, err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("insert change %s: %w", c.ChangeID, err)
	}
	return seq, nil
}

func nonNil(p []chart.ChangeID) []chart.ChangeID {
	if p == nil {
		return []chart.ChangeID{}
	}
	return p
}

// SaveLastSeen records when each device last made an authenticated
// request, keeping a later time already stored. The RequestLedger batches
// these: one write for many requests.
func (s *Store) SaveLastSeen(ctx context.Context, seen map[string]time.Time) error {
	if len(seen) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		up, err := tx.PrepareContext(ctx, `UPDATE devices SET last_seen_at = max(coalesce(last_seen_at, ''), ?) WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("save last seen: %w", err)
		}
		defer up.Close()
		for id, at := range seen {
			if _, err := up.ExecContext(ctx, formatTime(at), id); err != nil {
				return fmt.Errorf("save last seen of %s: %w", id, err)
			}
		}
		return nil
	})
}

// StoredBytes is what the device's changes count towards its quota.
func (s *Store) StoredBytes(ctx context.Context, deviceID string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT stored_bytes FROM devices WHERE id = ?`, deviceID).Scan(&n)
	if isNoRows(err) {
		return 0, ErrUnknownDevice
	}
	return n, err
}

// Pull returns the changes after req.After in seq order: at most req.Limit
// and about maxBytes (always at least one change if any is left). With
// req.Patients, only those patients' changes and practice-wide ones come.
// Head is the highest seq stored (whatever the filter).
func (s *Store) Pull(ctx context.Context, req wire.PullRequest, maxBytes int) (wire.PullResponse, error) {
	return s.PullFor(ctx, "", req, maxBytes)
}

// PullFor is Pull for the device that asks: its own changes are left out
// unless req.IncludeOwn.
func (s *Store) PullFor(ctx context.Context, device string, req wire.PullRequest, maxBytes int) (wire.PullResponse, error) {
	resp := wire.PullResponse{Changes: []wire.Change{}, Next: req.After}
	// Every seq up to the head read now is committed (SQLite has one writer
	// and seqs grow), so a filtered pull that reaches the end may move its
	// cursor there: a route device then does not re-scan other patients'
	// changes on every sync.
	var headBefore int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes`).Scan(&headBefore); err != nil {
		return resp, fmt.Errorf("pull: read head: %w", err)
	}
	filter, args := "", []any{req.After}
	if req.Patients != nil {
		ids, err := json.Marshal(req.Patients)
		if err != nil {
			return resp, fmt.Errorf("pull: encode patient filter: %w", err)
		}
		filter = ` AND (patient_id = '' OR patient_id IN (SELECT value FROM json_each(?)))`
		args = append(args, string(ids))
	}
	if device != "" && !req.IncludeOwn {
		filter += ` AND device_id != ?`
		args = append(args, device)
	}
	args = append(args, req.Limit+1)
	rows, err := s.db.QueryContext(ctx, `SELECT seq, change_id, record_id, kind, patient_id, version, parents, hlc,
		device_id, user_id, sealed, auth FROM changes WHERE seq > ? AND superseded = 0`+filter+` ORDER BY seq LIMIT ?`, args...)
	if err != nil {
		return resp, fmt.Errorf("pull: %w", err)
	}
	defer rows.Close()
	size := 0
	for rows.Next() {
		if len(resp.Changes) == req.Limit {
			resp.More = true
			break
		}
		seq, c, err := scanChange(rows)
		if err != nil {
			return resp, fmt.Errorf("pull: %w", err)
		}
		size += len(c.Sealed)*4/3 + 512
		if size > maxBytes && len(resp.Changes) > 0 {
			resp.More = true
			break
		}
		resp.Changes = append(resp.Changes, c)
		resp.Next = seq
	}
	if err := rows.Err(); err != nil {
		return resp, fmt.Errorf("pull: %w", err)
	}
	rows.Close()
	if !resp.More {
		resp.Next = max(resp.Next, headBefore)
	}
	if resp.Revoked, err = s.revokedDevices(ctx); err != nil {
		return resp, err
	}
	// Read after the page, so Head is never below Next.
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes`).Scan(&resp.Head); err != nil {
		return resp, fmt.Errorf("pull: read head: %w", err)
	}
	return resp, nil
}

func scanChange(rows *sql.Rows) (int64, wire.Change, error) {
	var c wire.Change
	var seq int64
	var parents string
	err := rows.Scan(&seq, &c.ChangeID, &c.RecordID, &c.Kind, &c.PatientID, &c.Version, &parents, &c.HLC,
		&c.DeviceID, &c.UserID, &c.Sealed, &c.Auth)
	if err != nil {
		return 0, c, err
	}
	if err := json.Unmarshal([]byte(parents), &c.Parents); err != nil {
		return 0, c, fmt.Errorf("change %s: parents: %w", c.ChangeID, err)
	}
	return seq, c, nil
}

// ChangeCount returns how many changes are stored (for tests and the
// devices listing).
func (s *Store) ChangeCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM changes`).Scan(&n)
	return n, err
}
