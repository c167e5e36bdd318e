package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"outpost/chart"
)

// Local writes over concurrent heads. A record that synced concurrent edits
// has several heads (changes no other change of the record names as a
// parent); the chart shows their merge. A local edit starts from that merge,
// so it must name every head as parent: naming only the shown one would
// make the merge of its parents differ between workstations, and so the
// conflicts each one keeps. After such a write the record is re-merged in
// the same transaction, so record_conflicts says what merge.Record says
// (written fields close, untouched conflicting fields stay open).

// recordHeads returns the heads of record id of kind, sorted: its changes
// whose whole ancestry is present that no other such change names as a
// parent. Changes still waiting for a parent are left out, as the merge
// leaves them out: an edit based on them would wait with them.
func recordHeads(ctx context.Context, q queryer, kind, id string) ([]chart.ChangeID, error) {
	rows, err := q.QueryContext(ctx, `SELECT change_id, `+mergeParents+` FROM changes WHERE record_id = ? AND kind = ?`, id, kind)
	if err != nil {
		return nil, fmt.Errorf("find heads of %s %s: %w", kind, id, err)
	}
	defer rows.Close()
	parents := map[chart.ChangeID][]chart.ChangeID{}
	for rows.Next() {
		var cid chart.ChangeID
		var raw string
		if err := rows.Scan(&cid, &raw); err != nil {
			return nil, fmt.Errorf("find heads of %s %s: %w", kind, id, err)
		}
		var ps []chart.ChangeID
		if err := json.Unmarshal([]byte(raw), &ps); err != nil {
			return nil, fmt.Errorf("%s %s change %s: parents: %w", kind, id, cid, err)
		}
		parents[cid] = ps
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find heads of %s %s: %w", kind, id, err)
	}
	return headsOf(parents), nil
}

// headsOf returns the heads of the complete part of a version DAG.
func headsOf(parents map[chart.ChangeID][]chart.ChangeID) []chart.ChangeID {
	state := map[chart.ChangeID]int{} // 0 unknown, 1 visiting, 2 complete, 3 incomplete
	var complete func(c chart.ChangeID) bool
	complete = func(c chart.ChangeID) bool {
		ps, ok := parents[c]
		switch {
		case !ok:
			return false
		case state[c] == 1:
			return false // a cycle: only corrupt input, never merged
		case state[c] > 1:
			return state[c] == 2
		}
		state[c] = 1
		good := true
		for _, p := range ps {
			good = complete(p) && good
		}
		state[c] = 3
		if good {
			state[c] = 2
		}
		return good
	}
	named := map[chart.ChangeID]bool{}
	for c, ps := range parents {
		if complete(c) {
			for _, p := range ps {
				named[p] = true
			}
		}
	}
	var heads []chart.ChangeID
	for c := range parents {
		if state[c] == 2 && !named[c] {
			heads = append(heads, c)
		}
	}
	slices.Sort(heads)
	return heads
}

// localWrite is what a local write of an existing record needs to know.
type localWrite struct {
	parents []chart.ChangeID
	// remerge: the record had several heads or kept conflicts, so the
	// write must be followed by a merge.
	remerge bool
}

// prepareLocal returns the parents of a local write of record id: nil for
// a new record (given is nil), else every head.
func prepareLocal(ctx context.Context, t *tx, kind, id string, given []chart.ChangeID) (localWrite, error) {
	if given == nil {
		return localWrite{}, nil
	}
	heads, err := recordHeads(ctx, t, kind, id)
	if err != nil {
		return localWrite{}, err
	}
	if len(heads) == 0 {
		heads = given
	}
	lw := localWrite{parents: heads, remerge: len(heads) > 1}
	if !lw.remerge {
		var one int
		err := t.QueryRowContext(ctx, `SELECT count(*) FROM record_conflicts WHERE record_id = ?`, id).Scan(&one)
		if err != nil {
			return localWrite{}, fmt.Errorf("find conflicts of %s %s: %w", kind, id, err)
		}
		lw.remerge = one > 0
	}
	return lw, nil
}

// finishLocal re-merges record id after a local write when prepareLocal
// said so. The write names every head, so the merge is a fast-forward to
// it: only the kept conflicts change.
func (s *Session) finishLocal(ctx context.Context, t *tx, kind, id string, lw localWrite) error {
	if !lw.remerge {
		return nil
	}
	if kind == kindPatient {
		_, _, _, err := s.mergePatient(ctx, t, id)
		return err
	}
	km, ok := kindMergers[kind]
	if !ok {
		return nil
	}
	_, err := s.mergeKind(ctx, t, kind, id, km)
	return err
}
