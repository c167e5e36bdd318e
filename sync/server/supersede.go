package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"outpost/sync/wire"
)

// supersede sets aside, for each record a just-stored change of a
// replaceable kind belongs to, every stored version older than the newest
// (by clock, then change id): their sealed bytes are dropped and pulls
// leave them out. A just-stored change is itself set aside if a newer
// version is stored already (it arrived late). One statement does the
// whole batch; a version with no newer one is never touched, so looking
// at a record again (as a record id of another replaceable kind) is
// harmless. Only the practice's own changes are looked at: another
// practice's record of the same id is another record.
func supersede(ctx context.Context, tx txn, practice int64, fresh []*wire.Change) error {
	var records, kinds []string
	for _, c := range fresh {
		if slices.Contains(wire.ReplaceableKinds, c.Kind) {
			records = append(records, c.RecordID)
			kinds = append(kinds, c.Kind)
		}
	}
	if len(records) == 0 {
		return nil
	}
	recordList, err := json.Marshal(records)
	if err != nil {
		return fmt.Errorf("encode replaced records: %w", err)
	}
	kindList, err := json.Marshal(kinds)
	if err != nil {
		return fmt.Errorf("encode replaced kinds: %w", err)
	}
	_, err = tx.exec(ctx, `UPDATE changes SET sealed = ?, superseded = 1 WHERE practice = ? AND change_id IN (
		SELECT d.change_id FROM `+tx.d.byRecord+` WHERE d.practice = ? AND d.superseded = 0
			AND d.record_id IN (`+tx.d.jsonValues+`) AND d.kind IN (`+tx.d.jsonValues+`)
			AND EXISTS (SELECT 1 FROM changes n WHERE n.practice = d.practice AND n.record_id = d.record_id
				AND n.kind = d.kind AND (n.hlc > d.hlc OR (n.hlc = d.hlc AND n.change_id > d.change_id))))`,
		[]byte{}, practice, practice, string(recordList), string(kindList))
	if err != nil {
		return fmt.Errorf("set aside older versions: %w", err)
	}
	return nil
}
