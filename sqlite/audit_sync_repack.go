package sqlite

// An own audit batch lets go of its bytes once the practice server has
// stored it (migration 0019). A server restored from a backup has
// forgotten the batches it took after the backup, and the workstation
// sends its own changes again (sync_server_restore.go): the batches are
// queued again without their bytes, and the next read of the outbox packs
// them again from audit_log, which keeps every entry, with what the
// packing depended on beyond audit_log and the change-log row, kept at
// packing time in audit_batch_packing (migration 0023): which entries the
// batch holds and the seq each entry's chain claim starts from. The
// re-packed plaintext is byte-for-byte the original's, checked against an
// HMAC of it kept at packing; only the seal differs (a fresh nonce), under
// the same change id, record id and clock. The server keeps one copy per
// change id (a batch it still holds is acknowledged, not stored again) and
// a workstation stores a pulled change once by change id, so one that
// holds the original ignores the copy and one that lacks it takes in
// exactly the entries and chain claims the original carried. A packing
// that comes out different is not sent: a second plaintext under one
// change id would be a second batch of the same entries.

import (
	"context"
	"crypto/hmac"
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

// packingCheckSize is the length of a packing's check: 128 bits of
// HMAC-SHA256 tell a packing that came out different, and with the epoch
// id a keyring tag carries it took 48 bytes a batch, as much again as the
// entries of a usual batch (two or three entries: one patient's, one push).
const packingCheckSize = 16

// packingKey is the subkey of the practice's root key (the same whatever
// the epoch) packing checks are made under. Derived once per transaction:
// derived per batch it was most of what keeping a packing cost.
func packingKey(key *seal.Keyring) []byte { return key.Derive(auditPackingLabel) }

// packingCheck is the check kept of a batch's plaintext pt: an HMAC under
// sub (packingKey), bound to the batch's change and record ids, truncated.
func packingCheck(sub []byte, cid chart.ChangeID, recordID string, pt []byte) []byte {
	sum := sha256.Sum256(pt)
	m := hmac.New(sha256.New, sub)
	m.Write(seal.AD(string(cid), recordID, string(sum[:])))
	return m.Sum(nil)[:packingCheckSize]
}

// packedEntries is the entries column of the packing of a batch holding
// group: each entry's seq and the seq its chain claim starts from, as
// varints (migration 0023). appendAuditChunk writes it with the check of
// the batch's plaintext (packingCheck).
func packedEntries(group []pendingAudit) []byte {
	packed := make([]packedEntry, len(group))
	for i, p := range group {
		packed[i] = packedEntry{seq: p.seq, sent: p.sent}
	}
	return encodePackedEntries(packed)
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

// keptPacking is an own batch queued again whose bytes are gone, with its
// kept packing.
type keptPacking struct {
	seq      int64
	cid      chart.ChangeID
	recordID string
	entries  []byte
	check    []byte
}

// requeuePackedAuditBatches queues again, in t, every own acknowledged
// audit batch whose packing is kept (resyncWithServer): it waits in the
// outbox without its bytes until the next read of the outbox packs it
// again (repackAuditChunk), a chunk per transaction, so a year of
// batches never holds the store's writer at once. It returns how many.
func (s *Session) requeuePackedAuditBatches(ctx context.Context, t *tx) (int, error) {
	res, err := t.ExecContext(ctx, `UPDATE changes SET acked_at = NULL WHERE device_id = ? AND kind = ?
		AND acked_at IS NOT NULL AND seq IN (SELECT seq FROM audit_batch_packing)`, string(s.deviceID), kindAuditBatch)
	if err != nil {
		return 0, fmt.Errorf("queue own audit batches again: %w", err)
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return 0, nil
	}
	return int(n), setMeta(ctx, t, metaAuditRepack, []byte("1"))
}

// metaAuditRepack is present while batches queued again wait to be packed
// again: every read of the outbox looks for them, and without it that look
// would walk a whole outbox (an initial push's) each time.
const metaAuditRepack = "audit_repack"

// repackAuditChunk packs again, in t, queued batches without bytes, oldest
// first, until about auditPackChunk entries are packed, and puts each new
// seal where an unacknowledged batch's bytes wait (change_bodies). A batch
// that does not come out as it was first packed is not sent: it is counted
// acknowledged again (the server may hold it; if not, its entries stay in
// this workstation's log only), logged and audited. worked says it found
// any: the caller looks again in its next transaction.
func (s *Session) repackAuditChunk(ctx context.Context, t *tx) (worked bool, err error) {
	m, err := readMeta(ctx, t, metaAuditRepack)
	if err != nil || m[metaAuditRepack] == "" {
		return false, err
	}
	kept, err := queuedWithoutBytes(ctx, t)
	if err != nil {
		return false, err
	}
	if len(kept) == 0 {
		return false, deleteMeta(ctx, t, metaAuditRepack)
	}
	sub := packingKey(s.key)
	defer clear(sub)
	entries, differ := 0, 0
	for _, k := range kept {
		if entries >= auditPackChunk {
			break
		}
		sealed, n, err := s.repackAuditBatch(ctx, t, sub, k)
		switch {
		case errors.Is(err, errPackingMalformed):
			slog.Warn("an audit batch does not pack again as it was sent; it is not sent again", "change", k.cid, "err", err)
			differ++
			_, err = t.exec(ctx, `UPDATE changes SET acked_at = ? WHERE seq = ?`, rowStamp(t.now), k.seq)
		case err == nil:
			_, err = t.exec(ctx, `INSERT INTO change_bodies (seq, sealed) VALUES (?, ?)`, k.seq, sealed)
		}
		if err != nil {
			return false, fmt.Errorf("pack audit batch %s again: %w", k.cid, err)
		}
		entries += n
	}
	if differ == 0 {
		return true, nil
	}
	return true, s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate, Detail: fmt.Sprintf(
		"sync: %d audit batches queued again for the restored practice server did not pack again as they were sent; they are not sent again", differ)})
}

// repackChunkBatches bounds the batches one repackAuditChunk reads.
const repackChunkBatches = 256

// queuedWithoutBytes reads up to repackChunkBatches own batches queued
// again without their bytes, oldest first, the query closed before any is
// packed. It walks the outbox only (changes_outbox).
func queuedWithoutBytes(ctx context.Context, t *tx) ([]keptPacking, error) {
	rows, err := t.queryStmt(ctx, `SELECT c.seq, c.change_id, c.record_id, p.entries, p.check_tag
		FROM changes c JOIN audit_batch_packing p ON p.seq = c.seq
		WHERE c.acked_at IS NULL AND c.kind = ? AND c.sealed = x''
			AND NOT EXISTS (SELECT 1 FROM change_bodies b WHERE b.seq = c.seq)
		ORDER BY c.seq LIMIT ?`, kindAuditBatch, repackChunkBatches)
	if err != nil {
		return nil, fmt.Errorf("read audit batches to pack again: %w", err)
	}
	defer rows.Close()
	var out []keptPacking
	for rows.Next() {
		var k keptPacking
		if err := rows.Scan(&k.seq, &k.cid, &k.recordID, &k.entries, &k.check); err != nil {
			return nil, fmt.Errorf("read audit batches to pack again: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit batches to pack again: %w", err)
	}
	return out, nil
}

// repackAuditBatch packs k's entries again from audit_log, each with its
// chain claim from the entry it was claimed from, checks the plaintext
// against the check kept of the original, and seals it for k's change. An
// entry missing from audit_log or a plaintext that differs is
// errPackingMalformed.
func (s *Session) repackAuditBatch(ctx context.Context, t *tx, sub []byte, k keptPacking) (sealed []byte, n int, err error) {
	entries, err := decodePacking(k.entries)
	if err != nil {
		return nil, 0, err
	}
	sealed, err = s.repackEntries(ctx, t, sub, k, entries)
	return sealed, len(entries), err
}

// repackEntries is repackAuditBatch once the packing is read.
func (s *Session) repackEntries(ctx context.Context, t *tx, sub []byte, k keptPacking, entries []packedEntry) ([]byte, error) {
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
	before, err := macsBefore(ctx, t, string(list))
	if err != nil {
		return nil, fmt.Errorf("pack audit batch %s again: %w", k.cid, err)
	}
	group := make([]pendingAudit, len(rows))
	for i, r := range rows {
		if group[i], err = s.encodeAuditEntry(ctx, t, r, before[r.seq], entries[i].sent); err != nil {
			return nil, err
		}
	}
	pt := auditBatchPlaintext(group)
	defer clear(pt)
	if !hmac.Equal(packingCheck(sub, k.cid, k.recordID, pt), k.check) {
		return nil, fmt.Errorf("%w: its plaintext differs from the one sent", errPackingMalformed)
	}
	return s.key.Seal(pt, auditBatchAD(k.recordID, k.cid)), nil
}

// macsBefore reads the mac of the entry before each of seqs (a JSON list),
// by the seq after it: what a claim starting at the entry just before
// starts from, which spares claimChain a query for each (it claims the
// same either way).
func macsBefore(ctx context.Context, t *tx, seqs string) (map[int64][]byte, error) {
	rows, err := t.queryStmt(ctx, `SELECT seq, mac FROM audit_log
		WHERE seq IN (SELECT value - 1 FROM json_each(?)) AND mac IS NOT NULL`, seqs)
	if err != nil {
		return nil, fmt.Errorf("read the audit chain before its entries: %w", err)
	}
	defer rows.Close()
	out := map[int64][]byte{}
	for rows.Next() {
		var seq int64
		var mac []byte
		if err := rows.Scan(&seq, &mac); err != nil {
			return nil, fmt.Errorf("read the audit chain before its entries: %w", err)
		}
		out[seq+1] = mac
	}
	return out, rows.Err()
}
