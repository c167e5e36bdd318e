package sqlite

import (
	"context"

	"outpost/sync/apply"
)

// A join's first sign-in merges every record the practice holds, most of
// them a single version. Merging each batch under a savepoint (so a bad
// record can be isolated, mergeTouched) made SQLite keep a statement
// journal of every row written: ~15% of the first sign-in's CPU at 300
// patients (docs/benchmarks.md). A batch of clinical records instead opens
// and merges all its records first, checks and all, writing nothing; only
// when every one of them succeeded are their rows written, with prepared
// statements, straight into the transaction. If any record fails on its
// own account, nothing has been written and the batch takes the savepoint
// path, which isolates the bad record and merges the rest.

// bulkMerge turns the savepoint-free path on; tests turn it off to compare
// the chart it writes with the savepoint path's.
var bulkMerge = true

// splitForBulk splits a batch into its clinical records, which
// mergeBatchBulk may write without a savepoint, and the others (patients
// and practice-wide records keep their own loaders). Clinical records
// depend on no other record's row, so the others merging first changes
// nothing for them.
func splitForBulk(batch []touchedRecord) (clinical, others []touchedRecord) {
	if !bulkMerge {
		return nil, batch
	}
	for _, r := range batch {
		if _, ok := kindMergers[r.Kind]; ok {
			clinical = append(clinical, r)
		} else {
			others = append(others, r)
		}
	}
	return clinical, others
}

// mergeBatchBulk merges a batch of clinical records without a savepoint.
// ok is false, with nothing written, when one of them fails for its own
// fault: the batch then needs the savepoint path to isolate it.
func (s *Session) mergeBatchBulk(ctx context.Context, t *tx, batch []touchedRecord) (conflicts int, ok bool, err error) {
	if len(batch) == 0 {
		return 0, true, nil
	}
	pre, err := preload(ctx, t, batch)
	if err != nil {
		return 0, false, err
	}
	t.pre = pre
	defer func() { t.pre = nil }()
	heads := make([]kindHead, 0, len(batch))
	for _, r := range batch {
		h, err := s.planKind(ctx, t, r.Kind, r.ID, kindMergers[r.Kind])
		if _, isHeld := apply.AsHeld(err); isHeld {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, err
		}
		if h.ready {
			heads = append(heads, h)
		}
	}
	for _, h := range heads {
		nc, err := s.writeKindHead(ctx, t, h)
		if err != nil {
			return 0, false, err
		}
		conflicts += nc
	}
	return conflicts, true, nil
}
