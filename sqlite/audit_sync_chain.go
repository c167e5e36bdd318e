package sqlite

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"

	"outpost/chart"
)

// Each synced audit entry carries its place in its workstation's keyed
// chain: its seq and hash (in the entry), its mac, and how it chains from
// the entry sent before it. Entries kept local in between (sync's own
// bookkeeping, auditLocal) do not travel, so the sender names them as
// links, seq and hash only, which is enough to recompute the macs across
// the gap. A workstation receiving entries thus learns the mac of every
// position from the first entry it received on (where it holds them
// contiguously: a route device holds some patients' entries only), and a
// position that comes back with another mac is a fork: the sender's log was
// rewritten or rolled back after the first copy left it.

// maxAuditLinks bounds the links one entry carries; after a longer run of
// local entries it chains from its direct predecessor only. Which entry was
// sent last is kept in meta('audit_packed') (audit_sync_batch.go).
const maxAuditLinks = 64

// auditPayload is the sealed content of an audit change. Entries sent
// before the keyed chain have no MAC (and no chain): nothing to check.
type auditPayload struct {
	chart.AuditEntry
	MAC     []byte `json:"mac,omitempty"`
	KeyedAt int64  `json:"keyedAt,omitempty"`
	// From is the seq of the entry the chain claim starts at (0: the start
	// of the log), FromMAC its mac; nil FromMAC makes no claim. Links are
	// the entries between From and this one.
	From    int64       `json:"from,omitempty"`
	FromMAC []byte      `json:"fromMac,omitempty"`
	Links   []auditLink `json:"links,omitempty"`
}

type auditLink struct {
	Seq     int64  `json:"seq"`
	Hash    []byte `json:"hash"`
	KeyedAt int64  `json:"keyedAt,omitempty"`
}

// claimChain fills in how r chains from the entry sent before it (seq
// sent). The usual case needs no query: nothing was kept local in between
// and the caller knows the mac r chains from.
func (p *auditPayload) claimChain(ctx context.Context, t *tx, r auditRow, prevMAC []byte, sent int64) error {
	if r.mac == nil {
		return nil
	}
	from := sent
	if sent >= r.seq || r.seq-1-sent > maxAuditLinks {
		from = r.seq - 1
	}
	if from == r.seq-1 && prevMAC != nil {
		p.From, p.FromMAC = from, prevMAC
		return nil
	}
	rows, err := t.QueryContext(ctx, `SELECT seq, hash, mac, keyed_at FROM audit_log WHERE seq >= ? AND seq < ? ORDER BY seq`,
		from, r.seq)
	if err != nil {
		return fmt.Errorf("read audit chain before entry %d: %w", r.seq, err)
	}
	defer rows.Close()
	fromMAC, want := []byte(nil), from
	if from == 0 {
		fromMAC, want = zeroMAC, 1
	}
	var links []auditLink
	for rows.Next() {
		var seq, keyedAt int64
		var hash, mac []byte
		if err := rows.Scan(&seq, &hash, &mac, &keyedAt); err != nil {
			return fmt.Errorf("read audit chain before entry %d: %w", r.seq, err)
		}
		if seq != want || mac == nil {
			return rows.Close() // a hole: make no claim; verification reports it here
		}
		if seq == from {
			fromMAC = mac
		} else {
			links = append(links, auditLink{Seq: seq, Hash: hash, KeyedAt: keyedAt})
		}
		want++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read audit chain before entry %d: %w", r.seq, err)
	}
	if want == r.seq && fromMAC != nil {
		p.From, p.FromMAC, p.Links = from, fromMAC, links
	}
	return nil
}

// chainPos is one position of a workstation's chain as received.
type chainPos struct {
	seq     int64
	mac     []byte
	hash    []byte // nil for the position a claim starts from
	keyedAt int64
}

// positions returns every position p vouches for, oldest first, and
// whether its claim adds up (recomputed under the key, its own mac comes
// out). A claim that does not add up vouches only for p itself.
func (p *auditPayload) positions(ck chainKey) ([]chainPos, bool) {
	hash, err := hex.DecodeString(p.Hash)
	own := chainPos{seq: p.Seq, mac: p.MAC, hash: hash, keyedAt: p.KeyedAt}
	if err != nil || len(p.MAC) != auditMACSize {
		return nil, false
	}
	if p.FromMAC == nil {
		return []chainPos{own}, true
	}
	if p.From < 0 || p.From >= p.Seq || int64(len(p.Links)) != p.Seq-p.From-1 || len(p.Links) > maxAuditLinks {
		return []chainPos{own}, false
	}
	var out []chainPos
	if p.From > 0 {
		out = append(out, chainPos{seq: p.From, mac: p.FromMAC})
	}
	m := p.FromMAC
	for i, l := range p.Links {
		if l.Seq != p.From+1+int64(i) {
			return []chainPos{own}, false
		}
		m = ck.entryMAC(m, l.Seq, l.Hash, l.KeyedAt)
		out = append(out, chainPos{seq: l.Seq, mac: m, hash: l.Hash, keyedAt: l.KeyedAt})
	}
	if !hmac.Equal(ck.entryMAC(m, p.Seq, hash, p.KeyedAt), p.MAC) {
		return []chainPos{own}, false
	}
	return append(out, own), true
}

// receivedEntry is an entry just stored in audit_remote under recordID.
type receivedEntry struct {
	recordID string
	p        auditPayload
}

// checkRemoteChains records the positions received entries of device
// vouch for, in order, and reports a fork where one disagrees with what
// this workstation held: the first position held stays, the disagreement
// is recorded in audit_forks and shown by verification. A fork never
// refuses the entry: it is evidence, and the trail shows it. A batch's
// entries are checked together: the chain key derived once and the
// positions held read in one query, then kept up to date as each entry's
// are recorded, so an entry sees those of the entries before it exactly as
// when each was checked alone.
func (s *Session) checkRemoteChains(ctx context.Context, t *tx, device chart.DeviceID, entries []receivedEntry) error {
	ck := newChainKey(s.key.Root())
	defer ck.wipe()
	claims := make([][]chainPos, len(entries))
	forks := make([]int64, len(entries))
	var seqs []int64
	for i, e := range entries {
		if e.p.MAC == nil {
			continue // sent before the keyed chain
		}
		pos, ok := e.p.positions(ck)
		if !ok {
			forks[i] = e.p.Seq
		}
		claims[i] = pos
		for _, c := range pos {
			seqs = append(seqs, c.seq)
		}
	}
	if len(seqs) == 0 {
		return nil
	}
	held, err := heldPositions(ctx, t, device, seqs)
	if err != nil {
		return err
	}
	added := newChainAdds(device)
	for i, e := range entries {
		fork, err := recordPositions(ctx, t, added, claims[i], held, forks[i])
		if err != nil {
			return err
		}
		if fork == 0 {
			continue
		}
		slog.Warn("a workstation's audit log was rewritten after its entries were received",
			"device", device, "seq", fork, "record", e.recordID)
		if err := execErr(t.exec(ctx, `INSERT INTO audit_forks (device_id, seq, record_id, seen_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (device_id, seq) DO NOTHING`, string(device), fork, e.recordID, t.now.UnixNano())); err != nil {
			return fmt.Errorf("record audit fork of %s at %d: %w", device, fork, err)
		}
	}
	return added.write(ctx, t)
}

// recordPositions records the positions of one entry's claim that held
// lacks (in added, written at the end of the check; and a hash a held
// position lacked), updating held as the table, and returns the oldest
// position that disagrees with held (or fork, the entry's own seq when its
// claim did not add up, if older; 0 for none).
func recordPositions(ctx context.Context, t *tx, added *chainAdds, pos []chainPos, held map[int64]chainPos, fork int64) (int64, error) {
	for _, c := range pos {
		h, known := held[c.seq]
		switch {
		case known && !bytes.Equal(h.mac, c.mac):
			if fork == 0 || c.seq < fork {
				fork = c.seq
			}
		case known && h.hash == nil && c.hash != nil:
			if !added.learn(c) {
				err := execErr(t.exec(ctx, `UPDATE audit_remote_chain SET hash = ?, keyed_at = ? WHERE device_id = ? AND seq = ?`,
					c.hash, c.keyedAt, string(added.device), c.seq))
				if err != nil {
					return 0, fmt.Errorf("record audit chain of %s at %d: %w", added.device, c.seq, err)
				}
			}
			h.hash = c.hash
			held[c.seq] = h
		case !known:
			added.add(c)
			held[c.seq] = c
		}
	}
	return fork, nil
}

// chainAdds are the positions of a device's chain one check found new,
// written together at its end (a statement each was most of the check's
// cost). Nothing reads audit_remote_chain before then: the check keeps
// what it read up to date in memory.
type chainAdds struct {
	device chart.DeviceID
	rows   []chainPos
	at     map[int64]int // seq → its index in rows
}

func newChainAdds(device chart.DeviceID) *chainAdds {
	return &chainAdds{device: device, at: map[int64]int{}}
}

func (a *chainAdds) add(c chainPos) {
	a.at[c.seq] = len(a.rows)
	a.rows = append(a.rows, c)
}

// learn gives a position added in this check the hash a later claim
// brings (as the UPDATE of a written one would); false when c's position
// was not added here.
func (a *chainAdds) learn(c chainPos) bool {
	i, ok := a.at[c.seq]
	if ok {
		a.rows[i].hash, a.rows[i].keyedAt = c.hash, c.keyedAt
	}
	return ok
}

// chainInsertRows is how many positions one INSERT writes.
const chainInsertRows = 500

// write inserts the positions added, chainInsertRows a statement, in the
// order they were found.
func (a *chainAdds) write(ctx context.Context, t *tx) error {
	for from := 0; from < len(a.rows); from += chainInsertRows {
		batch := a.rows[from:min(from+chainInsertRows, len(a.rows))]
		args := make([]any, 0, 5*len(batch))
		for _, c := range batch {
			args = append(args, string(a.device), c.seq, c.mac, c.hash, c.keyedAt)
		}
		if _, err := t.exec(ctx, `INSERT INTO audit_remote_chain (device_id, seq, mac, hash, keyed_at) VALUES `+
			valueRows(len(batch), 5), args...); err != nil {
			return fmt.Errorf("record audit chain of %s from %d: %w", a.device, batch[0].seq, err)
		}
	}
	return nil
}

func execErr(_ any, err error) error { return err }

// heldPositions reads the positions of device's chain at seqs, in one
// query through a statement prepared once per transaction.
func heldPositions(ctx context.Context, t *tx, device chart.DeviceID, seqs []int64) (map[int64]chainPos, error) {
	list := make([]byte, 0, 8*len(seqs)+2)
	list = append(list, '[')
	for i, seq := range seqs {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, seq, 10)
	}
	list = append(list, ']')
	rows, err := t.queryStmt(ctx, `SELECT seq, mac, hash FROM audit_remote_chain
		WHERE device_id = ? AND seq IN (SELECT value FROM json_each(?))`, string(device), string(list))
	if err != nil {
		return nil, fmt.Errorf("read audit chain of %s: %w", device, err)
	}
	defer rows.Close()
	held := map[int64]chainPos{}
	for rows.Next() {
		var c chainPos
		if err := rows.Scan(&c.seq, &c.mac, &c.hash); err != nil {
			return nil, fmt.Errorf("read audit chain of %s: %w", device, err)
		}
		held[c.seq] = c
	}
	return held, rows.Err()
}
