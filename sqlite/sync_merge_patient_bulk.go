package sqlite

import (
	"context"

	"outpost/chart"
	"outpost/sync/apply"
)

// A join's first sign-in merges every patient of the practice. Under the
// batch savepoint (mergeIsolating) SQLite kept a statement journal of
// every page the batch wrote and freed it at the savepoint's release,
// chunk by chunk: at 2,000 patients a fifth of the sign-in's CPU, with one
// query per patient for its versions besides. As for clinical records
// (sync_apply_bulk.go), a batch of patients is now read in one preload
// and merged first, writing nothing; only when every one of them merged
// are their rows written, straight into the transaction. If one fails on
// its own account, nothing has been written and the batch takes the
// savepoint path, which holds the bad record back and merges the rest.

// splitPatients splits the records mergeTouched merges under a savepoint
// into the patients, which mergePatients may write without one, and the
// rest. With bulkMerge off (tests comparing the two paths) every record
// stays on the savepoint path.
func splitPatients(batch []touchedRecord) (patients, rest []touchedRecord) {
	if !bulkMerge {
		return nil, batch
	}
	for _, r := range batch {
		if r.Kind == kindPatient {
			patients = append(patients, r)
		} else {
			rest = append(rest, r)
		}
	}
	return patients, rest
}

// mergePatients merges a batch of patient records, in bulk when every one
// of them merges, through mergeIsolating otherwise.
func (s *Session) mergePatients(ctx context.Context, t *tx, batch []touchedRecord, fresh map[touchedRecord][]chart.ChangeID) (
	merged []chart.Patient, conflicts, held int, err error) {
	merged, conflicts, ok, err := s.mergePatientsBulk(ctx, t, batch)
	if err != nil || ok {
		return merged, conflicts, 0, err
	}
	return s.mergeIsolating(ctx, t, batch, fresh)
}

// mergePatientsBulk merges a batch of patient records without a
// savepoint. ok is false, with nothing written, when one of them fails
// for its own fault.
func (s *Session) mergePatientsBulk(ctx context.Context, t *tx, batch []touchedRecord) (
	merged []chart.Patient, conflicts int, ok bool, err error) {
	if len(batch) == 0 {
		return nil, 0, true, nil
	}
	pre, err := preload(ctx, t, batch)
	if err != nil {
		return nil, 0, false, err
	}
	t.pre = pre
	defer func() { t.pre = nil }()
	heads := make([]patientHead, 0, len(batch))
	for _, r := range batch {
		h, ready, err := s.planPatient(ctx, t, r.ID)
		if _, isHeld := apply.AsHeld(err); isHeld {
			return nil, 0, false, nil
		}
		if err != nil {
			return nil, 0, false, err
		}
		if ready {
			heads = append(heads, h)
		}
	}
	for _, h := range heads {
		if err := s.setPatientHead(ctx, t, h); err != nil {
			return nil, 0, false, err
		}
		merged = append(merged, h.patient)
		conflicts += len(h.conflicts)
	}
	return merged, conflicts, true, nil
}
