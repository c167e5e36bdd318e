package sqlite

import (
	"fmt"

	"outpost/chart"
	"outpost/internal/worker"
	"outpost/sync/apply"
)

// A delta pull's merge (S3: 1,000 clinical records) planned each record
// in the transaction's goroutine: opening its new version (decrypt,
// inflate, JSON), building its row (a note's sealed summary) — a quarter
// of the pull's CPU, with the machine's other core idle. As for patients
// (sync_merge_patient_parallel.go), that work reads and writes nothing of
// the store once a batch's versions and rows are preloaded, so the
// preload plans every clinical record of the batch on every core
// (planKinds) and planKind takes the plan made. The rows are still
// written in the transaction's goroutine, in the same order. Each plan is
// what planKind made from the same preloaded versions and row: the same
// head, the same error. No plan is made after a write the preload did not
// see: a batch's rows are written only after its preload, and the
// preload (its plans with it) is released before the records are merged
// again one by one (apply.mergeIsolating).

// plannedKind is one clinical record of a preloaded batch, planned.
type plannedKind struct {
	head kindHead
	err  error
}

// plannedKind returns the plan made for record r at the preload, if any
// (p may be nil: no preload).
func (p *preloaded) plannedKind(r apply.Record) (plannedKind, bool) {
	if p == nil {
		return plannedKind{}, false
	}
	pl, ok := p.kinds[r]
	return pl, ok
}

// currentOf returns whether preloaded record r's current row is locked,
// and its head.
func (p *preloaded) currentOf(r apply.Record) (bool, chart.ChangeID, error) {
	c := p.current[r]
	return c.locked, chart.ChangeID(c.head), nil
}

// planKinds plans every clinical record of the preloaded batch, spread
// over the cores (openEach), into p.kinds.
func (s *Session) planKinds(p *preloaded, batch []apply.Record) {
	var recs []apply.Record
	for _, r := range batch {
		if _, ok := kindMergers[r.Kind]; ok && p.ids[r.ID] {
			recs = append(recs, r)
		}
	}
	if len(recs) == 0 {
		return
	}
	plans, _ := openEach(len(recs), func(i int) (plannedKind, error) {
		return s.planKindGuarded(p, recs[i]), nil
	})
	p.kinds = make(map[apply.Record]plannedKind, len(recs))
	for i, r := range recs {
		p.kinds[r] = plans[i]
	}
}

// planKindGuarded is planKindFrom on a worker goroutine: a panic there (a
// record no check foresaw) would end the app, nothing on that goroutine
// recovering it, so it becomes this record's error.
func (s *Session) planKindGuarded(p *preloaded, r apply.Record) (pl plannedKind) {
	err := worker.Guard(func() error {
		pl.head, pl.err = s.planKindFrom(r.Kind, r.ID, kindMergers[r.Kind], p.versions[r],
			func() (bool, chart.ChangeID, error) { return p.currentOf(r) })
		return nil
	})
	if err != nil {
		return plannedKind{err: fmt.Errorf("plan %s %s: %w", r.Kind, r.ID, err)}
	}
	return pl
}
