package apply

import (
	"context"
	"log/slog"
	"maps"
	"slices"

	"outpost/chart"
)

// MergeTouched re-merges each touched record, a batch of o.Batch records
// at a time (each batch's versions read in one preload, so memory stays
// flat however many records a join merges). In each batch the records of
// LaneSavepoint merge first under a savepoint (mergeIsolating), then the
// patients, then the clinical records, each lane planned in bulk and
// written without a savepoint when every record of it merges (mergeBulk),
// through mergeIsolating otherwise. A record that fails for its own fault
// has its changes held back and the rest merges. fresh names the changes
// each record just received (nil: every change of the record from another
// workstation).
func MergeTouched(ctx context.Context, t Tx, k Kinds, o Options, touched []Record, fresh map[Record][]chart.ChangeID) (Result, error) {
	var res Result
	size := max(o.Batch, 1)
	for i := 0; i < len(touched); i += size {
		t.Progress(i, len(touched))
		byLane := splitLanes(touched[i:min(i+size, len(touched))], k, o.Bulk)
		r, err := mergeIsolating(ctx, t, byLane[LaneSavepoint], fresh)
		if err != nil {
			return Result{}, err
		}
		res.add(r)
		for _, lane := range []Lane{LanePatients, LaneClinical} {
			if r, err = mergeBulkOrIsolate(ctx, t, byLane[lane], fresh); err != nil {
				return Result{}, err
			}
			res.add(r)
		}
	}
	t.Progress(len(touched), len(touched))
	return res, nil
}

// splitLanes splits a batch by the lane each record's kind takes; with
// bulk off every record takes the savepoint lane. The bulk kinds depend on
// no practice-wide record's row being written first: the order of the
// lanes changes nothing for them.
func splitLanes(batch []Record, k Kinds, bulk bool) (byLane [lanes][]Record) {
	if !bulk {
		byLane[LaneSavepoint] = batch
		return byLane
	}
	for _, r := range batch {
		lane := k.Lane(r.Kind)
		byLane[lane] = append(byLane[lane], r)
	}
	return byLane
}

// mergeBulkOrIsolate merges a lane's batch in bulk when every record of
// it merges, through mergeIsolating otherwise.
func mergeBulkOrIsolate(ctx context.Context, t Tx, batch []Record, fresh map[Record][]chart.ChangeID) (Result, error) {
	res, ok, err := mergeBulk(ctx, t, batch)
	if err != nil || ok {
		return res, err
	}
	return mergeIsolating(ctx, t, batch, fresh)
}

// mergeBulk opens and merges every record of batch first, writing
// nothing; only when each one succeeded are they written, with no
// savepoint. ok is false, with nothing written, when one of them fails for
// its own fault: the batch then needs mergeIsolating.
func mergeBulk(ctx context.Context, t Tx, batch []Record) (res Result, ok bool, err error) {
	if len(batch) == 0 {
		return Result{}, true, nil
	}
	release, err := t.Preload(ctx, batch)
	if err != nil {
		return Result{}, false, err
	}
	defer release()
	plans := make([]Plan, 0, len(batch))
	for _, r := range batch {
		p, err := t.Plan(ctx, r)
		if _, isHeld := AsHeld(err); isHeld {
			return Result{}, false, nil
		}
		if err != nil {
			return Result{}, false, err
		}
		if p != nil {
			plans = append(plans, p)
		}
	}
	for _, p := range plans {
		patient, nc, err := p.Write(ctx)
		if err != nil {
			return Result{}, false, err
		}
		res.Conflicts += nc
		if patient != nil {
			res.Merged = append(res.Merged, *patient)
		}
	}
	return res, true, nil
}

// mergeIsolating merges batch under the savepoint "merge_batch"; when it
// fails for a record's own fault, its records are merged one by one
// (MergeOrHold) and the faulty one's changes are held back, so one bad
// record never stops the others.
func mergeIsolating(ctx context.Context, t Tx, batch []Record, fresh map[Record][]chart.ChangeID) (Result, error) {
	if len(batch) == 0 {
		return Result{}, nil
	}
	var res Result
	err := t.Savepoint(ctx, "merge_batch", func() error {
		var err error
		res, err = mergeBatch(ctx, t, batch)
		return err
	})
	if err == nil {
		return res, nil
	}
	if _, ok := AsHeld(err); !ok {
		return Result{}, err
	}
	res = Result{}
	for _, r := range batch {
		p, nc, nh, err := MergeOrHold(ctx, t, r, fresh[r], fresh != nil)
		if err != nil {
			return Result{}, err
		}
		res.Conflicts, res.Held = res.Conflicts+nc, res.Held+nh
		if p != nil {
			res.Merged = append(res.Merged, *p)
		}
	}
	return res, nil
}

// mergeBatch merges the records of one batch, their versions read up
// front.
func mergeBatch(ctx context.Context, t Tx, batch []Record) (Result, error) {
	release, err := t.Preload(ctx, batch)
	if err != nil {
		return Result{}, err
	}
	defer release()
	var res Result
	for _, r := range batch {
		p, nc, err := t.MergeOne(ctx, r)
		if err != nil {
			return Result{}, err
		}
		res.Conflicts += nc
		if p != nil {
			res.Merged = append(res.Merged, *p)
		}
	}
	return res, nil
}

// MergeOrHold merges one record under the savepoint "merge_one"; if it
// fails for its own fault, the changes at fault among fresh (known: fresh
// is the list; else every change of r from another workstation) are held
// back (holdRecord) and the record merges again without them, under
// "merge_again". held counts the changes held back.
func MergeOrHold(ctx context.Context, t Tx, r Record, fresh []chart.ChangeID, known bool) (
	p *chart.Patient, conflicts, held int, err error) {
	merge := func() error {
		var err error
		p, conflicts, err = t.MergeOne(ctx, r)
		return err
	}
	err = t.Savepoint(ctx, "merge_one", merge)
	why, ok := AsHeld(err)
	if err == nil || !ok {
		return p, conflicts, 0, err
	}
	if !known {
		if fresh, err = t.RemoteChangesOf(ctx, r); err != nil {
			return nil, 0, 0, err
		}
	}
	if held, err = holdRecord(ctx, t, r, fresh, why); err != nil {
		return nil, 0, 0, err
	}
	p, conflicts = nil, 0
	if err := t.Savepoint(ctx, "merge_again", merge); err != nil {
		if _, ok := AsHeld(err); !ok {
			return nil, 0, 0, err
		}
		// What is left was stored here before and merged then: leave the
		// record as it was, and say so.
		slog.Warn("record still does not merge after holding back its new changes; left as it was",
			"kind", r.Kind, "record", r.ID, "err", err)
		p, conflicts = nil, 0
	}
	return p, conflicts, held, nil
}

// holdRecord holds back the changes of r among candidates that do not
// open on their own; when each opens alone (the merge of them fails), all
// the candidates are held back with why.
func holdRecord(ctx context.Context, t Tx, r Record, candidates []chart.ChangeID, why *Held) (int, error) {
	bad := map[chart.ChangeID]*Held{}
	for _, id := range candidates {
		h, err := t.OpenAlone(ctx, r, id)
		if err != nil {
			return 0, err
		}
		if h != nil {
			bad[id] = h
		}
	}
	if len(bad) == 0 {
		for _, id := range candidates {
			bad[id] = why
		}
	}
	ids := slices.Sorted(maps.Keys(bad))
	slog.Warn("held back pulled changes that do not open or merge", "kind", r.Kind, "record", r.ID, "changes", len(ids))
	return len(ids), t.HoldStored(ctx, ids, func(id chart.ChangeID) *Held { return bad[id] })
}
