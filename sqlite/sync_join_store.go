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
func insertChangeRows(ctx context.Context, t *tx, batch []*wire.Change, unverified bool) (map[chart.ChangeID]bool, error) {
	now := rowStamp(t.now)
	args := make([]any, 0, len(batch)*14)
	for _, c := range batch {
		parents, err := json.Marshal(nonNilParents(c.Parents))
		if err != nil {
			return nil, fmt.Errorf("change %s: parents: %w", c.ChangeID, err)
		}
		args = append(args, c.ChangeID, c.RecordID, c.Kind, c.PatientID, c.Version, string(parents), c.HLC, c.DeviceID,
			c.UserID, c.Sealed, c.Auth, boolInt(unverified), now, now)
	}
	rows, err := t.queryStmt(ctx, `INSERT INTO changes (change_id, record_id, kind, patient_id, version, parents,
		hlc, device_id, user_id, sealed, auth, unverified, created_at, acked_at)
		VALUES `+valueRows(len(batch), 14)+`
		ON CONFLICT (change_id) DO NOTHING RETURNING change_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store %d changes from %s: %w", len(batch), batch[0].ChangeID, err)
	}
	defer rows.Close()
	stored := make(map[chart.ChangeID]bool, len(batch))
	for rows.Next() {
		var id chart.ChangeID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store %d changes from %s: %w", len(batch), batch[0].ChangeID, err)
		}
		stored[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %d changes from %s: %w", len(batch), batch[0].ChangeID, err)
	}
	return stored, rows.Close()
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
