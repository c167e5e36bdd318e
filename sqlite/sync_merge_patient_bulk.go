package sqlite

import (
	"context"

	"outpost/chart"
)

// A join's first sign-in merges every patient of the practice. Under the
// batch savepoint SQLite kept a statement journal of every page the batch
// wrote and freed it at the savepoint's release, chunk by chunk: at 2,000
// patients a fifth of the sign-in's CPU, with one query per patient for
// its versions besides. As for clinical records (sync_apply_bulk.go), a
// batch of patients is now read in one preload and merged first, writing
// nothing; only when every one of them merged are their rows written,
// straight into the transaction (apply.MergeTouched, the patients' lane).
// If one fails on its own account, nothing has been written and the batch
// takes the savepoint path, which holds the bad record back and merges
// the rest.

// patientPlan is a patient record planned (planPatient) and not yet
// written.
type patientPlan struct {
	a applyTx
	h patientHead
}

func (p patientPlan) Write(ctx context.Context) (*chart.Patient, int, error) {
	if err := p.a.s.setPatientHead(ctx, p.a.t, p.h); err != nil {
		return nil, 0, err
	}
	return &p.h.patient, len(p.h.conflicts), nil
}
