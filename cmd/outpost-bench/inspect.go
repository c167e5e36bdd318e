package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// storeFacts are read straight from a store's SQLite file (read-only): the
// change log's size and a digest of the change ids the server holds (on a
// workstation: those acknowledged by or pulled from the server). A
// workstation that has pulled after the last push has the server's digest.
// Every workstation step signs in, which writes an audit entry, so a
// workstation also holds a few entries not yet sent. Audit entries wait in
// audit_sync_queue until a push packs them into one audit-batch change per
// patient (practice-wide entries in one of their own): AuditBatches is how
// many changes the queued entries will become.
type storeFacts struct {
	Changes        int64  `json:"changes"`
	Unacked        int64  `json:"unacked,omitempty"`
	AuditQueued    int64  `json:"audit_queued,omitempty"`
	AuditBatches   int64  `json:"audit_batches_due,omitempty"`
	ChangeIDDigest string `json:"change_id_digest"`
	ConflictRows   int64  `json:"records_with_conflicts"`
	DiskBytes      int64  `json:"disk_bytes"`
}

func openReadOnly(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return sql.Open("sqlite", path+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)")
}

// inspectStore reads the facts of a workstation (chart.db) or server
// (server.db) store.
func inspectStore(ctx context.Context, path string, workstation bool) (storeFacts, error) {
	var f storeFacts
	db, err := openReadOnly(path)
	if err != nil {
		return f, err
	}
	defer db.Close()
	q := `SELECT change_id FROM changes ORDER BY change_id`
	if workstation {
		q = `SELECT change_id FROM changes WHERE acked_at IS NOT NULL ORDER BY change_id`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return f, fmt.Errorf("inspect %s: %w", path, err)
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return f, err
		}
		h.Write([]byte(id + "\n"))
		f.Changes++
	}
	if err := rows.Err(); err != nil {
		return f, err
	}
	f.ChangeIDDigest = hex.EncodeToString(h.Sum(nil))[:16]
	if workstation {
		q := `SELECT (SELECT count(*) FROM changes), (SELECT count(*) FROM changes WHERE acked_at IS NULL),
			(SELECT count(*) FROM record_conflicts)`
		if err := db.QueryRowContext(ctx, q).Scan(&f.Changes, &f.Unacked, &f.ConflictRows); err != nil {
			return f, fmt.Errorf("inspect %s: %w", path, err)
		}
		if err := inspectAuditQueue(ctx, db, &f); err != nil {
			return f, fmt.Errorf("inspect %s: %w", path, err)
		}
	}
	f.DiskBytes = filesBytes(path)
	return f, nil
}

// inspectAuditQueue reads how many audit entries wait to be sent and how
// many batches a push makes of them: one per patient, plus the
// practice-wide one, which the push step's own sign-in entry always needs.
// (A batch holds up to 2,000 entries: no patient of the bench comes near.)
func inspectAuditQueue(ctx context.Context, db *sql.DB, f *storeFacts) error {
	return db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM audit_sync_queue),
		(SELECT count(*) FROM (SELECT patient_id FROM audit_log WHERE seq IN (SELECT seq FROM audit_sync_queue)
			UNION SELECT ''))`).Scan(&f.AuditQueued, &f.AuditBatches)
}

// filesBytes is the size of a SQLite database with its -wal and -shm.
func filesBytes(path string) int64 {
	var n int64
	matches, _ := filepath.Glob(path + "*")
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && strings.HasPrefix(filepath.Base(m), filepath.Base(path)) {
			n += st.Size()
		}
	}
	return n
}

// conflictCheck is S4's check on one workstation: every edited patient has
// its conflict kept, and both edits can be read back (the winner as the
// current record, the other in its history).
type conflictCheck struct {
	Edited          int               `json:"edited"`
	WithConflictRow int               `json:"with_conflict_kept"`
	BothReadable    int               `json:"both_edits_retrievable"`
	Lost            int               `json:"lost"`
	WinnerSide      map[string]int    `json:"winner_side"`
	Winners         map[string]string `json:"winners"` // patient id -> phone shown
}

func checkConflicts(ctx context.Context, dir string, seed uint64, n int) (conflictCheck, error) {
	c := conflictCheck{WinnerSide: map[string]int{}, Winners: map[string]string{}}
	var ids idMap
	if err := readJSON(idMapPath(dir), &ids); err != nil {
		return c, err
	}
	kept, err := conflictRows(ctx, chartPath(dir))
	if err != nil {
		return c, err
	}
	w, s, err := openSignedIn(ctx, dir)
	if err != nil {
		return c, err
	}
	defer w.Close()
	for i, p := range conflictPatients(ids, seed, n) {
		c.Edited++
		if kept[string(p)] {
			c.WithConflictRow++
		}
		cur, err := s.OpenPatient(ctx, p)
		if err != nil {
			return c, err
		}
		hist, err := s.PatientHistory(ctx, p)
		if err != nil {
			return c, err
		}
		seen := map[string]bool{}
		for _, v := range hist {
			seen[v.Patient.Phone] = true
		}
		a, b := conflictPhone("A", i), conflictPhone("B", i)
		if seen[a] && seen[b] {
			c.BothReadable++
		} else {
			c.Lost++
		}
		switch cur.Phone {
		case a:
			c.WinnerSide["A"]++
		case b:
			c.WinnerSide["B"]++
		default:
			c.WinnerSide["neither"]++
		}
		c.Winners[string(p)] = cur.Phone
	}
	return c, nil
}

func conflictRows(ctx context.Context, path string) (map[string]bool, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT record_id FROM record_conflicts WHERE kind = 'patient'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
