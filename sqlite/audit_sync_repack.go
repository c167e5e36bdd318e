package sqlite

// An own audit batch lets go of its bytes once the practice server has
// stored it (migration 0019). A server restored from a backup has
// forgotten the batches it took after the backup, and the workstation
// sends its own changes again (sync_server_restore.go): for the batches it
// packs them again from audit_log, which keeps every entry, with what the
// packing depended on beyond audit_log and the change-log row, kept at
// packing time in audit_batch_packing (migration 0023): which entries the
// batch holds and the seq each entry's chain claim starts from. The
// re-packed plaintext is byte-for-byte the original's, checked against a
// tag of it made at packing; only the seal differs (a fresh nonce), under
// the same change id, record id and clock. The server keeps one copy per
// change id (a batch it still holds is acknowledged, not stored again) and
// a workstation stores a pulled change once by change id, so one that
// holds the original ignores the copy and one that lacks it takes in
// exactly the entries and chain claims the original carried. A packing
// that comes out different is not sent: a second plaintext under one
// change id would be a second batch of the same entries.

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"outpost/chart"
	"outpost/seal"
)

const auditPackingLabel = "outpost/audit-batch-packing/v1"

// packingCheck is the tag of a batch's plaintext pt under the practice key,
// bound to the batch's change and record ids (msg, for Tag and CheckTag).
func packingCheck(cid chart.ChangeID, recordID string, pt []byte) []byte {
	sum := sha256.Sum256(pt)
	return seal.AD(auditPackingLabel, string(cid), recordID, string(sum[:]))
}

// recordPacking keeps what packs batch cid (record id, holding group,
// whose plaintext is pt) again: its entries and the seq each entry's chain
// claim starts from, as varints (migration 0023), and the tag of pt.
func (s *Session) recordPacking(ctx context.Context, t *tx, cid chart.ChangeID, recordID string, group []pendingAudit, pt []byte) error {
	packed := make([]packedEntry, len(group))
	for i, p := range group {
		packed[i] = packedEntry{seq: p.seq, sent: p.sent}
	}
	entries := encodePackedEntries(packed)
	_, err := t.exec(ctx, `INSERT INTO audit_batch_packing (seq, entries, check_tag)
		SELECT seq, ?, ? FROM changes WHERE change_id = ?`, entries, s.key.Tag(packingCheck(cid, recordID, pt)), string(cid))
	if err != nil {
		return fmt.Errorf("keep the packing of audit batch %s: %w", cid, err)
	}
	return nil
}

// packedEntry is one entry of a kept packing: its seq and the seq its
// chain claim starts from.
type packedEntry struct{ seq, sent int64 }

// encodePackedEntries is the entries column of a packing: per entry, the
// uvarint of its seq minus the one before (the first: minus 0), then the
// zigzag varint of its seq minus the seq its claim starts from.
func encodePackedEntries(entries []packedEntry) []byte {
	b := make([]byte, 0, 3*len(entries))
	prev := int64(0)
	for _, e := range entries {
		b = binary.AppendUvarint(b, uint64(e.seq-prev))
		b = binary.AppendVarint(b, e.seq-e.sent)
		prev = e.seq
	}
	return b
}

var errPackingMalformed = errors.New("malformed packing")

// decodePacking reads a kept packing's entries.
func decodePacking(b []byte) ([]packedEntry, error) {
	var out []packedEntry
	prev := int64(0)
	for len(b) > 0 {
		step, n := binary.Uvarint(b)
		if n <= 0 || step == 0 || step > 1<<62 {
			return nil, errPackingMalformed
		}
		b = b[n:]
		back, m := binary.Varint(b)
		if m <= 0 {
			return nil, errPackingMalformed
		}
		b = b[m:]
		prev += int64(step)
		out = append(out, packedEntry{seq: prev, sent: prev - back})
	}
	if len(out) == 0 {
		return nil, errPackingMalformed
	}
	return out, nil
}

// keptPacking is an own acknowledged batch whose bytes are gone and whose
// packing is kept.
type keptPacking struct {
	seq      int64
	cid      chart.ChangeID
	recordID string
	entries  []byte
	check    []byte
}

// repackAuditBatches packs again, in t, every own acknowledged audit batch
// whose bytes were let go of and whose packing is kept, and puts the new
// seal where an unacknowledged batch's bytes wait (change_bodies), so the
// batch is queued again with the rest (resyncWithServer). It returns how
// many it packed and how many did not come out as they were first packed
// (left acknowledged, never sent; logged and counted in the resync's
// audit entry).
func (s *Session) repackAuditBatches(ctx context.Context, t *tx) (repacked, differ int, err error) {
	kept, err := keptPackings(ctx, t, s.deviceID)
	if err != nil {
		return 0, 0, err
	}
	for _, k := range kept {
		sealed, err := s.repackAuditBatch(ctx, t, k)
		if errors.Is(err, errPackingMalformed) || errors.Is(err, seal.ErrIntegrity) || errors.Is(err, seal.ErrUnknownEpoch) {
			slog.Warn("an acknowledged audit batch does not pack again as it was sent; it is not sent again",
				"change", k.cid, "err", err)
			differ++
			continue
		}
		if err != nil {
			return 0, 0, err
		}
		if _, err := t.exec(ctx, `INSERT INTO change_bodies (seq, sealed) VALUES (?, ?)`, k.seq, sealed); err != nil {
			return 0, 0, fmt.Errorf("keep audit batch %s packed again: %w", k.cid, err)
		}
		repacked++
	}
	return repacked, differ, nil
}

// keptPackings reads every own acknowledged batch whose bytes are gone and
// whose packing is kept, oldest first, the query closed before any is
// packed.
func keptPackings(ctx context.Context, t *tx, device chart.DeviceID) ([]keptPacking, error) {
	rows, err := t.QueryContext(ctx, `SELECT p.seq, c.change_id, c.record_id, p.entries, p.check_tag
		FROM audit_batch_packing p JOIN changes c ON c.seq = p.seq
		WHERE c.device_id = ? AND c.kind = ? AND c.acked_at IS NOT NULL AND c.sealed = x''
			AND NOT EXISTS (SELECT 1 FROM change_bodies b WHERE b.seq = p.seq)
		ORDER BY p.seq`, string(device), kindAuditBatch)
	if err != nil {
		return nil, fmt.Errorf("read kept audit batch packings: %w", err)
	}
	defer rows.Close()
	var out []keptPacking
	for rows.Next() {
		var k keptPacking
		if err := rows.Scan(&k.seq, &k.cid, &k.recordID, &k.entries, &k.check); err != nil {
			return nil, fmt.Errorf("read kept audit batch packings: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read kept audit batch packings: %w", err)
	}
	return out, nil
}

// repackAuditBatch packs k's entries again from audit_log, each with its
// chain claim from the entry it was claimed from, checks the plaintext
// against the tag kept of the original, and seals it for k's change. An
// entry missing from audit_log or a plaintext that differs is
// errPackingMalformed or the tag's error.
func (s *Session) repackAuditBatch(ctx context.Context, t *tx, k keptPacking) ([]byte, error) {
	entries, err := decodePacking(k.entries)
	if err != nil {
		return nil, err
	}
	seqs := make([]int64, len(entries))
	for i, e := range entries {
		seqs[i] = e.seq
	}
	list, err := json.Marshal(seqs)
	if err != nil {
		return nil, fmt.Errorf("pack audit batch %s again: %w", k.cid, err)
	}
	rows, err := readAuditRows(ctx, t, `SELECT `+auditColumns+` FROM audit_log
		WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq`, string(list))
	if err != nil {
		return nil, fmt.Errorf("pack audit batch %s again: read its entries: %w", k.cid, err)
	}
	if len(rows) != len(entries) {
		return nil, fmt.Errorf("%w: %d of its %d entries in the audit log", errPackingMalformed, len(rows), len(entries))
	}
	group := make([]pendingAudit, len(rows))
	for i, r := range rows {
		if group[i], err = s.encodeAuditEntry(ctx, t, r, nil, entries[i].sent); err != nil {
			return nil, err
		}
	}
	pt := auditBatchPlaintext(group)
	defer clear(pt)
	if err := s.key.CheckTag(packingCheck(k.cid, k.recordID, pt), k.check); err != nil {
		return nil, err
	}
	return s.key.Seal(pt, auditBatchAD(k.recordID, k.cid)), nil
}
