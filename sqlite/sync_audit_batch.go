package sqlite

// Audit entries travel in batches (issue #12): half of all changes were
// audit entries, one change each. At push time the audit changes this
// workstation wrote and the server has not acknowledged are packed into
// changes of kind "audit-batch", one per patient (practice-wide entries,
// patient "", in their own), so a route device still receives exactly the
// entries it received one by one: the server's route filter reads the
// change's patient. Each entry travels as it was sealed alone, with its
// seq, hash, mac and chain claim (sync_audit_chain.go), so the receivers
// check the chain entry by entry as before and the practice server's
// anchor is the newest batch.
//
// The single changes stay in the local change log, marked sent (acked_at
// 'packed:<batch change>'): they are never pushed, and the change log stays
// append-only. Old single-entry changes from workstations of an earlier
// build still apply (storeRemoteAudit); a workstation of an earlier build
// holds a batch back as a kind it does not know until it is updated.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/wire"
)

const kindAuditBatch = "audit-batch"

// isAuditKind: audit changes, single or batched, are counted apart from
// the chart changes a person thinks of as received.
func isAuditKind(kind string) bool { return kind == kindAudit || kind == kindAuditBatch }

// A batch holds at most this many entries and plaintext bytes, so one push
// of a long offline day still fits the server's per-change limit.
const (
	maxAuditBatchEntries = 2000
	maxAuditBatchBytes   = 4 << 20
)

// auditBatch is the sealed content of an audit-batch change: the entries
// in seq order, each as its single change carried it.
type auditBatch struct {
	Entries []auditPayload `json:"entries"`
}

// auditBatchAD binds a sealed batch to its record id and change.
func auditBatchAD(recordID string, change chart.ChangeID) []byte {
	return recordAD(kindAuditBatch, recordID, 1, change)
}

// batchEntryID is the audit_remote record id of entry seq of a batch: the
// batch's record id and the entry's place in its workstation's log.
func batchEntryID(batchRecordID string, seq int64) string {
	return batchRecordID + "." + strconv.FormatInt(seq, 10)
}

// pendingAudit is one unsent single audit change, opened.
type pendingAudit struct {
	changeID chart.ChangeID
	payload  auditPayload
	size     int
}

// packAuditBatches replaces this workstation's unsent single audit changes
// by batches before a push reads the outbox. A single that no longer opens
// is left to travel as it is.
func (s *Session) packAuditBatches(ctx context.Context) error {
	err := s.w.write(ctx, func(t *tx) error {
		pending, err := loadPendingAudit(ctx, t, s.key, s.deviceID)
		if err != nil || len(pending) == 0 {
			return err
		}
		for _, group := range auditBatchGroups(pending) {
			if err := s.sendAuditBatch(ctx, t, group); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pack audit entries for sync: %w", err)
	}
	return nil
}

// loadPendingAudit reads and opens the unacknowledged single audit changes
// device wrote, oldest first.
func loadPendingAudit(ctx context.Context, t *tx, key *seal.Keyring, device chart.DeviceID) ([]pendingAudit, error) {
	rows, err := t.QueryContext(ctx, `SELECT change_id, record_id, sealed FROM changes
		WHERE acked_at IS NULL AND kind = ? AND device_id = ? ORDER BY seq`, kindAudit, string(device))
	if err != nil {
		return nil, fmt.Errorf("read unsent audit changes: %w", err)
	}
	defer rows.Close()
	var out []pendingAudit
	for rows.Next() {
		var cid chart.ChangeID
		var recordID string
		var sealed []byte
		if err := rows.Scan(&cid, &recordID, &sealed); err != nil {
			return nil, fmt.Errorf("read unsent audit changes: %w", err)
		}
		pt, err := key.Open(sealed, auditChangeAD(recordID, cid))
		if err != nil {
			continue // travels as it is; the receiver refuses it as today
		}
		var p auditPayload
		err = json.Unmarshal(pt, &p)
		clear(pt)
		if err == nil {
			out = append(out, pendingAudit{changeID: cid, payload: p, size: len(pt)})
		}
	}
	return out, rows.Err()
}

// auditBatchGroups splits pending into batches of one patient each, within
// the caps, in seq order; the batch holding the newest entry comes last,
// so the server's anchor (its newest audit change) names the newest entry.
func auditBatchGroups(pending []pendingAudit) [][]pendingAudit {
	open := map[chart.PatientID]int{}
	var groups [][]pendingAudit
	sizes := []int{}
	for _, p := range pending {
		i, ok := open[p.payload.PatientID]
		if !ok || len(groups[i]) >= maxAuditBatchEntries || sizes[i]+p.size > maxAuditBatchBytes {
			i = len(groups)
			open[p.payload.PatientID] = i
			groups, sizes = append(groups, nil), append(sizes, 0)
		}
		groups[i] = append(groups[i], p)
		sizes[i] += p.size
	}
	slices.SortStableFunc(groups, func(a, b []pendingAudit) int {
		return int(a[len(a)-1].payload.Seq - b[len(b)-1].payload.Seq)
	})
	return groups
}

// sendAuditBatch appends one batch change carrying group and marks the
// singles it replaces as sent.
func (s *Session) sendAuditBatch(ctx context.Context, t *tx, group []pendingAudit) error {
	b := auditBatch{Entries: make([]auditPayload, len(group))}
	for i, p := range group {
		b.Entries[i] = p.payload
	}
	pt, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode audit batch: %w", err)
	}
	defer clear(pt)
	id, cid := string(chart.NewRecordID()), chart.NewChangeID()
	err = s.appendSideChange(ctx, t, sideChange{id: cid, kind: kindAuditBatch, recordID: id,
		patientID: group[0].payload.PatientID, version: 1, sealed: s.key.Seal(pt, auditBatchAD(id, cid))})
	if err != nil {
		return err
	}
	packed := "packed:" + string(cid)
	for _, p := range group {
		if _, err := t.ExecContext(ctx, `UPDATE changes SET acked_at = ? WHERE change_id = ?`, packed, p.changeID); err != nil {
			return fmt.Errorf("mark audit change %s packed: %w", p.changeID, err)
		}
	}
	return nil
}

// storeRemoteAuditBatch is the remoteHook of kind "audit-batch": each entry
// lands in audit_remote as a single entry would, under the batch's record
// id and its seq, sealed again alone on this workstation so the trail
// opens it as it opens a single. A batch that does not open, or holds an
// entry of another workstation or patient, is refused whole.
func storeRemoteAuditBatch(s *Session, ctx context.Context, t *tx, c *wire.Change) error {
	b, why := openRemoteAuditBatch(s, c)
	if why != "" {
		return refuseRemote(c, why)
	}
	for _, p := range b.Entries {
		id := batchEntryID(c.RecordID, p.Seq)
		pt, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("store audit entry %s: %w", id, err)
		}
		single := *c
		single.RecordID, single.Sealed = id, s.key.Seal(pt, auditChangeAD(id, c.ChangeID))
		clear(pt)
		if err := insertRemoteAudit(s, ctx, t, &single, p); err != nil {
			return err
		}
	}
	return nil
}

// openRemoteAuditBatch opens c's entries, or says why it is refused.
func openRemoteAuditBatch(s *Session, c *wire.Change) (auditBatch, string) {
	var b auditBatch
	if c.Version != 1 || len(c.Parents) > 0 {
		return b, "a second version of an audit record"
	}
	pt, err := s.key.Open(c.Sealed, auditBatchAD(c.RecordID, c.ChangeID))
	if err != nil {
		return b, "does not open under the practice key"
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &b); err != nil || len(b.Entries) == 0 {
		return b, "not a batch of audit entries"
	}
	seen := map[int64]bool{}
	for _, e := range b.Entries {
		if e.Action == "" || e.At.IsZero() || seen[e.Seq] {
			return b, "not a batch of audit entries"
		}
		if e.DeviceID != c.DeviceID || e.PatientID != c.PatientID {
			return b, "names another workstation or patient than its change"
		}
		seen[e.Seq] = true
	}
	return b, ""
}
