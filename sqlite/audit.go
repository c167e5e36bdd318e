package sqlite

// The audit log answers "who did what to which chart, and when" for a
// practice that may one day have to prove it. Four layers protect it:
//
//   - SQLite triggers (migrations/0002_audit.sql, 0010_audit_chain.sql)
//     refuse UPDATE and DELETE, so a bug in Outpost cannot rewrite history.
//   - A plain hash chain: each entry's hash covers the previous entry's hash
//     and every stored column, and meta('audit_head') records the newest seq
//     and hash. It needs no key, so entries written while nobody is signed
//     in (failed sign-ins) are chained at once. Anyone holding the file can
//     recompute it, so on its own it only catches careless edits.
//   - A keyed chain (audit_chain.go): each entry's mac is HMAC-SHA256, under
//     a subkey of the practice data key ("outpost/audit-chain/v1"), over the
//     previous mac, the entry's seq and hash (so over its stored bytes) and
//     when it was sealed. The head records the newest sealed entry and a tag
//     over it. Without the key, an edited, reordered or removed entry, or a
//     tail cut with both heads moved back, cannot be sealed again. Entries
//     written with no key are sealed at the next write made with the key
//     (normally the next sign-in), marked as sealed late; so are the
//     entries of a log that predates the keyed chain (meta
//     'audit_chain_from' says where keying began), once, at the first
//     sign-in after the upgrade. Nothing already written is rewritten.
//   - Anchors off the workstation (audit_sync*.go): every synced entry
//     carries its seq, hash and mac, and how it chains from the previous
//     synced one. The other workstations keep each workstation's chain as
//     they received it and report a fork when a position comes back with
//     another mac; the practice server relays the latest synced entry back
//     (POST /v1/audit-anchor), so a workstation notices that its own log
//     was cut back or replaced by an older copy of the file, which no local
//     check can see.
//
// The free-text detail, the only column a caller might fill with health
// data, is sealed under the practice key; the rest (user, action, opaque
// ids, time) stays in clear so the viewer can filter with indexes.
// docs/SECURITY.md ("The audit log") says what each layer stops and what an
// attacker holding the file can still do.

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"outpost/chart"
	"outpost/seal"
)

const (
	// auditDomain versions both the hash encoding and the sealing AD, so a
	// future format cannot be confused with this one.
	auditDomain  = "outpost/audit/v1"
	auditHeadKey = "audit_head"

	// unreadableDetail replaces a detail that will not open, so one damaged
	// entry does not hide the rest of the log from the administrator.
	unreadableDetail = "[detail unreadable: integrity check failed]"

	auditDefaultLimit = 200
	auditMaxLimit     = 5000
)

// auditColumns is the column order shared by every read of audit_log.
const auditColumns = `seq, at, user_id, username, action, patient_id,
	record_kind, record_id, device_id, detail, detail_sealed, prev_hash, hash, mac, keyed_at`

// auditRow is an audit_log row exactly as stored: the hash is computed over
// these bytes, never over the opened detail, so the plain chain verifies
// without a key. mac and keyedAt are the keyed chain's (nil while waiting).
type auditRow struct {
	seq, at                             int64
	userID, username, action, patientID string
	recordKind, recordID, deviceID      string
	detail                              []byte
	sealed                              bool
	prevHash, hash                      []byte
	mac                                 []byte
	keyedAt                             int64
}

// zeroHash is the prev_hash of the first entry.
var zeroHash = make([]byte, sha256.Size)

// appendAudit appends e inside tx (for a session, or outside any: a failed
// sign-in, a recovery) and queues it to travel with sync in the next
// push's audit batches once it is sealed into the keyed chain (see
// audit_sync.go). It returns e with Seq, At (=now, UTC) and Hash set.
// key may be nil (nobody signed in): the detail is then stored unsealed —
// callers guarantee such details never hold health data — and the entry
// waits for the key to join the keyed chain.
//
// Writing inside the caller's transaction is what makes an action and its
// audit entry commit or vanish together.
func appendAudit(ctx context.Context, tx execQueryer, key *seal.Key, now time.Time, e chart.AuditEntry) (chart.AuditEntry, error) {
	a, err := appendAuditRow(ctx, tx, key, now, e)
	if err == nil {
		err = a.writeHead(ctx, tx)
	}
	if err != nil {
		return chart.AuditEntry{}, err
	}
	return a.row.entry(e.Detail), queueAuditForSync(ctx, tx, a.row.seq)
}

// appended is what appendAuditRow wrote.
type appended struct {
	row     auditRow
	prevMAC []byte    // the mac row chains from; nil when row is not keyed
	head    auditHead // to write once the entry is
}

// writeHead moves the head to the appended entry.
func (a *appended) writeHead(ctx context.Context, tx execQueryer) error {
	return writeAuditHead(ctx, tx, a.head)
}

// appendAuditRow appends e to the local chains only; the caller then
// writes the head (writeHead), in the same transaction. With a key,
// entries still waiting for one are sealed into the keyed chain first, so
// the keyed chain never skips an entry.
func appendAuditRow(ctx context.Context, tx execQueryer, key *seal.Key, now time.Time, e chart.AuditEntry) (appended, error) {
	if e.Action == "" {
		return appended{}, errors.New("append audit entry: action is empty")
	}
	pos, err := readAuditPosition(ctx, tx)
	if err != nil {
		return appended{}, err
	}
	r := auditRow{
		seq: pos.next, at: now.UnixNano(),
		userID: string(e.UserID), username: e.Username, action: string(e.Action),
		patientID: string(e.PatientID), recordKind: e.RecordKind, recordID: e.RecordID,
		deviceID: string(e.DeviceID),
		detail:   []byte(e.Detail), prevHash: pos.head.hash,
	}
	if key != nil {
		r.detail, r.sealed = key.Seal(r.detail, auditAD(r.seq)), true
	}
	r.hash = r.computeHash()
	a := appended{row: r, head: auditHead{seq: r.seq, hash: r.hash, keyed: pos.head.keyed}}
	if key != nil {
		ck := newChainKey(key)
		defer ck.wipe()
		if a.prevMAC, err = sealPending(ctx, tx, ck, pos, now); err != nil {
			return appended{}, err
		}
		a.row.mac = ck.entryMAC(a.prevMAC, r.seq, r.hash, 0)
		a.head.keyed = ck.keyedHead(r.seq, a.row.mac, pos.chainFrom, pos.sent)
	}
	if err := insertAuditRow(ctx, tx, a.row); err != nil {
		return appended{}, err
	}
	return a, nil
}

// auditAD binds a sealed detail to its entry, so a detail copied onto
// another entry fails to open instead of lying about what happened.
func auditAD(seq int64) []byte {
	return seal.AD(auditDomain, strconv.FormatInt(seq, 10))
}

func insertAuditRow(ctx context.Context, tx execQueryer, r auditRow) error {
	var mac any // NULL while waiting for a key
	if r.mac != nil {
		mac = r.mac
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.seq, r.at, r.userID, r.username, r.action, r.patientID,
		r.recordKind, r.recordID, r.deviceID, nonNil(r.detail), boolInt(r.sealed),
		r.prevHash, r.hash, mac, r.keyedAt)
	if err != nil {
		return fmt.Errorf("insert audit entry %d: %w", r.seq, err)
	}
	return nil
}

// computeHash is SHA-256(prev_hash || encoding of every other column).
// Each field is length-prefixed (integers fixed-width), so no two different
// rows share an encoding: moving bytes from one column into the next changes
// the hash. The keyed chain's columns are not in it: they are added later
// for entries that wait for a key, and the mac covers the hash instead.
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
	v := make([]any, 15)
	ptrs := make([]any, len(v))
	for i := range v {
		ptrs[i] = &v[i]
	}
	if err := scan(ptrs...); err != nil {
		return auditRow{}, fmt.Errorf("read audit entry: %w", err)
	}
	for _, blob := range []int{9, 11, 12, 13} {
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
		as(v[11], &r.prevHash) && as(v[12], &r.hash) && as(v[13], &r.mac) && as(v[14], &r.keyedAt) &&
		(sealed == 0 || sealed == 1)
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
