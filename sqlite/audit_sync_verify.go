package sqlite

import (
	"bytes"
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"outpost/chart"
	"outpost/seal"
)

// Verification beyond this workstation's own chains: the copies of the
// other workstations' chains received by sync (and the forks seen while
// receiving them), and the practice server's anchor for this one.

// verifyPracticeAudit verifies everything in one read transaction, so the
// local log, the received chains and the forks come from one moment.
func verifyPracticeAudit(ctx context.Context, db *sql.DB, ring *seal.Keyring, self chart.DeviceID, anchor chart.AuditAnchor) (chart.AuditVerification, error) {
	key := ring.Root() // the chain's key derives from the first key (audit_chain.go)
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return chart.AuditVerification{}, fmt.Errorf("verify audit log: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to undo
	v, err := verifyAuditIn(ctx, tx, key)
	if err != nil {
		return v, err
	}
	for i := range v.Breaks {
		v.Breaks[i].DeviceID, v.Breaks[i].DeviceName = self, "this workstation"
	}
	names, err := deviceNames(ctx, tx)
	if err != nil {
		return v, err
	}
	ck := newChainKey(key)
	defer ck.wipe()
	forks, err := checkForks(ctx, tx, names, &v)
	if err != nil {
		return v, err
	}
	if err := checkRemoteCopies(ctx, tx, ck, names, forks, &v); err != nil {
		return v, err
	}
	if err := checkAnchor(ctx, tx, ring, self, anchor, &v); err != nil {
		return v, err
	}
	v.OK = len(v.Breaks) == 0
	return v, nil
}

func deviceNames(ctx context.Context, q queryer) (map[chart.DeviceID]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM devices`)
	if err != nil {
		return nil, fmt.Errorf("read workstation names: %w", err)
	}
	defer rows.Close()
	names := map[chart.DeviceID]string{}
	for rows.Next() {
		var id chart.DeviceID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("read workstation names: %w", err)
		}
		names[id] = name
	}
	return names, rows.Err()
}

// workstationName is how a message names another workstation.
func workstationName(names map[chart.DeviceID]string, id chart.DeviceID) string {
	if n := names[id]; n != "" {
		return n
	}
	if len(id) > 8 {
		return "workstation …" + string(id[len(id)-8:])
	}
	return "workstation " + string(id)
}

// checkRemoteCopies re-checks every link this workstation holds of the
// others' chains, where two positions are contiguous and the later one's
// hash is known: an edit of the copy held here shows. From a workstation's
// first fork on, its positions mix two branches and are not checked.
func checkRemoteCopies(ctx context.Context, tx *sql.Tx, ck chainKey, names map[chart.DeviceID]string,
	forks map[chart.DeviceID]int64, v *chart.AuditVerification) error {
	rows, err := tx.QueryContext(ctx, `SELECT device_id, seq, mac, hash, keyed_at FROM audit_remote_chain ORDER BY device_id, seq`)
	if err != nil {
		return fmt.Errorf("verify received audit chains: %w", err)
	}
	defer rows.Close()
	var prev struct {
		device chart.DeviceID
		seq    int64
		mac    []byte
	}
	broken := map[chart.DeviceID]bool{}
	for rows.Next() {
		var device chart.DeviceID
		var c chainPos
		if err := rows.Scan(&device, &c.seq, &c.mac, &c.hash, &c.keyedAt); err != nil {
			return fmt.Errorf("verify received audit chains: %w", err)
		}
		if device != prev.device {
			v.Workstations++
		}
		if c.hash != nil {
			v.RemoteEntries++
		}
		contiguous := device == prev.device && c.seq == prev.seq+1 && c.hash != nil
		if fork, ok := forks[device]; ok && c.seq >= fork {
			contiguous = false
		}
		if contiguous && !broken[device] && !hmac.Equal(c.mac, ck.entryMAC(prev.mac, c.seq, c.hash, c.keyedAt)) {
			broken[device] = true
			v.Breaks = append(v.Breaks, chart.AuditBreak{Kind: chart.AuditBreakChanged, DeviceID: device,
				DeviceName: workstationName(names, device), Seq: c.seq,
				Problem: fmt.Sprintf("The copy of %s's audit log held here was altered at entry %d.", workstationName(names, device), c.seq)})
		}
		prev.device, prev.seq, prev.mac = device, c.seq, c.mac
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("verify received audit chains: %w", err)
	}
	if v.Workstations == 0 {
		v.Checked = append(v.Checked, "No other workstation's audit entries have been received yet.")
		return nil
	}
	v.Checked = append(v.Checked, fmt.Sprintf("Copies of %s: %s received, each checked against what arrived before it.",
		countOf(int64(v.Workstations), "other workstation's log", "other workstations' logs"), countOf(v.RemoteEntries, "entry", "entries")))
	return nil
}

// checkForks reports the forks seen while receiving, one per workstation
// (its earliest), and returns where each forked workstation's log forked.
func checkForks(ctx context.Context, tx *sql.Tx, names map[chart.DeviceID]string, v *chart.AuditVerification) (map[chart.DeviceID]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT device_id, min(seq), min(seen_at) FROM audit_forks GROUP BY device_id ORDER BY device_id`)
	if err != nil {
		return nil, fmt.Errorf("read audit forks: %w", err)
	}
	defer rows.Close()
	forks := map[chart.DeviceID]int64{}
	for rows.Next() {
		var device chart.DeviceID
		var seq, seen int64
		if err := rows.Scan(&device, &seq, &seen); err != nil {
			return nil, fmt.Errorf("read audit forks: %w", err)
		}
		forks[device] = seq
		name := workstationName(names, device)
		v.Breaks = append(v.Breaks, chart.AuditBreak{Kind: chart.AuditBreakFork, DeviceID: device, DeviceName: name, Seq: seq,
			Problem: fmt.Sprintf("%s's audit log was rewritten at entry %d: on %s it sent entries that disagree with the copy received before (edited, cut back, or restored from an older copy of its file).",
				name, seq, time.Unix(0, seen).Local().Format("2 Jan 2006 15:04"))})
	}
	return forks, rows.Err()
}

// checkAnchor compares this log with the practice server's anchor: the
// newest audit entry this workstation sent that the server stores. The
// server cannot read or forge it; it can only withhold it or return an
// older one, which weakens the check but never fakes a break.
func checkAnchor(ctx context.Context, tx *sql.Tx, key *seal.Keyring, self chart.DeviceID, a chart.AuditAnchor, v *chart.AuditVerification) error {
	v.Server = chart.AuditServerCheck{State: a.State, Message: a.Message}
	switch a.State {
	case chart.AuditServerNotConnected:
		v.Checked = append(v.Checked, "This workstation is not connected to a practice server: no copy of its log off this workstation was compared.")
		return nil
	case chart.AuditServerUnreachable:
		v.Checked = append(v.Checked, "The practice server could not be asked ("+a.Message+"): the checks above ran on this workstation only.")
		return nil
	case chart.AuditServerEmpty:
		v.Checked = append(v.Checked, "The practice server holds no audit entry from this workstation yet.")
		return nil
	case chart.AuditServerHeld:
		// a change to compare
	default:
		v.Server.State = chart.AuditServerNotAsked
		v.Checked = append(v.Checked, "The practice server was not asked.")
		return nil
	}
	p, ok := openAnchor(key, self, a)
	if !ok {
		v.Server = chart.AuditServerCheck{State: chart.AuditServerInvalid, Message: "its answer does not open under the practice key"}
		v.Checked = append(v.Checked, "The practice server's answer does not open under the practice key and was ignored: the checks above ran on this workstation only.")
		return nil
	}
	var hash, mac []byte
	err := tx.QueryRowContext(ctx, `SELECT hash, mac FROM audit_log WHERE seq = ?`, p.Seq).Scan(&hash, &mac)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("compare with the practice server's anchor: %w", err)
	}
	v.Server.Seq = p.Seq
	want, _ := hex.DecodeString(p.Hash)
	switch {
	case err == sql.ErrNoRows:
		v.Breaks = append(v.Breaks, anchorBreak(self, p.Seq, fmt.Sprintf(
			"The practice server holds entry %d from this workstation, but this log has no entry %d: it was cut back, or an older copy of the file was restored.", p.Seq, p.Seq)))
	case !bytes.Equal(hash, want) || p.MAC != nil && !bytes.Equal(mac, p.MAC):
		v.Breaks = append(v.Breaks, anchorBreak(self, p.Seq, fmt.Sprintf(
			"Entry %d differs from the copy this workstation sent to the practice server: the log was rewritten up to entry %d, or an older copy of the file was restored.", p.Seq, p.Seq)))
	default:
		v.Server.State = chart.AuditServerMatched
		v.Checked = append(v.Checked, fmt.Sprintf("The practice server's copy of this workstation's newest synced entry, entry %d, matches this log.", p.Seq))
		return nil
	}
	v.Server.State = chart.AuditServerMismatch
	v.Checked = append(v.Checked, fmt.Sprintf("The practice server's copy of this workstation's newest synced entry, entry %d, does not match this log.", p.Seq))
	return nil
}

func anchorBreak(self chart.DeviceID, seq int64, problem string) chart.AuditBreak {
	return chart.AuditBreak{Kind: chart.AuditBreakServer, DeviceID: self, DeviceName: "this workstation", Seq: seq, Problem: problem}
}

// openAnchor opens the server's change: an audit record or batch, sealed
// under the practice key for its own id, written by this workstation. Of
// a batch, the newest entry is the anchor.
func openAnchor(key *seal.Keyring, self chart.DeviceID, a chart.AuditAnchor) (auditPayload, bool) {
	var p auditPayload
	if a.DeviceID != self {
		return p, false
	}
	if pt, err := key.Open(a.Sealed, auditChangeAD(a.RecordID, a.ChangeID)); err == nil {
		defer clear(pt)
		ok := json.Unmarshal(pt, &p) == nil && p.DeviceID == self && p.Seq >= 1
		return p, ok
	}
	pt, err := key.Open(a.Sealed, auditBatchAD(a.RecordID, a.ChangeID))
	if err != nil {
		return p, false
	}
	defer clear(pt)
	var b auditBatch
	if json.Unmarshal(pt, &b) != nil {
		return p, false
	}
	for _, e := range b.Entries {
		if e.DeviceID != self {
			return p, false
		}
		if e.Seq > p.Seq {
			p = e
		}
	}
	return p, p.Seq >= 1
}
