package sqlite

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"outpost/seal"
)

// The keyed audit chain (see audit.go's package comment for why). Its
// subkey is derived from the practice data key. Today that is the only key;
// should the practice's key ever rotate by epochs, this must stay derived
// from the practice's first (root) key, or every chain sealed before the
// rotation would stop verifying.

const (
	auditChainLabel = "outpost/audit-chain/v1"
	// metaAuditChainFrom is the first seq written under the keyed chain
	// (set by migration 0010): the entries before it predate it.
	metaAuditChainFrom = "audit_chain_from"
	auditMACSize       = sha256.Size
	// The head is seq (8 bytes, big-endian: the forward-only trigger
	// compares those bytes) and hash; once anything is sealed into the
	// keyed chain, the newest sealed seq, its mac and the head's tag follow,
	// then the newest seq sent as a single change by builds before the
	// audit batches (carried forward unchanged since; the batches keep
	// theirs in meta('audit_packed'): audit_sync_batch.go).
	plainHeadSize = 8 + sha256.Size
	keyedHeadSize = 8 + auditMACSize + auditMACSize + 8
)

// zeroMAC is what the first entry of the keyed chain chains from.
var zeroMAC = make([]byte, auditMACSize)

// chainKey seals entries into the keyed chain. Wipe it after use.
type chainKey []byte

func newChainKey(key *seal.Key) chainKey { return key.Derive(auditChainLabel) }

func (k chainKey) wipe() { clear(k) }

// entryMAC is the mac of the entry at seq with hash, chaining from prev;
// keyedAt is 0 for an entry sealed as written, else when it was sealed.
// The leading byte keeps entry macs and head tags apart.
func (k chainKey) entryMAC(prev []byte, seq int64, hash []byte, keyedAt int64) []byte {
	b := make([]byte, 0, 1+4+auditMACSize+8+4+sha256.Size+8)
	b = append(b, 'e')
	b = appendField(b, prev)
	b = binary.BigEndian.AppendUint64(b, uint64(seq))
	b = appendField(b, hash)
	b = binary.BigEndian.AppendUint64(b, uint64(keyedAt))
	return k.sum(b)
}

// keyedHead is the keyed part of the head for the newest sealed entry. Its
// tag also covers where keying began, so that cannot be moved either.
func (k chainKey) keyedHead(seq int64, mac []byte, chainFrom, sent int64) *keyedHead {
	return &keyedHead{seq: seq, mac: mac, tag: k.headTag(seq, mac, chainFrom), sent: sent}
}

func (k chainKey) headTag(seq int64, mac []byte, chainFrom int64) []byte {
	b := make([]byte, 0, 1+8+4+auditMACSize+8)
	b = append(b, 'h')
	b = binary.BigEndian.AppendUint64(b, uint64(seq))
	b = appendField(b, mac)
	b = binary.BigEndian.AppendUint64(b, uint64(chainFrom))
	return k.sum(b)
}

func (k chainKey) sum(msg []byte) []byte {
	m := hmac.New(sha256.New, k)
	m.Write(msg)
	return m.Sum(nil)
}

// auditHead is meta('audit_head'): where the log ends.
type auditHead struct {
	seq   int64
	hash  []byte
	keyed *keyedHead // nil while nothing is sealed into the keyed chain
}

// keyedHead names the newest entry sealed into the keyed chain (and, not
// under the tag, the newest entry an earlier build sent: see above).
type keyedHead struct {
	seq      int64
	mac, tag []byte
	sent     int64
}

func parseAuditHead(v []byte) (auditHead, bool) {
	if len(v) != plainHeadSize && len(v) != plainHeadSize+keyedHeadSize {
		return auditHead{}, false
	}
	h := auditHead{seq: int64(binary.BigEndian.Uint64(v[:8])), hash: v[8:plainHeadSize]}
	if k := v[plainHeadSize:]; len(k) > 0 {
		h.keyed = &keyedHead{seq: int64(binary.BigEndian.Uint64(k[:8])),
			mac: k[8 : 8+auditMACSize], tag: k[8+auditMACSize : 8+2*auditMACSize],
			sent: int64(binary.BigEndian.Uint64(k[8+2*auditMACSize:]))}
	}
	return h, true
}

func (h auditHead) encode() []byte {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, plainHeadSize+keyedHeadSize), uint64(h.seq))
	v = append(v, h.hash...)
	if h.keyed != nil {
		v = binary.BigEndian.AppendUint64(v, uint64(h.keyed.seq))
		v = append(append(v, h.keyed.mac...), h.keyed.tag...)
		v = binary.BigEndian.AppendUint64(v, uint64(h.keyed.sent))
	}
	return v
}

func writeAuditHead(ctx context.Context, tx execQueryer, h auditHead) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, auditHeadKey, h.encode())
	if err != nil {
		return fmt.Errorf("move audit head to %d: %w", h.seq, err)
	}
	return nil
}

// auditPosition is what appending needs to know, read in one query.
type auditPosition struct {
	head      auditHead
	next      int64 // the seq of the entry to write
	chainFrom int64
	sent      int64 // the newest seq an earlier build sent (see keyedHead)
}

// readAuditPosition chains off the recorded head rather than the newest
// row: if someone removed the newest rows, the next entry then points at a
// hash that is no longer there and verification keeps reporting the
// removal instead of the new entry papering over it. The seq also clears
// any row present, so a damaged head never blocks auditing (and thus all
// work).
func readAuditPosition(ctx context.Context, tx execQueryer) (auditPosition, error) {
	var head, from []byte
	var maxSeq sql.NullInt64
	err := scanRow(ctx, tx, `SELECT
		(SELECT value FROM meta WHERE key = ?),
		(SELECT max(seq) FROM audit_log),
		(SELECT value FROM meta WHERE key = ?)`, []any{auditHeadKey, metaAuditChainFrom},
		&head, &maxSeq, &from)
	if err != nil {
		return auditPosition{}, fmt.Errorf("read audit head: %w", err)
	}
	h, ok := parseAuditHead(head)
	if !ok {
		h = auditHead{hash: zeroHash}
	}
	chainFrom, err := strconv.ParseInt(string(from), 10, 64)
	if err != nil || chainFrom < 1 {
		chainFrom = 1 // missing or garbled: then no entry counts as predating the chain
	}
	pos := auditPosition{head: h, next: max(h.seq, maxSeq.Int64) + 1, chainFrom: chainFrom}
	if h.keyed != nil {
		pos.sent = h.keyed.sent
	}
	return pos, nil
}

// sealPending seals every entry after the keyed head into the keyed chain,
// oldest first, marked as sealed now, and returns the mac the next entry
// chains from. An entry that somehow has a mac already is chained through
// as it is, never updated: sealing must not fail (auditing, and so all
// work, would stop); verification reports it.
func sealPending(ctx context.Context, tx execQueryer, k chainKey, pos auditPosition, now time.Time) ([]byte, error) {
	after, prev := int64(0), zeroMAC
	if pos.head.keyed != nil {
		after, prev = pos.head.keyed.seq, pos.head.keyed.mac
	}
	if after >= pos.next-1 {
		return prev, nil // nothing waits: the usual case
	}
	waiting, err := loadWaitingAudit(ctx, tx, after)
	if err != nil {
		return nil, err
	}
	for _, w := range waiting {
		if w.mac == nil {
			w.mac = k.entryMAC(prev, w.seq, w.hash, now.UnixNano())
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET mac = ?, keyed_at = ? WHERE seq = ?`,
				w.mac, now.UnixNano(), w.seq); err != nil {
				return nil, fmt.Errorf("seal audit entry %d into the keyed chain: %w", w.seq, err)
			}
		}
		prev = w.mac
	}
	return prev, nil
}

type waitingEntry struct {
	seq       int64
	hash, mac []byte
}

// loadWaitingAudit reads the entries after seq before any is updated, so
// no query is open while the table is written.
func loadWaitingAudit(ctx context.Context, tx execQueryer, after int64) ([]waitingEntry, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, hash, mac FROM audit_log WHERE seq > ? ORDER BY seq`, after)
	if err != nil {
		return nil, fmt.Errorf("read audit entries waiting for the key: %w", err)
	}
	defer rows.Close()
	var out []waitingEntry
	for rows.Next() {
		var w waitingEntry
		if err := rows.Scan(&w.seq, &w.hash, &w.mac); err != nil {
			return nil, fmt.Errorf("read audit entries waiting for the key: %w", err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit entries waiting for the key: %w", err)
	}
	return out, nil
}
