package server

import (
	"context"
	"fmt"
	"slices"

	"outpost/sync/wire"
)

// supersede sets aside every stored version of c's record older than the
// newest (by clock, then change id) when c's kind is replaceable: their
// sealed bytes are dropped and pulls leave them out. c itself is set aside
// if a newer version is stored already (it arrived late).
// Only the practice's own changes are looked at: another practice's record
// of the same id is another record.
func supersede(ctx context.Context, tx txn, practice int64, c *wire.Change) error {
	if !slices.Contains(wire.ReplaceableKinds, c.Kind) {
		return nil
	}
	var newestID, newestHLC string
	err := tx.queryRow(ctx, `SELECT change_id, hlc FROM changes WHERE practice = ? AND record_id = ? AND kind = ?
		ORDER BY hlc DESC, change_id DESC LIMIT 1`, practice, c.RecordID, c.Kind).Scan(&newestID, &newestHLC)
	if err != nil {
		return fmt.Errorf("find newest %s %s: %w", c.Kind, c.RecordID, err)
	}
	_, err = tx.exec(ctx, `UPDATE changes SET sealed = ?, superseded = 1
		WHERE practice = ? AND record_id = ? AND kind = ? AND superseded = 0 AND change_id != ?`,
		[]byte{}, practice, c.RecordID, c.Kind, newestID)
	if err != nil {
		return fmt.Errorf("set aside older %s %s: %w", c.Kind, c.RecordID, err)
	}
	return nil
}
