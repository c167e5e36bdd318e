package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"

	"outpost/chart"
	"outpost/sync/wire"
)

// A page's audit batches, stored together (issue #12). A day's pull brings
// one batch per patient touched, most of one or two entries (766 batches of
// 1,462 entries at 2,000 patients), and storing each entry took a statement
// of its own into audit_remote, and each of its chain positions another
// into audit_remote_chain, besides a read of the positions held per batch:
// the statements, not the rows, were most of the hook's cost. So a run of
// batches is opened first (one that does not open is refused before
// anything is written), its entries checked against audit_remote in one
// read and written a few hundred rows per statement, and its chain
// positions checked a workstation at a time, in page order, exactly as
// batch after batch was (checkRemoteChains keeps what it read up to date as
// it goes). A refusal fails the run: the caller (apply.HooksBehind) then
// stores each batch alone under its own savepoint, as before.

// auditInsertRows is how many entries one INSERT writes (12 columns each:
// well under SQLite's limit on a statement's parameters).
const auditInsertRows = 200

// auditRowsStatements counts the statements that wrote received entries
// into audit_remote, for the test that a page's batches take a few
// (TestAuditPageStoredInFewStatements).
var auditRowsStatements atomic.Int64

// receivedRow is one entry of a pulled batch, as audit_remote keeps it.
type receivedRow struct {
	c      *wire.Change // the batch that carried it
	id     string       // its record id in audit_remote (batchEntryID)
	p      auditPayload
	sealed []byte // what the trail opens of it, sealed again here
}

// storeRemoteAuditBatches stores the entries of batches cs (a run of a
// page's audit-batch changes, in page order) and checks their chains.
func storeRemoteAuditBatches(s *Session, ctx context.Context, t *tx, cs []*wire.Change) error {
	rows, err := openRemoteAuditRun(s, cs)
	if err != nil {
		return err
	}
	fresh, err := newReceivedRows(ctx, t, rows)
	if err != nil {
		return err
	}
	if err := insertReceivedRows(ctx, t, fresh); err != nil {
		return err
	}
	var devices []chart.DeviceID
	byDevice := map[chart.DeviceID][]receivedEntry{}
	for _, r := range fresh {
		d := r.c.DeviceID
		if _, ok := byDevice[d]; !ok {
			devices = append(devices, d)
		}
		byDevice[d] = append(byDevice[d], receivedEntry{recordID: r.id, p: r.p})
	}
	for _, d := range devices {
		if err := s.checkRemoteChains(ctx, t, d, byDevice[d]); err != nil {
			return err
		}
	}
	return nil
}

// newReceivedRows returns the rows audit_remote does not hold, deciding
// for each as insertRemoteAudit does: an entry held under the same change
// (a patient put back on this device's route is pulled from the start) is
// nothing new; under another change, held before or earlier in rows, it is
// a forged second version, and its batch is refused.
func newReceivedRows(ctx context.Context, t *tx, rows []receivedRow) ([]receivedRow, error) {
	held, err := heldAuditChanges(ctx, t, rows)
	if err != nil {
		return nil, err
	}
	fresh := make([]receivedRow, 0, len(rows))
	for _, r := range rows {
		cid, known := held[r.id]
		if !known {
			held[r.id] = r.c.ChangeID
			fresh = append(fresh, r)
		} else if cid != r.c.ChangeID {
			return nil, refuseRemote(r.c, "a second version of an audit record")
		}
	}
	return fresh, nil
}

// heldAuditChanges reads the change each of rows' record ids is held
// under in audit_remote, in one query.
func heldAuditChanges(ctx context.Context, t *tx, rows []receivedRow) (map[string]chart.ChangeID, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	q, err := t.queryStmt(ctx, `SELECT record_id, change_id FROM audit_remote
		WHERE record_id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("check audit entries: %w", err)
	}
	defer q.Close()
	held := map[string]chart.ChangeID{}
	for q.Next() {
		var id, cid string
		if err := q.Scan(&id, &cid); err != nil {
			return nil, fmt.Errorf("check audit entries: %w", err)
		}
		held[id] = chart.ChangeID(cid)
	}
	return held, q.Err()
}

// insertReceivedRows writes rows into audit_remote, auditInsertRows a
// statement.
func insertReceivedRows(ctx context.Context, t *tx, rows []receivedRow) error {
	for from := 0; from < len(rows); from += auditInsertRows {
		batch := rows[from:min(from+auditInsertRows, len(rows))]
		args := make([]any, 0, 12*len(batch))
		for _, r := range batch {
			e := r.p.AuditEntry
			args = append(args, r.id, string(r.c.ChangeID), string(e.DeviceID), e.Seq, e.At.UnixNano(), string(e.UserID),
				e.Username, string(e.Action), string(e.PatientID), e.RecordKind, e.RecordID, r.sealed)
		}
		auditRowsStatements.Add(1)
		if _, err := t.exec(ctx, `INSERT INTO audit_remote (record_id, change_id, device_id, seq, at, user_id,
			username, action, patient_id, record_kind, record_ref, sealed) VALUES `+valueRows(len(batch), 12),
			args...); err != nil {
			return fmt.Errorf("store %d audit entries from %s: %w", len(batch), batch[0].id, err)
		}
	}
	return nil
}
