package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"outpost/chart"
	"outpost/seal"
)

// The practice-wide trail is this workstation's audit_log and the entries
// received from the others (audit_remote), newest first by the time each
// workstation recorded, ties broken by device then seq. Each table is read
// through its own index with the page's limit and the two are merged here:
// a UNION ordered in SQL would sort every entry of the practice per page.

// auditCursor is a position in the practice-wide order.
type auditCursor struct {
	at     int64
	device string
	seq    int64
}

func (c auditCursor) String() string {
	return strconv.FormatInt(c.at, 10) + "." + c.device + "." + strconv.FormatInt(c.seq, 10)
}

func parseAuditCursor(s string) (auditCursor, error) {
	at, rest, ok1 := strings.Cut(s, ".")
	device, seq, ok2 := strings.Cut(rest, ".")
	c := auditCursor{device: device}
	var err1, err2 error
	c.at, err1 = strconv.ParseInt(at, 10, 64)
	c.seq, err2 = strconv.ParseInt(seq, 10, 64)
	if !ok1 || !ok2 || err1 != nil || err2 != nil || (device != "" && !chart.ValidID(device)) {
		return c, chart.FieldError("before", "The page position is not valid. Reload the audit log.")
	}
	return c, nil
}

func cursorOf(e chart.AuditEntry) auditCursor {
	return auditCursor{at: e.At.UnixNano(), device: string(e.DeviceID), seq: e.Seq}
}

// listPracticeAudit returns entries of every workstation matching f.
func listPracticeAudit(ctx context.Context, db *sql.DB, key *seal.Key, f chart.AuditFilter) ([]chart.AuditEntry, error) {
	if f.BeforeSeq != 0 {
		return nil, chart.FieldError("beforeSeq", "The practice-wide trail pages by position, not by entry number.")
	}
	conds, args, err := auditConds(f)
	if err != nil {
		return nil, err
	}
	if f.Before != "" {
		c, err := parseAuditCursor(f.Before)
		if err != nil {
			return nil, err
		}
		// The first term lets SQLite range over the time index.
		conds = append(conds, "at <= ? AND (at < ? OR device_id < ? OR (device_id = ? AND seq < ?))")
		args = append(args, c.at, c.at, c.device, c.device, c.seq)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := auditLimit(f.Limit)
	local, err := readLocalAudit(ctx, db, key, where, args, limit)
	if err != nil {
		return nil, err
	}
	remote, err := readRemoteAudit(ctx, db, key, where, args, limit)
	if err != nil {
		return nil, err
	}
	all := append(local, remote...)
	slices.SortFunc(all, func(a, b chart.AuditEntry) int {
		x, y := cursorOf(a), cursorOf(b)
		return -cmp.Or(cmp.Compare(x.at, y.at), cmp.Compare(x.device, y.device), cmp.Compare(x.seq, y.seq))
	})
	all = all[:min(len(all), limit)]
	for i := range all {
		all[i].Cursor = cursorOf(all[i]).String()
	}
	return all, nil
}

const practiceAuditOrder = ` ORDER BY at DESC, device_id DESC, seq DESC LIMIT ?`

func readLocalAudit(ctx context.Context, db *sql.DB, key *seal.Key, where string, args []any, limit int) ([]chart.AuditEntry, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log`+where+practiceAuditOrder,
		append(slices.Clone(args), limit)...)
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	out := []chart.AuditEntry{}
	for rows.Next() {
		r, err := scanAuditRow(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list audit entries: %w", err)
		}
		out = append(out, r.entry(openAuditDetail(key, r)))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	return out, nil
}

// readRemoteAudit reads received entries. The clear columns were checked
// against the sealed entry when it arrived; the detail and hash are opened
// from it now. One that no longer opens shows its clear columns with the
// unreadable marker, as a damaged local entry does.
func readRemoteAudit(ctx context.Context, db *sql.DB, key *seal.Key, where string, args []any, limit int) ([]chart.AuditEntry, error) {
	rows, err := db.QueryContext(ctx, `SELECT record_id, change_id, device_id, seq, at, user_id, username, action,
		patient_id, record_kind, record_ref, sealed FROM audit_remote`+where+practiceAuditOrder,
		append(slices.Clone(args), limit)...)
	if err != nil {
		return nil, fmt.Errorf("list received audit entries: %w", err)
	}
	defer rows.Close()
	out := []chart.AuditEntry{}
	for rows.Next() {
		var recordID, changeID string
		var at int64
		var sealed []byte
		e := chart.AuditEntry{Remote: true}
		if err := rows.Scan(&recordID, &changeID, &e.DeviceID, &e.Seq, &at, &e.UserID, &e.Username, &e.Action,
			&e.PatientID, &e.RecordKind, &e.RecordID, &sealed); err != nil {
			return nil, fmt.Errorf("list received audit entries: %w", err)
		}
		e.At = time.Unix(0, at).UTC()
		e.Detail, e.Hash = openRemoteDetail(key, recordID, chart.ChangeID(changeID), sealed)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list received audit entries: %w", err)
	}
	return out, nil
}

// remoteDetail is what the trail opens of a received entry. A single
// change's sealed entry carries detail and hash among the rest of the
// entry; an entry of a batch is sealed again on arrival with only its
// detail and, in HashBytes, its hash's 32 bytes (sealRemoteDetail).
type remoteDetail struct {
	Detail    string `json:"detail"`
	Hash      string `json:"hash,omitempty"`
	HashBytes []byte `json:"h,omitempty"`
}

// sealRemoteDetail seals e's detail and hash for its audit_remote row, under
// the row's record id and the change that carried it. The hash goes as its
// bytes rather than as hex: so the usual entry ("opened chart") stays under
// the size the seal starts deflating at, and is sealed without it, and the
// row is shorter.
func sealRemoteDetail(key *seal.Keyring, recordID string, change chart.ChangeID, e chart.AuditEntry) ([]byte, error) {
	d := remoteDetail{Detail: e.Detail, Hash: e.Hash}
	if b, err := hex.DecodeString(e.Hash); err == nil && len(b) > 0 && hex.EncodeToString(b) == e.Hash {
		d.Hash, d.HashBytes = "", b // reads back as the very string (lower-case hex)
	}
	pt, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	return key.Seal(pt, auditChangeAD(recordID, change)), nil
}

func openRemoteDetail(key *seal.Key, recordID string, change chart.ChangeID, sealed []byte) (detail, hash string) {
	if key == nil {
		return unreadableDetail, ""
	}
	pt, err := key.Open(sealed, auditChangeAD(recordID, change))
	if err != nil {
		return unreadableDetail, ""
	}
	defer clear(pt)
	var e remoteDetail
	if json.Unmarshal(pt, &e) != nil {
		return unreadableDetail, ""
	}
	if e.HashBytes != nil {
		return e.Detail, hex.EncodeToString(e.HashBytes)
	}
	return e.Detail, e.Hash
}
