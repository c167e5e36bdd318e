package sqlite

import (
	"cmp"
	"errors"
	"slices"
	"testing"

	"outpost/sync/apply"
)

// TestPatientsPlannedAheadWhileTheBatchBeforeWrites: a merge of patients
// in batches reads and plans each batch while the one before writes
// (mergeAhead), and writes the same rows and conflicts as a merge that
// reads and plans each batch when it comes. 11 patients in batches of 4:
// the second and third batches are planned ahead.
func TestPatientsPlannedAheadWhileTheBatchBeforeWrites(t *testing.T) {
	c, ids := newClinicWithEditedPatients(t, 11, "Ahead")

	touched := make([]apply.Record, len(ids))
	for i, id := range ids {
		touched[i] = apply.Record{Kind: kindPatient, ID: string(id)}
	}
	slices.SortFunc(touched, func(a, b apply.Record) int { return cmp.Compare(a.ID, b.ID) })
	s := c.a.admin
	rollback := errors.New("rolled back")
	merge := func(ahead bool) (rows []string, taken int) {
		err := c.a.w.write(ctxb, func(t2 *tx) error {
			m := &mergeAhead{touched: touched, batch: 4}
			if ahead {
				t2.ahead = m
			}
			_, err := apply.MergeTouched(ctxb, s.port(t2), applyKinds{}, apply.Options{Bulk: true, Batch: 4}, touched, nil)
			m.stop()
			t2.ahead, taken = nil, m.taken
			if err != nil {
				return err
			}
			// A patient merged from two heads is sealed anew (a new nonce):
			// its sealed bytes differ from run to run, its head does not.
			r, err := t2.QueryContext(ctxb, `SELECT r.id || ' ' || r.version || ' ' || r.head_change_id || ' ' ||
				hex(coalesce(r.mrn_tag, x'')) || ' ' || r.updated_at || ' ' ||
				(SELECT count(*) FROM record_conflicts k WHERE k.record_id = r.id)
				FROM records r WHERE r.kind = ? ORDER BY r.id`, kindPatient)
			if err != nil {
				return err
			}
			defer r.Close()
			for r.Next() {
				var row string
				if err := r.Scan(&row); err != nil {
					return err
				}
				rows = append(rows, row)
			}
			if err := r.Err(); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("merge (ahead %v): %v", ahead, err)
		}
		return rows, taken
	}
	want, _ := merge(false)
	got, taken := merge(true)
	if taken != 2 {
		t.Fatalf("%d of the 2 batches after the first were planned ahead", taken)
	}
	if len(got) != len(ids) || !slices.Equal(got, want) {
		t.Fatalf("patients merged with the batches planned ahead:\n%v\nwant, as planned one batch at a time:\n%v", got, want)
	}
}
