package sqlite

// Audit entries travel in batches (issue #12): half of all changes were
// audit entries, one change each. Entries are queued as they are written
// (audit_sync_queue) and nothing else is written then; before a push reads
// the outbox, the queued entries are packed straight from audit_log into
// changes of kind "audit-batch", one per patient (practice-wide entries,
// patient "", in their own), so a route device still receives exactly the
// entries it received one by one: the server's route filter reads the
// change's patient. Each entry travels with its seq, hash, mac and chain
// claim (audit_sync_chain.go), so the receivers check the chain entry by
// entry as before, and the batch holding the newest entry goes last, so
// the practice server's anchor (its newest audit change from this
// workstation) names the newest entry sent. Single-entry changes from
// workstations of an earlier build still apply (storeRemoteAudit); a
// workstation of an earlier build holds a batch back as a kind it does not
// know until it is updated.

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"outpost/chart"
	"outpost/sync/clock"
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

// metaAuditPacked is the newest seq packed into a batch, which the next
// packed entry's chain claim starts from. Builds that sent single changes
// kept it in the audit head (keyedHead.sent), read when this is absent.
const metaAuditPacked = "audit_packed"

// auditPackChunk bounds the entries packed in one transaction, so a long
// offline day is never held in memory whole.
const auditPackChunk = 5000

// pendingAudit is one queued entry as it will travel: its payload, encoded,
// and the seq of the entry packed before it, which its chain claim starts
// from (kept with the batch to pack it again, audit_sync_repack.go).
type pendingAudit struct {
	patient chart.PatientID
	seq     int64
	sent    int64
	json    []byte
}

// packAuditBatches packs the queued entries into batches before a push
// reads the outbox, a chunk at a time, after packing again the batches
// queued again for a restored practice server (audit_sync_repack.go).
func (s *Session) packAuditBatches(ctx context.Context) error {
	for {
		n, err := s.packAuditChunk(ctx)
		if err != nil {
			return fmt.Errorf("pack audit entries for sync: %w", err)
		}
		if n < auditPackChunk {
			return nil
		}
	}
}

// packAuditChunk packs up to auditPackChunk queued entries and returns how
// many it packed: the batches are appended to the change log, the entries
// leave the queue and the packed seq moves, all in one transaction. While
// batches queued again for a restored practice server wait to be packed
// again, a chunk of those is packed instead (and auditPackChunk returned:
// look again).
func (s *Session) packAuditChunk(ctx context.Context) (int, error) {
	var n int
	err := s.w.write(ctx, func(t *tx) error {
		repacked, err := s.repackAuditChunk(ctx, t)
		if err != nil || repacked {
			n = auditPackChunk
			return err
		}
		pending, err := s.loadPendingAudit(ctx, t, auditPackChunk)
		if n = len(pending); err != nil || n == 0 {
			return err
		}
		sub := packingKey(s.key)
		defer clear(sub)
		var at clock.Timestamp
		groups := auditBatchGroups(pending)
		batches := make([]sealedBatch, len(groups))
		for i, group := range groups {
			at = s.w.clock.Now()
			if batches[i], err = s.sealAuditBatch(sub, group, at); err != nil {
				return err
			}
		}
		if err := appendAuditBatches(ctx, t, batches); err != nil {
			return err
		}
		// The batches' clock readings, kept once: the newest (appendStamped).
		if err := setMeta(ctx, t, metaHLC, []byte(at.String())); err != nil {
			return err
		}
		last := pending[n-1].seq
		if _, err := t.ExecContext(ctx, `DELETE FROM audit_sync_queue WHERE seq <= ?`, last); err != nil {
			return fmt.Errorf("empty audit sync queue: %w", err)
		}
		return setMeta(ctx, t, metaAuditPacked, []byte(strconv.FormatInt(last, 10)))
	})
	return n, err
}

// loadPendingAudit reads up to limit queued entries up to the newest one
// sealed into the keyed chain, oldest first, as they will travel: each with
// its chain claim from the entry packed before it. Entries still waiting
// for a key (written with none) are always the newest, so they wait at the
// end of the queue and no entry travels out of order; an entry at or below
// the newest sealed one that has no mac (written before the keyed chain)
// will never get one and travels without (the receiver checks no chain).
func (s *Session) loadPendingAudit(ctx context.Context, t *tx, limit int) ([]pendingAudit, error) {
	pos, err := readAuditPosition(ctx, t)
	if err != nil || pos.head.keyed == nil {
		return nil, err
	}
	rows, err := queuedAuditRows(ctx, t, pos.head.keyed.seq, limit)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	sent, err := packedSeq(ctx, t, pos)
	if err != nil {
		return nil, err
	}
	out := make([]pendingAudit, 0, len(rows))
	var prev auditRow
	for _, r := range rows {
		var prevMAC []byte
		if prev.seq == r.seq-1 {
			prevMAC = prev.mac
		}
		p, err := s.encodeAuditEntry(ctx, t, r, prevMAC, sent)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		prev, sent = r, r.seq
	}
	return out, nil
}

// encodeAuditEntry is r as it travels, its chain claim starting from the
// entry sent (prevMAC, when known, the mac of the entry before r: it
// saves claimChain a query and changes nothing of what it claims). What
// it encodes depends on audit_log, the key and sent only, so a batch is
// packed again identically (audit_sync_repack.go).
func (s *Session) encodeAuditEntry(ctx context.Context, t *tx, r auditRow, prevMAC []byte, sent int64) (pendingAudit, error) {
	p := auditPayload{AuditEntry: r.entry(openAuditDetail(s.key.Root(), r)), MAC: r.mac, KeyedAt: r.keyedAt}
	if p.DeviceID == "" {
		p.DeviceID = s.deviceID
	}
	if err := p.claimChain(ctx, t, r, prevMAC, sent); err != nil {
		return pendingAudit{}, err
	}
	b, err := json.Marshal(p)
	if err != nil {
		return pendingAudit{}, fmt.Errorf("encode audit entry %d for sync: %w", r.seq, err)
	}
	return pendingAudit{patient: p.PatientID, seq: r.seq, sent: sent, json: b}, nil
}

// queuedAuditQuery reads a chunk of the queue's entries in seq order,
// walking the queue and looking each entry up: `seq IN (SELECT … FROM
// audit_sync_queue)` built the list of every queued seq for each chunk, so
// an initial push of 50,000 entries read the queue ten times over (0.3 s
// of its workstation CPU, issue #12).
const queuedAuditQuery = `SELECT ` + auditColumns + ` FROM audit_sync_queue CROSS JOIN audit_log USING (seq)
	WHERE seq <= ? ORDER BY seq LIMIT ?`

// queuedAuditRows reads the queued entries up to seq sealedTo, all before
// any is packed, so no query is open while the change log is written.
func queuedAuditRows(ctx context.Context, t *tx, sealedTo int64, limit int) ([]auditRow, error) {
	out, err := readAuditRows(ctx, t, queuedAuditQuery, sealedTo, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit sync queue: %w", err)
	}
	return out, nil
}

// readAuditRows runs query (which selects auditColumns), prepared once in
// t, and returns every row it reads, the query closed.
func readAuditRows(ctx context.Context, t *tx, query string, args ...any) ([]auditRow, error) {
	rows, err := t.queryStmt(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		r, err := scanAuditRow(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// packedSeq is the newest seq packed (or, before the first batch, sent as
// a single change by an earlier build, kept in the head pos was read from).
func packedSeq(ctx context.Context, t *tx, pos auditPosition) (int64, error) {
	m, err := readMeta(ctx, t, metaAuditPacked)
	if err != nil {
		return 0, err
	}
	if seq, err := strconv.ParseInt(m[metaAuditPacked], 10, 64); err == nil {
		return seq, nil
	}
	return pos.sent, nil
}

// auditBatchGroups splits pending into batches of one patient each, within
// the caps, in seq order; the batch holding the newest entry comes last,
// so the server's anchor (its newest audit change) names the newest entry.
func auditBatchGroups(pending []pendingAudit) [][]pendingAudit {
	open := map[chart.PatientID]int{}
	var groups [][]pendingAudit
	sizes := []int{}
	for _, p := range pending {
		i, ok := open[p.patient]
		if !ok || len(groups[i]) >= maxAuditBatchEntries || sizes[i]+len(p.json) > maxAuditBatchBytes {
			i = len(groups)
			open[p.patient] = i
			groups, sizes = append(groups, nil), append(sizes, 0)
		}
		groups[i] = append(groups[i], p)
		sizes[i] += len(p.json)
	}
	slices.SortStableFunc(groups, func(a, b []pendingAudit) int {
		return cmp.Compare(a[len(a)-1].seq, b[len(b)-1].seq)
	})
	return groups
}

// sealAuditBatch is the batch change carrying group, stamped at, tagged
// and sealed, and what packs it again after a restore of the practice
// server (its check under sub), for appendAuditBatches to write. The
// entries are encoded once, as they were read: the batch is their JSON
// joined into auditBatch's shape.
func (s *Session) sealAuditBatch(sub []byte, group []pendingAudit, at clock.Timestamp) (sealedBatch, error) {
	pt := auditBatchPlaintext(group)
	defer clear(pt)
	id, cid := string(chart.NewRecordID()), chart.NewChangeID()
	c, err := s.sideWireChange(sideChange{id: cid, kind: kindAuditBatch, recordID: id, patientID: group[0].patient,
		version: 1, sealed: s.key.Seal(pt, auditBatchAD(id, cid))})
	if err != nil {
		return sealedBatch{}, err
	}
	signChange(s.key, c, at)
	return sealedBatch{change: *c, entries: packedEntries(group), check: packingCheck(sub, cid, id, pt)}, nil
}

// auditBatchPlaintext joins group's encoded entries into auditBatch's
// shape, clearing each as it is copied.
func auditBatchPlaintext(group []pendingAudit) []byte {
	pt := []byte(`{"entries":[`)
	for i, p := range group {
		if i > 0 {
			pt = append(pt, ',')
		}
		pt = append(pt, p.json...)
		clear(p.json)
	}
	return append(pt, "]}"...)
}

// storeRemoteAuditBatch is the remoteHook of kind "audit-batch": each entry
// lands in audit_remote as a single entry would, under the batch's record
// id and its seq. What the trail opens of it (its detail and hash,
// openRemoteDetail) is sealed again alone on this workstation; the rest of
// the entry is in audit_remote's clear columns and, its chain position, in
// audit_remote_chain, and the batch itself stays in the change log. A batch
// that does not open, or holds an entry of another workstation or patient,
// is refused whole. A page's batches are stored together
// (storeRemoteAuditBatches); this is one alone.
func storeRemoteAuditBatch(s *Session, ctx context.Context, t *tx, c *wire.Change) error {
	return storeRemoteAuditBatches(s, ctx, t, []*wire.Change{c})
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
