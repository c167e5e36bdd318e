package sqlite

import (
	"context"
	"fmt"
	"slices"

	"outpost/chart"
	"outpost/sync/wire"
)

// A packed chunk's audit batches are written where they belong from the
// start, a few hundred per statement (issue #12). Written one by one
// through appendStamped, each batch's change-log row was written three
// times: inserted with its bytes and tag, then emptied of the bytes
// (migration 0019's trigger, moving them to change_bodies) and of the tag
// (0022's, moving it to change_tags), and its packing looked its seq up
// by change id. Now the row goes in empty, its bytes, tag and packing go
// straight to their own tables under the seq the insert gave it, and the
// triggers find nothing to move. What is stored is what the triggers made
// of it: the same rows, the same bytes.

// sealedBatch is one packed audit batch ready to be written: its change,
// stamped, tagged and sealed, and what packs it again (packedEntries,
// packingCheck: audit_sync_repack.go).
type sealedBatch struct {
	change  wire.Change
	entries []byte // encodePackedEntries of its entries
	check   []byte // packingCheck of its plaintext
}

// auditWriteRows caps the rows of one INSERT: 12 parameters a change row,
// far under SQLite's 32,766 a statement.
const auditWriteRows = 256

// appendAuditBatches appends batches to the change log in order, their
// seqs consecutive, with their bytes in change_bodies, their tags in
// change_tags and their packings in audit_batch_packing.
func appendAuditBatches(ctx context.Context, t *tx, batches []sealedBatch) error {
	for chunk := range slices.Chunk(batches, auditWriteRows) {
		if err := appendAuditChunk(ctx, t, chunk); err != nil {
			return fmt.Errorf("append %d audit batches from %s: %w", len(chunk), chunk[0].change.ChangeID, err)
		}
	}
	return nil
}

func appendAuditChunk(ctx context.Context, t *tx, chunk []sealedBatch) error {
	n := len(chunk)
	rows := make([]any, 0, n*12)
	for i := range chunk {
		c := chunk[i].change
		c.Auth = nil // in change_tags, below
		row, err := changeValues(&c, []byte{}, t.now)
		if err != nil {
			return err
		}
		rows = append(rows, row...)
	}
	res, err := t.exec(ctx, `INSERT INTO changes (`+changeColumns+`) VALUES `+valueRows(n, 12), rows...)
	if err != nil {
		return err
	}
	last, err := res.LastInsertId()
	if err != nil {
		return err
	}
	// One INSERT into an AUTOINCREMENT table numbers its rows one after
	// the other; checked at both ends, since a body or tag under the wrong
	// seq would belong to another change.
	first := last - int64(n) + 1
	if err := checkSeq(ctx, t, first, chunk[0].change.ChangeID); err != nil {
		return err
	}
	if err := checkSeq(ctx, t, last, chunk[n-1].change.ChangeID); err != nil {
		return err
	}
	tags := make([]any, 0, 2*n)
	bodies := make([]any, 0, 2*n)
	packings := make([]any, 0, 3*n)
	for i := range chunk {
		b, seq := &chunk[i], first+int64(i)
		tags = append(tags, seq, b.change.Auth)
		bodies = append(bodies, seq, b.change.Sealed)
		packings = append(packings, seq, b.entries, b.check)
	}
	if _, err := t.exec(ctx, `INSERT INTO change_tags (seq, auth) VALUES `+valueRows(n, 2), tags...); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO change_bodies (seq, sealed) VALUES `+valueRows(n, 2), bodies...); err != nil {
		return fmt.Errorf("bodies: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO audit_batch_packing (seq, entries, check_tag) VALUES `+valueRows(n, 3),
		packings...); err != nil {
		return fmt.Errorf("keep the packings: %w", err)
	}
	return nil
}

// checkSeq checks that the change log's row seq is change id.
func checkSeq(ctx context.Context, t *tx, seq int64, id chart.ChangeID) error {
	var got string
	if err := t.QueryRowContext(ctx, `SELECT change_id FROM changes WHERE seq = ?`, seq).Scan(&got); err != nil {
		return fmt.Errorf("read back seq %d: %w", seq, err)
	}
	if got != string(id) {
		return fmt.Errorf("seq %d holds change %s, not %s", seq, got, id)
	}
	return nil
}
