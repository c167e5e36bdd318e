package sqlite

import (
	"context"
	"fmt"
	"slices"

	"outpost/internal/worker"
	"outpost/sync/apply"
)

// A join's first sign-in merges every patient of the practice before the
// chart is usable, on one core: opening each version (decrypt, inflate,
// decode) and merging it was a quarter of its CPU at 2,000 patients, with
// the machine's other core idle. That work reads and writes nothing of the
// store, so once a batch's versions are preloaded its patients are planned
// on every core (planPatients) and planPatient takes the plan made; the
// rows are still written one by one, in the transaction's goroutine and in
// the same order, as before. Each plan is what planPatient made from the
// same preloaded versions: same head, same error.

// plannedPatient is one patient of a preloaded batch, planned.
type plannedPatient struct {
	head  patientHead
	ready bool
	err   error
	tag   []byte // the MRN's tag (nil: no MRN; sync_merge_patient_mrn.go)
}

// plannedPatient returns the plan made for patient record id at the
// preload, if any (p may be nil: no preload).
func (p *preloaded) plannedPatient(id string) (plannedPatient, bool) {
	if p == nil {
		return plannedPatient{}, false
	}
	pl, ok := p.patients[id]
	return pl, ok
}

// planPatients plans every patient record of the preloaded batch, spread
// over the cores (openEach), into p.patients, then reads who holds their
// MRNs (loadMRNOwners).
func (s *Session) planPatients(ctx context.Context, t *tx, p *preloaded, batch []apply.Record) error {
	var ids []string
	for _, r := range batch {
		if r.Kind == kindPatient && p.ids[r.ID] {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var plans []plannedPatient
	if ah := p.ahead; ah != nil && slices.Equal(ah.ids, ids) { // planned while the batch before wrote
		<-ah.done
		if plans = ah.plans; plans != nil {
			t.ahead.taken++
		}
	}
	if plans == nil {
		plans = s.planEach(ids, p.versions)
	}
	p.patients = make(map[string]plannedPatient, len(ids))
	for i, id := range ids {
		p.patients[id] = plans[i]
	}
	if err := loadMRNOwners(ctx, t, p); err != nil {
		return err
	}
	return s.readAhead(ctx, t, batch)
}

// planEach plans the patients ids from their versions, spread over the
// cores. Each patient's failure, a panic included, stays that patient's
// (planPatientGuarded): openEach's first error never fires.
func (s *Session) planEach(ids []string, versions map[apply.Record][]rawVersion) []plannedPatient {
	plans, _ := openEach(len(ids), func(i int) (plannedPatient, error) {
		return s.planPatientGuarded(ids[i], versions[apply.Record{Kind: kindPatient, ID: ids[i]}]), nil
	})
	return plans
}

// planPatientGuarded is planPatientFrom on a worker goroutine, with the
// MRN's tag: a panic there (a record no check foresaw) would end the app,
// nothing on that goroutine recovering it, so it becomes this patient's
// error, as a version that fails to open would be.
func (s *Session) planPatientGuarded(id string, raws []rawVersion) (pl plannedPatient) {
	err := worker.Guard(func() error {
		pl.head, pl.ready, pl.err = s.planPatientFrom(id, raws)
		if pl.ready && pl.err == nil && pl.head.patient.MRN != "" {
			pl.tag = mrnTag(s.mrnKey, pl.head.patient.MRN)
		}
		return nil
	})
	if err != nil {
		return plannedPatient{err: fmt.Errorf("plan patient %s: %w", id, err)}
	}
	return pl
}
