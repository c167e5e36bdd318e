package sqlite

// Audit entries travel with sync, append-only (docs/SYNC.md). Every entry
// a signed-in session writes (and every entry written with no key: failed
// sign-ins) is queued in audit_sync_queue as it is written; nothing else
// is written then. Before a push reads the outbox, the queued entries
// already sealed into the keyed chain are packed into changes of kind
// "audit-batch", one per patient (audit_sync_batch.go): a fresh record id,
// version 1, no parents, the entries as JSON sealed under the practice
// key, so the server sees only routing metadata. Each entry carries its
// place in the keyed chain (audit_sync_chain.go), which is what lets the
// other workstations and the practice server anchor this workstation's
// log. Builds before the batches sent each entry as a single change of
// kind "audit"; those still apply (storeRemoteAudit).
//
// Pulled audit records land in audit_remote (storeRemoteAudit), which the
// administrator's practice-wide trail reads beside audit_log, and their
// chain positions in audit_remote_chain, where a rewritten log shows as a
// fork.

import (
	"context"
	"encoding/json"
	"fmt"

	"outpost/chart"
	"outpost/sync/apply"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

const kindAudit = "audit"

// auditChangeAD binds a sealed audit record to its record id and change, so
// an entry copied under another id fails to open.
func auditChangeAD(recordID string, change chart.ChangeID) []byte {
	return recordAD(kindAudit, recordID, 1, change)
}

// queueAuditForSync remembers an entry to send with the next push.
func queueAuditForSync(ctx context.Context, tx execQueryer, seq int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_sync_queue (seq) VALUES (?)`, seq); err != nil {
		return fmt.Errorf("queue audit entry %d for sync: %w", seq, err)
	}
	return nil
}

// sideChange is a change that is not a chart record's version (an audit
// entry, an attachment's bytes): it goes to the change log and the outbox,
// and no row of records follows it.
type sideChange struct {
	id        chart.ChangeID
	kind      string
	recordID  string
	patientID chart.PatientID
	version   int64
	sealed    []byte
	// at, when set, is its clock reading, taken by a caller that writes
	// the clock to meta once for many (packAuditChunk); unset, the change
	// takes the next reading and writes it.
	at clock.Timestamp
}

// appendSideChange appends c, by this session's user and device, stamped
// with the next clock reading, with no parents.
func (s *Session) appendSideChange(ctx context.Context, t *tx, c sideChange) error {
	ch, err := s.sideWireChange(c)
	if err != nil {
		return err
	}
	if c.at != (clock.Timestamp{}) {
		return s.w.appendStamped(ctx, t, s.key, ch, c.at)
	}
	return s.w.appendLocal(ctx, t, s.key, ch)
}

// sideWireChange is c as a change of this session's user and device, not
// yet stamped or tagged; refused when its sealed bytes exceed what a push
// may carry.
func (s *Session) sideWireChange(c sideChange) (*wire.Change, error) {
	if len(c.sealed) > wire.MaxSealedLen {
		return nil, fmt.Errorf("append %s change for %s: %d sealed bytes exceed the sync limit of %d",
			c.kind, c.recordID, len(c.sealed), wire.MaxSealedLen)
	}
	return &wire.Change{ChangeID: c.id, RecordID: c.recordID, Kind: c.kind,
		PatientID: c.patientID, Version: c.version, DeviceID: s.deviceID, UserID: s.user.ID, Sealed: c.sealed}, nil
}

// storeRemoteAudit is the remoteHook of kind "audit". An audit record is
// never edited, so anything but a first version that opens under its own
// id and change and names the workstation that sent it is refused: logged,
// kept in the change log (where ApplyRemote already put it) and shown
// nowhere. Refusing rather than failing keeps one bad change from stopping
// every later pull.
func storeRemoteAudit(s *Session, ctx context.Context, t *tx, c *wire.Change) error {
	p, why := openRemoteAudit(s, c)
	if why != "" {
		return refuseRemote(c, why)
	}
	fresh, err := insertRemoteAudit(ctx, t, c, p)
	if err != nil || !fresh {
		return err
	}
	return s.checkRemoteChains(ctx, t, c.DeviceID, []receivedEntry{{recordID: c.RecordID, p: p}})
}

// insertRemoteAudit stores entry p, carried by c (a single audit change, or
// one entry of a batch unpacked as one), and reports whether it is new:
// the caller checks the chain of the new ones (checkRemoteChains).
func insertRemoteAudit(ctx context.Context, t *tx, c *wire.Change, p auditPayload) (bool, error) {
	e := p.AuditEntry
	auditRowsStatements.Add(1)
	res, err := t.exec(ctx, `INSERT INTO audit_remote (record_id, change_id, device_id, seq, at, user_id,
		username, action, patient_id, record_kind, record_ref, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (record_id) DO NOTHING`,
		c.RecordID, string(c.ChangeID), string(e.DeviceID), e.Seq, e.At.UnixNano(), string(e.UserID), e.Username,
		string(e.Action), string(e.PatientID), e.RecordKind, e.RecordID, c.Sealed)
	if err != nil {
		return false, fmt.Errorf("store audit entry %s: %w", c.RecordID, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return true, nil
	}
	// The same change again (a patient put back on this device's route is
	// pulled from the start) is nothing new; another change under the
	// record id is a forged second version.
	var held string
	if err := t.QueryRowContext(ctx, `SELECT change_id FROM audit_remote WHERE record_id = ?`, c.RecordID).
		Scan(&held); err != nil {
		return false, fmt.Errorf("check audit entry %s: %w", c.RecordID, err)
	}
	if held != string(c.ChangeID) {
		return false, refuseRemote(c, "a second version of an audit record")
	}
	return false, nil
}

// openRemoteAudit opens c's entry, or says why it is refused.
func openRemoteAudit(s *Session, c *wire.Change) (auditPayload, string) {
	var e auditPayload
	if c.Version != 1 || len(c.Parents) > 0 {
		return e, "a second version of an audit record"
	}
	pt, err := s.key.Open(c.Sealed, auditChangeAD(c.RecordID, c.ChangeID))
	if err != nil {
		return e, "does not open under the practice key"
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &e); err != nil || e.Action == "" || e.At.IsZero() {
		return e, "not an audit entry"
	}
	if e.DeviceID != c.DeviceID || e.PatientID != c.PatientID {
		return e, "names another workstation or patient than its change"
	}
	return e, ""
}

// refuseRemote holds back a pulled change its hook cannot take in
// (quarantine.go): it never fails the page, and an administrator sees it.
func refuseRemote(c *wire.Change, why string) error {
	return apply.Hold(apply.ReasonUnopened, "%s", why)
}
