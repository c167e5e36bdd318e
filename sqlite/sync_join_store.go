package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"outpost/chart"
	"outpost/sync/wire"
)

// A join stores tens of thousands of pulled changes (every head of the
// practice: at 2,000 patients, 51,867). Stored one INSERT at a time, each
// statement opened a statement journal (the change log has triggers) and
// copied every page it touched — the table's and its five indexes' — into
// it before writing: half the CPU of storing a join page went to that
// journal and to starting and ending statements (docs/benchmarks.md, "The
// join's pull and the S3 delta pull, profiled on both sides"). One
// statement for many rows journals each page once. A pull's page is
// stored the same way (applyTx.InsertRemote), and a single change
// (insertRemoteChange) as a batch of one.

// joinInsertRows is how many changes one INSERT stores: 14 parameters
// each, well under SQLite's 32,766.
const joinInsertRows = 250

// insertRemoteChanges appends screened pulled changes to the change log
// as already acknowledged (unverified: see insertRemoteChange), a batch
// of rows per statement, and reports which were added: added[i] is false
// for a change already held, and for a second copy of a change earlier in
// cs (the first is the one stored).
func insertRemoteChanges(ctx context.Context, t *tx, cs []*wire.Change, unverified bool) ([]bool, error) {
	added := make([]bool, len(cs))
	for from := 0; from < len(cs); from += joinInsertRows {
		batch := cs[from:min(from+joinInsertRows, len(cs))]
		stored, err := insertChangeRows(ctx, t, batch, unverified)
		if err != nil {
			return nil, err
		}
		for i, c := range batch {
			if stored[c.ChangeID] {
				added[from+i] = true
				delete(stored, c.ChangeID) // a later copy in the batch was not stored
			}
		}
	}
	return added, nil
}

// insertChangeRows is one INSERT of batch; it returns the change ids stored.
//
// Which rows the INSERT stored is read from the count of rows it stored,
// not from a RETURNING clause: RETURNING made SQLite keep every stored id
// in a temporary table and hand it back row by row through database/sql,
// about a tenth of storing a join page (docs/benchmarks.md, "S2 join: no
// RETURNING, no statement journal, the index from the merge").
// A join page is almost always all new, and then the count says it all;
// when it is short (a change already held, or repeated in the batch), the
// rows the statement stored are the ones past the change log's last seq
// before it (seq only grows: AUTOINCREMENT), read back by seq.
func insertChangeRows(ctx context.Context, t *tx, batch []*wire.Change, unverified bool) (map[chart.ChangeID]bool, error) {
	now := rowStamp(t.now)
	args := make([]any, 0, len(batch)*14)
	for _, c := range batch {
		parents, err := parentsJSON(c.Parents)
		if err != nil {
			return nil, fmt.Errorf("change %s: parents: %w", c.ChangeID, err)
		}
		// Plain strings: database/sql converts a named string type (the
		// ids) through reflection, an allocation each, 4 a row.
		args = append(args, string(c.ChangeID), c.RecordID, c.Kind, string(c.PatientID), c.Version, parents, c.HLC,
			string(c.DeviceID), string(c.UserID), c.Sealed, c.Auth, boolInt(unverified), now, now)
	}
	var last int64
	if err := t.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes`).Scan(&last); err != nil {
		return nil, fmt.Errorf("store %d changes from %s: %w", len(batch), batch[0].ChangeID, err)
	}
	res, err := t.exec(ctx, `INSERT INTO changes (change_id, record_id, kind, patient_id, version, parents,
		hlc, device_id, user_id, sealed, auth, unverified, created_at, acked_at)
		VALUES `+valueRows(len(batch), 14)+`
		ON CONFLICT (change_id) DO NOTHING`, args...)
	if err != nil {
		return nil, fmt.Errorf("store %d changes from %s: %w", len(batch), batch[0].ChangeID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, fmt.Errorf("store %d changes from %s: %w", len(batch), batch[0].ChangeID, err)
	}
	stored := make(map[chart.ChangeID]bool, len(batch))
	if int(n) == len(batch) { // every one new (and so no two the same)
		for _, c := range batch {
			stored[c.ChangeID] = true
		}
		return stored, nil
	}
	return stored, storedAfter(ctx, t, last, stored)
}

// parentsJSON is the parents column of a change: most changes of a join
// have none (every head whose parents it does not hold is a base).
func parentsJSON(parents []chart.ChangeID) (string, error) {
	if len(parents) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(parents)
	return string(b), err
}

// storedAfter adds to stored the change ids of the rows past seq last.
func storedAfter(ctx context.Context, t *tx, last int64, stored map[chart.ChangeID]bool) error {
	rows, err := t.QueryContext(ctx, `SELECT change_id FROM changes WHERE seq > ?`, last)
	if err != nil {
		return fmt.Errorf("read back the changes stored: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id chart.ChangeID
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("read back the changes stored: %w", err)
		}
		stored[id] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read back the changes stored: %w", err)
	}
	return rows.Close()
}

// insertJoinHooks notes the changes ids (a join page's, whose kind has a
// remote hook) for the first sign-in, a batch per statement.
func insertJoinHooks(ctx context.Context, t *tx, ids []any) error {
	for from := 0; from < len(ids); from += joinInsertRows {
		batch := ids[from:min(from+joinInsertRows, len(ids))]
		if _, err := t.exec(ctx, `INSERT OR IGNORE INTO join_hooks (change_id) VALUES `+valueRows(len(batch), 1), batch...); err != nil {
			return fmt.Errorf("note the hooks of %d changes from %v: %w", len(batch), batch[0], err)
		}
	}
	return nil
}
