package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
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
// in order. A change id already stored in the device's practice is
// acknowledged with its existing seq and not stored again, so a retried
// push after a lost reply is harmless. The practice's seq counter is locked
// first, so concurrent pushes of one practice (even from several server
// processes) take dense seqs and commit in seq order: a puller never sees
// seq n+1 before n. Nothing is stored unless everything is: a push that
// would take the device's stored bytes over quota (0: no quota) fails with
// *QuotaError.
//
// A push is a fixed number of statements whatever its size (one insert
// for up to insertRows changes): on PostgreSQL each is a round trip, and
// the practice's counter stays locked until the last one.
func (s *Store) Push(ctx context.Context, deviceID string, changes []wire.Change, now time.Time, quota int64) ([]wire.Ack, error) {
	var acks []wire.Ack
	err := s.inTx(ctx, func(tx txn) error {
		practice, last, err := lockSeqs(ctx, tx, deviceID)
		if err != nil {
			return err
		}
		seqs, err := storedSeqs(ctx, tx, practice, changes)
		if err != nil {
			return err
		}
		fresh, next := numberNew(changes, seqs, last)
		if err := chargeQuota(ctx, tx, deviceID, newBytes(fresh), quota); err != nil {
			return err
		}
		if err := insertChanges(ctx, tx, practice, fresh, last, formatTime(now)); err != nil {
			return err
		}
		if err := supersede(ctx, tx, practice, fresh); err != nil {
			return err
		}
		acks = ackAll(changes, seqs)
		if next == last {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE practices SET last_seq = ? WHERE pk = ?`, next, practice); err != nil {
			return fmt.Errorf("advance seq: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store pushed changes: %w", err)
	}
	return acks, nil
}

// lockSeqs returns the pushing device's practice and its last seq, and
// locks the practice's counter until the transaction ends.
func lockSeqs(ctx context.Context, tx txn, deviceID string) (practice, last int64, err error) {
	err = tx.queryRow(ctx, `UPDATE practices SET last_seq = last_seq
		WHERE pk = (SELECT practice FROM devices WHERE id = ?) RETURNING pk, last_seq`, deviceID).Scan(&practice, &last)
	if isNoRows(err) {
		return 0, 0, ErrUnknownDevice
	}
	if err != nil {
		return 0, 0, fmt.Errorf("lock practice seqs: %w", err)
	}
	return practice, last, nil
}

// numberNew gives each change not stored yet the next seq after last, in
// batch order, recording it in seqs (so an id repeated within the batch is
// stored once), and returns those changes and the last seq taken.
func numberNew(changes []wire.Change, seqs map[chart.ChangeID]int64, last int64) ([]*wire.Change, int64) {
	var fresh []*wire.Change
	for i := range changes {
		c := &changes[i]
		if _, known := seqs[c.ChangeID]; known {
			continue
		}
		last++
		seqs[c.ChangeID] = last
		fresh = append(fresh, c)
	}
	return fresh, last
}

// ackAll acknowledges every change of the batch with its seq, in order.
func ackAll(changes []wire.Change, seqs map[chart.ChangeID]int64) []wire.Ack {
	acks := make([]wire.Ack, len(changes))
	for i, c := range changes {
		acks[i] = wire.Ack{ChangeID: c.ChangeID, Seq: seqs[c.ChangeID]}
	}
	return acks
}

// newBytes is what the changes not stored yet count towards the quota.
func newBytes(fresh []*wire.Change) int64 {
	var n int64
	for _, c := range fresh {
		n += int64(len(c.Sealed)) + ChangeOverhead
	}
	return n
}

// chargeQuota adds adding to the device's stored bytes, or refuses if that
// would exceed quota. It runs in the push's transaction, so a refused or
// failed push charges nothing.
func chargeQuota(ctx context.Context, tx txn, deviceID string, adding, quota int64) error {
	if adding == 0 {
		return nil
	}
	limit := int64(math.MaxInt64)
	if quota > 0 {
		limit = quota
	}
	res, err := tx.exec(ctx, `UPDATE devices SET stored_bytes = stored_bytes + ?
		WHERE id = ? AND stored_bytes <= ?`, adding, deviceID, limit-adding)
	if err != nil {
		return fmt.Errorf("count device storage: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var stored int64
	if err := tx.queryRow(ctx, `SELECT stored_bytes FROM devices WHERE id = ?`, deviceID).Scan(&stored); err != nil {
		return fmt.Errorf("read device storage: %w", err)
	}
	return &QuotaError{Stored: stored, Adding: adding, Quota: quota}
}

// storedSeqs returns the seqs of the batch's changes the practice already
// holds. Another practice's changes are not looked at: a change naming one
// of their ids is a new change of this practice.
func storedSeqs(ctx context.Context, tx txn, practice int64, changes []wire.Change) (map[chart.ChangeID]int64, error) {
	ids := make([]chart.ChangeID, len(changes))
	for i := range changes {
		ids[i] = changes[i].ChangeID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("encode change ids: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT change_id, seq FROM changes
		WHERE practice = ? AND change_id IN (`+tx.d.jsonValues+`)`, practice, string(list))
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

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func nonNil(p []chart.ChangeID) []chart.ChangeID {
	if p == nil {
		return []chart.ChangeID{}
	}
	return p
}

// SaveLastSeen records when each device last made an authenticated
// request, keeping a later time already stored. The RequestLedger batches
// these: one statement for many requests, so on PostgreSQL no transaction
// holds devices' rows across a round trip per device while their pushes
// (which count their bytes on that row) wait. Two processes flushing at
// once lock the rows in the same order (the ids come sorted, and the plan
// is the same), never a deadlock.
func (s *Store) SaveLastSeen(ctx context.Context, seen map[string]time.Time) error {
	if len(seen) == 0 {
		return nil
	}
	times := make(map[string]string, len(seen))
	for id, t := range seen {
		times[id] = formatTime(t)
	}
	pairs, err := json.Marshal(times) // keys sorted
	if err != nil {
		return fmt.Errorf("save last seen: %w", err)
	}
	_, err = s.exec(ctx, `UPDATE devices SET last_seen_at = `+s.d.greatest+`(coalesce(devices.last_seen_at, ''), seen.value)
		FROM (`+s.d.jsonPairs+`) AS seen WHERE devices.id = seen.key`, string(pairs))
	if err != nil {
		return fmt.Errorf("save last seen: %w", err)
	}
	return nil
}

// StoredBytes is what the device's changes count towards its quota.
func (s *Store) StoredBytes(ctx context.Context, deviceID string) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT stored_bytes FROM devices WHERE id = ?`, deviceID).Scan(&n)
	if isNoRows(err) {
		return 0, ErrUnknownDevice
	}
	return n, err
}

// Pull returns the default practice's changes after req.After in seq
// order: at most req.Limit and about maxBytes (always at least one change
// if any is left). With req.Patients, only those patients' changes and
// practice-wide ones come. Head is the practice's highest seq (whatever
// the filter).
func (s *Store) Pull(ctx context.Context, req wire.PullRequest, maxBytes int) (wire.PullResponse, error) {
	return s.PullFor(ctx, "", req, maxBytes)
}

// PullFor is Pull of the practice of the device that asks: its own changes
// are left out unless req.IncludeOwn.
func (s *Store) PullFor(ctx context.Context, device string, req wire.PullRequest, maxBytes int) (wire.PullResponse, error) {
	resp := wire.PullResponse{Changes: []wire.Change{}, Next: req.After}
	// Every seq up to the head read now is committed (a push holds its
	// practice's counter until it commits), so a filtered pull that
	// reaches the end may move its cursor there: a route device then does
	// not re-scan other patients' changes on every sync.
	practice, headBefore, err := s.practiceHead(ctx, device)
	if err != nil {
		return resp, fmt.Errorf("pull: %w", err)
	}
	filter, args := "", []any{practice, req.After}
	if req.Patients != nil {
		ids, err := json.Marshal(req.Patients)
		if err != nil {
			return resp, fmt.Errorf("pull: encode patient filter: %w", err)
		}
		filter = ` AND (patient_id = '' OR patient_id IN (` + s.d.jsonValues + `))`
		args = append(args, string(ids))
	}
	if device != "" && !req.IncludeOwn {
		filter += ` AND device_id != ?`
		args = append(args, device)
	}
	args = append(args, req.Limit+1)
	rows, err := s.query(ctx, `SELECT seq, change_id, record_id, kind, patient_id, version, parents, hlc,
		device_id, user_id, sealed, auth FROM changes WHERE practice = ? AND seq > ? AND superseded = 0`+filter+` ORDER BY seq LIMIT ?`, args...)
	if err != nil {
		return resp, fmt.Errorf("pull: %w", err)
	}
	defer rows.Close()
	if err := readPage(rows, req.Limit, maxBytes, &resp); err != nil {
		return resp, fmt.Errorf("pull: %w", err)
	}
	rows.Close()
	if !resp.More {
		resp.Next = max(resp.Next, headBefore)
	}
	// Head is read after the page, so it is never below Next, unless the
	// workstation asked after a seq this store never reached: a store
	// brought back from a copy. Next is then the head, so the reply stays
	// valid and the workstation, seeing its cursor past the head, starts
	// over (docs/SYNC.md, "A restored practice server").
	resp.Revoked, resp.Head, resp.Incarnation, err = s.revokedAndHead(ctx, practice)
	resp.Next = min(resp.Next, resp.Head)
	return resp, err
}

// defaultPractice is the practice a store served before it served many,
// and the one codes made without naming a practice enrol into.
const defaultPractice = 1

// practiceHead is the practice of device ("": the default practice) and
// its highest committed seq, in one statement.
func (s *Store) practiceHead(ctx context.Context, device string) (practice, head int64, err error) {
	query, arg := `SELECT pk, last_seq FROM practices WHERE pk = (SELECT practice FROM devices WHERE id = ?)`, any(device)
	if device == "" {
		query, arg = `SELECT pk, last_seq FROM practices WHERE pk = ?`, defaultPractice
	}
	err = s.queryRow(ctx, query, arg).Scan(&practice, &head)
	if isNoRows(err) {
		return 0, 0, ErrUnknownDevice
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read practice head: %w", err)
	}
	return practice, head, nil
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
	err := s.queryRow(ctx, `SELECT count(*) FROM changes`).Scan(&n)
	return n, err
}
