package sqlite

// The audit log answers "who did what to which chart, and when" for a
// practice that may one day have to prove it. Three layers protect it:
//
//   - SQLite triggers (migrations/0002_audit.sql) refuse UPDATE and DELETE,
//     so a bug in Outpost cannot rewrite history.
//   - Each entry's hash covers the previous entry's hash and every stored
//     column, and meta('audit_head') records the newest seq and hash in the
//     same transaction. Someone who edits the file by hand (and drops the
//     triggers) leaves a broken chain that verifyAudit reports by seq.
//   - The free-text detail, the only column a caller might fill with health
//     data, is sealed under the practice key; the rest (user, action, opaque
//     ids, time) stays in clear so the viewer can filter with indexes.
//
// The hash is unkeyed on purpose: the log must be verifiable without a
// signed-in user, and entries are written before anyone is signed in (failed
// sign-ins). The cost is that a tamperer who rewrites the whole chain and the
// head after the point they changed is not caught locally; catching that
// needs the head anchored elsewhere (e.g. relayed to the practice server).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"outpost/chart"
	"outpost/seal"
)

const (
	// auditDomain versions both the hash encoding and the sealing AD, so a
	// future format cannot be confused with this one.
	auditDomain  = "outpost/audit/v1"
	auditHeadKey = "audit_head"
	// auditHeadSize is the head value: seq as 8 big-endian bytes, then the
	// hash. Big-endian so the forward-only trigger can compare seqs as bytes.
	auditHeadSize = 8 + sha256.Size

	// unreadableDetail replaces a detail that will not open, so one damaged
	// entry does not hide the rest of the log from the administrator.
	unreadableDetail = "[detail unreadable: integrity check failed]"

	auditDefaultLimit = 200
	auditMaxLimit     = 5000
)

// auditColumns is the column order shared by every read of audit_log.
const auditColumns = `seq, at, user_id, username, action, patient_id,
	record_kind, record_id, device_id, detail, detail_sealed, prev_hash, hash`

// auditRow is an audit_log row exactly as stored: the hash is computed over
// these bytes, never over the opened detail, so verification needs no key.
type auditRow struct {
	seq, at                             int64
	userID, username, action, patientID string
	recordKind, recordID, deviceID      string
	detail                              []byte
	sealed                              bool
	prevHash, hash                      []byte
}

// zeroHash is the prev_hash of the first entry.
var zeroHash = make([]byte, sha256.Size)

// appendAudit appends e inside tx, outside any session (a failed sign-in,
// a recovery), and queues it to travel with sync at the next sign-in (see
// sync_audit.go). It returns e with Seq, At (=now, UTC) and Hash set. key
// may be nil (nobody signed in): the detail is then stored unsealed —
// callers guarantee such details never hold health data.
//
// Writing inside the caller's transaction is what makes an action and its
// audit entry commit or vanish together.
func appendAudit(ctx context.Context, tx *sql.Tx, key *seal.Key, now time.Time, e chart.AuditEntry) (chart.AuditEntry, error) {
	written, err := appendAuditEntry(ctx, tx, key, now, e)
	if err != nil {
		return written, err
	}
	return written, queueAuditForSync(ctx, tx, written.Seq)
}

// appendAuditEntry appends e to the local hash chain only.
func appendAuditEntry(ctx context.Context, tx *sql.Tx, key *seal.Key, now time.Time, e chart.AuditEntry) (chart.AuditEntry, error) {
	if e.Action == "" {
		return chart.AuditEntry{}, errors.New("append audit entry: action is empty")
	}
	seq, prev, err := nextAuditPosition(ctx, tx)
	if err != nil {
		return chart.AuditEntry{}, err
	}
	r := auditRow{
		seq: seq, at: now.UnixNano(),
		userID: string(e.UserID), username: e.Username, action: string(e.Action),
		patientID: string(e.PatientID), recordKind: e.RecordKind, recordID: e.RecordID,
		deviceID: string(e.DeviceID),
		detail:   []byte(e.Detail), prevHash: prev,
	}
	if key != nil {
		r.detail, r.sealed = key.Seal(r.detail, auditAD(seq)), true
	}
	r.hash = r.computeHash()
	if err := insertAuditRow(ctx, tx, r); err != nil {
		return chart.AuditEntry{}, err
	}
	if err := writeAuditHead(ctx, tx, r.seq, r.hash); err != nil {
		return chart.AuditEntry{}, err
	}
	return r.entry(e.Detail), nil
}

// auditAD binds a sealed detail to its entry, so a detail copied onto
// another entry fails to open instead of lying about what happened.
func auditAD(seq int64) []byte {
	return seal.AD(auditDomain, strconv.FormatInt(seq, 10))
}

// nextAuditPosition chains off the recorded head rather than the newest row:
// if someone removed the newest rows, the next entry then points at a hash
// that is no longer there and verification keeps reporting the removal
// instead of the new entry papering over it. The seq also clears any row
// present, so a damaged head never blocks auditing (and thus all work).
func nextAuditPosition(ctx context.Context, tx *sql.Tx) (int64, []byte, error) {
	var head []byte
	var maxSeq sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT value FROM meta WHERE key = ?),
		(SELECT max(seq) FROM audit_log)`, auditHeadKey).Scan(&head, &maxSeq)
	if err != nil {
		return 0, nil, fmt.Errorf("read audit head: %w", err)
	}
	headSeq, prev, ok := parseAuditHead(head)
	if !ok {
		headSeq, prev = 0, zeroHash
	}
	return max(headSeq, maxSeq.Int64) + 1, prev, nil
}

func parseAuditHead(v []byte) (seq int64, hash []byte, ok bool) {
	if len(v) != auditHeadSize {
		return 0, nil, false
	}
	return int64(binary.BigEndian.Uint64(v[:8])), v[8:], true
}

func insertAuditRow(ctx context.Context, tx *sql.Tx, r auditRow) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.seq, r.at, r.userID, r.username, r.action, r.patientID,
		r.recordKind, r.recordID, r.deviceID, nonNil(r.detail), boolInt(r.sealed),
		r.prevHash, r.hash)
	if err != nil {
		return fmt.Errorf("insert audit entry %d: %w", r.seq, err)
	}
	return nil
}

func writeAuditHead(ctx context.Context, tx *sql.Tx, seq int64, hash []byte) error {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, auditHeadSize), uint64(seq))
	v = append(v, hash...)
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, auditHeadKey, v)
	if err != nil {
		return fmt.Errorf("move audit head to %d: %w", seq, err)
	}
	return nil
}

// computeHash is SHA-256(prev_hash || encoding of every other column).
// Each field is length-prefixed (integers fixed-width), so no two different
// rows share an encoding: moving bytes from one column into the next changes
// the hash.
func (r auditRow) computeHash() []byte {
	h := sha256.New()
	h.Write(r.prevHash)
	h.Write(r.encode())
	return h.Sum(nil)
}

func (r auditRow) encode() []byte {
	var b []byte
	b = appendField(b, []byte(auditDomain))
	b = binary.BigEndian.AppendUint64(b, uint64(r.seq))
	b = binary.BigEndian.AppendUint64(b, uint64(r.at))
	for _, s := range []string{r.userID, r.username, r.action, r.patientID, r.recordKind, r.recordID, r.deviceID} {
		b = appendField(b, []byte(s))
	}
	b = appendField(b, r.detail)
	return append(b, byte(boolInt(r.sealed)))
}

func appendField(b, field []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(field)))
	return append(b, field...)
}

// entry converts a row for the caller; detail is the readable text.
func (r auditRow) entry(detail string) chart.AuditEntry {
	return chart.AuditEntry{
		Seq:        r.seq,
		At:         time.Unix(0, r.at).UTC(),
		UserID:     chart.UserID(r.userID),
		Username:   r.username,
		Action:     chart.AuditAction(r.action),
		PatientID:  chart.PatientID(r.patientID),
		RecordKind: r.recordKind,
		RecordID:   r.recordID,
		Detail:     detail,
		DeviceID:   chart.DeviceID(r.deviceID),
		Hash:       hex.EncodeToString(r.hash),
	}
}

// errAuditMalformed marks a row whose stored types are not what Outpost
// writes: only possible if the table was rebuilt by hand.
var errAuditMalformed = errors.New("audit entry has unexpected column types")

// scanAuditRow reads through `any` rather than typed targets so that a row
// someone tampered into NULLs or wrong types is reported as changed instead
// of failing the whole verification with a driver error.
func scanAuditRow(scan func(...any) error) (auditRow, error) {
	v := make([]any, 13)
	ptrs := make([]any, len(v))
	for i := range v {
		ptrs[i] = &v[i]
	}
	if err := scan(ptrs...); err != nil {
		return auditRow{}, fmt.Errorf("read audit entry: %w", err)
	}
	for _, blob := range []int{9, 11, 12} {
		if v[blob] == nil { // an empty blob may come back as nil; NULL means the same
			v[blob] = []byte(nil)
		}
	}
	var r auditRow
	var sealed int64
	ok := as(v[0], &r.seq) && as(v[1], &r.at) &&
		as(v[2], &r.userID) && as(v[3], &r.username) && as(v[4], &r.action) &&
		as(v[5], &r.patientID) && as(v[6], &r.recordKind) && as(v[7], &r.recordID) &&
		as(v[8], &r.deviceID) && as(v[9], &r.detail) && as(v[10], &sealed) &&
		as(v[11], &r.prevHash) && as(v[12], &r.hash) && (sealed == 0 || sealed == 1)
	r.sealed = sealed == 1
	if !ok {
		return r, errAuditMalformed
	}
	return r, nil
}

// as stores v in dst when it has the type Outpost writes for the column.
func as[T any](v any, dst *T) bool {
	x, ok := v.(T)
	*dst = x
	return ok
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// openAuditDetail returns the readable detail, or the unreadable marker when
// it was sealed under another key or altered.
func openAuditDetail(key *seal.Key, r auditRow) string {
	if !r.sealed {
		return string(r.detail)
	}
	if key == nil {
		return unreadableDetail
	}
	pt, err := key.Open(r.detail, auditAD(r.seq))
	if err != nil {
		return unreadableDetail
	}
	return string(pt)
}

// listAudit returns entries matching f, newest first. Details sealed under a
// different key or failing to open are shown as unreadableDetail and do not
// fail the listing.
func listAudit(ctx context.Context, db *sql.DB, key *seal.Key, f chart.AuditFilter) ([]chart.AuditEntry, error) {
	if f.AllDevices {
		return listPracticeAudit(ctx, db, key, f)
	}
	where, args, err := auditWhere(f)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log`+where+
		` ORDER BY seq DESC LIMIT ?`, append(args, auditLimit(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	entries := []chart.AuditEntry{}
	for rows.Next() {
		r, err := scanAuditRow(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list audit entries: %w", err)
		}
		entries = append(entries, r.entry(openAuditDetail(key, r)))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	return entries, nil
}

func auditLimit(n int) int {
	switch {
	case n <= 0:
		return auditDefaultLimit
	case n > auditMaxLimit:
		return auditMaxLimit
	default:
		return n
	}
}

// auditWhere builds the WHERE clause; every value goes in as a parameter.
func auditWhere(f chart.AuditFilter) (string, []any, error) {
	if f.BeforeSeq < 0 {
		return "", nil, chart.FieldError("beforeSeq", "The page position must not be negative.")
	}
	conds, args, err := auditConds(f)
	if err != nil {
		return "", nil, err
	}
	if f.BeforeSeq > 0 {
		conds, args = append(conds, "seq < ?"), append(args, f.BeforeSeq)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// auditConds are the filter's conditions other than paging, on the columns
// audit_log and audit_remote share.
func auditConds(f chart.AuditFilter) ([]string, []any, error) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.UserID != "" {
		add("user_id = ?", string(f.UserID))
	}
	if f.PatientID != "" {
		add("patient_id = ?", string(f.PatientID))
	}
	if f.Action != "" {
		add("action = ?", string(f.Action))
	}
	from, to, err := auditDateRange(f.From, f.To)
	if err != nil {
		return nil, nil, err
	}
	if !from.IsZero() {
		add("at >= ?", from.UnixNano())
	}
	if !to.IsZero() {
		add("at < ?", to.UnixNano())
	}
	return conds, args, nil
}

// auditDateRange turns the inclusive local dates into [from, to) instants.
// The day after To is computed with time.Date rather than +24h so a day with
// a daylight-saving change is still covered whole. Zero means unbounded.
func auditDateRange(fromDay, toDay string) (from, to time.Time, err error) {
	if fromDay != "" {
		if from, err = parseLocalDay(fromDay); err != nil {
			return from, to, chart.FieldError("from", "The start date must be a date like 2026-03-14.")
		}
	}
	if toDay != "" {
		day, err := parseLocalDay(toDay)
		if err != nil {
			return from, to, chart.FieldError("to", "The end date must be a date like 2026-03-14.")
		}
		to = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, time.Local)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, chart.FieldError("to", "The end date is before the start date.")
	}
	return from, to, nil
}

// parseLocalDay also bounds the year: entries are stored as unix nanoseconds,
// which only reach 2262, and nothing was audited before 1970.
func parseLocalDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err == nil && (t.Year() < 1970 || t.Year() > 2200) {
		err = fmt.Errorf("date %s out of range", s)
	}
	return t, err
}

// verifyAudit re-walks the whole chain and reports the first entry that was
// edited, reordered or removed. It reads in one transaction so the rows and
// the head come from the same moment; ReadOnly makes it a deferred BEGIN, so
// under WAL a long walk does not hold the write lock and stall charting.
func verifyAudit(ctx context.Context, db *sql.DB) (chart.AuditVerification, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return chart.AuditVerification{}, fmt.Errorf("verify audit log: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to undo
	w := auditWalk{nextSeq: 1, prev: zeroHash}
	if err := w.walkRows(ctx, tx); err != nil {
		return chart.AuditVerification{}, err
	}
	if w.bad != nil {
		return *w.bad, nil
	}
	if err := w.checkHead(ctx, tx); err != nil {
		return chart.AuditVerification{}, err
	}
	return w.result(), nil
}

// auditWalk is the state of one verification pass.
type auditWalk struct {
	entries int64
	nextSeq int64  // the seq the next row must have
	prev    []byte // the hash the next row must chain from
	bad     *chart.AuditVerification
}

func (w *auditWalk) fail(seq int64, format string, args ...any) {
	w.bad = &chart.AuditVerification{Entries: w.entries, FirstBadSeq: seq, Problem: fmt.Sprintf(format, args...)}
}

func (w *auditWalk) result() chart.AuditVerification {
	if w.bad != nil {
		return *w.bad
	}
	return chart.AuditVerification{OK: true, Entries: w.entries}
}

func (w *auditWalk) walkRows(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() && w.bad == nil {
		r, err := scanAuditRow(rows.Scan)
		if err != nil && !errors.Is(err, errAuditMalformed) {
			return fmt.Errorf("verify audit log: %w", err)
		}
		w.check(r, err == nil)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("verify audit log: %w", err)
	}
	return nil
}

// check compares one row against what the chain so far says it must be.
// The order matters for the message: a gap is a removal, a bad hash is an
// edit of this row, and a good hash on a broken link means rows were moved
// or replaced with recomputed hashes.
func (w *auditWalk) check(r auditRow, wellFormed bool) {
	switch {
	case !wellFormed && r.seq == 0:
		w.fail(w.nextSeq, "Entry %d was changed after it was written.", w.nextSeq)
	case r.seq > w.nextSeq+1:
		w.fail(w.nextSeq, "Entries %d to %d were removed.", w.nextSeq, r.seq-1)
	case r.seq == w.nextSeq+1:
		w.fail(w.nextSeq, "Entry %d was removed.", w.nextSeq)
	case r.seq < w.nextSeq:
		w.fail(r.seq, "Entry %d is out of place: the log must start at 1 and count up.", r.seq)
	case !wellFormed || !bytes.Equal(r.computeHash(), r.hash):
		w.fail(r.seq, "Entry %d was changed after it was written.", r.seq)
	case !bytes.Equal(r.prevHash, w.prev):
		w.fail(r.seq, "Entry %d does not follow entry %d: entries were moved or replaced.", r.seq, r.seq-1)
	default:
		w.entries++
		w.nextSeq++
		w.prev = r.hash
	}
}

// checkHead compares the end of the chain with the recorded head, which is
// the only way to notice that the newest entries were removed.
func (w *auditWalk) checkHead(ctx context.Context, tx *sql.Tx) error {
	var head []byte
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, auditHeadKey).Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		if w.entries > 0 {
			w.fail(w.nextSeq, "The record of where the log ends is missing, so entries after %d may have been removed.", w.nextSeq-1)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("verify audit log: read head: %w", err)
	}
	last := w.nextSeq - 1
	headSeq, headHash, ok := parseAuditHead(head)
	switch {
	case !ok:
		w.fail(w.nextSeq, "The record of where the log ends was changed, so entries after %d may have been removed.", last)
	case headSeq == last+1:
		w.fail(w.nextSeq, "Entry %d, the newest, was removed.", headSeq)
	case headSeq > last:
		w.fail(w.nextSeq, "Entries %d to %d, the newest, were removed.", w.nextSeq, headSeq)
	case headSeq < last:
		w.fail(headSeq+1, "Entries after %d were added outside Outpost.", headSeq)
	case !bytes.Equal(headHash, w.prev):
		w.fail(last, "Entry %d was changed after it was written.", last)
	}
	return nil
}
