package sqlite

import (
	"context"
	"runtime"
	"slices"
	gosync "sync"
	"sync/atomic"
	"time"

	"outpost/chart"
	"outpost/internal/worker"
)

// A batch's records are sealed ahead: from the moment its transaction
// begins, all cores but one seal every checked patient's records in the
// order the writer will want them, patient after patient, while the
// store's goroutine matches, queries, writes and audits. Before, each
// patient's records were sealed only once the writer reached that
// patient's flush, so the sealers waited through each patient's matching,
// queries, demographics and audit, and the writer waited on the sealers
// at the start of each flush (docs/benchmarks.md, import24).
//
// A record is sealed ahead exactly as the writer would seal it: the same
// transaction time (t.now), user, version and origin, the same shape
// (import_write.go's shape functions), for the chart the patient's import
// is predicted to go to: the chart an import names (MatchTo), else the
// one its records' ids make (importedPatientID), which is where a new
// patient goes and where a patient already imported is found. The writer
// takes a record sealed ahead only when the patient went to that chart
// (take); otherwise (a match by identifier or by name and birth date to
// another chart) it seals the record itself, as before. A sealed record
// holds its chart's id, so one taken for the wrong chart would not open
// (openSealed); TestImportTakesSealedAheadOnlyWhatItWouldSeal holds the
// two to the same meta and record, deeply, and imports into a matched
// chart.
// Records the store already holds (a second import of the same files)
// are not sealed ahead: one query a batch finds them. Nor are a lab's
// results (ImportOptions.Lab), which never make a chart: they go to one
// matched, seldom the predicted one.
//
// What this costs when the prediction fails is CPU, never a record: a
// patient matched to another chart has its records sealed twice.

// sealAhead starts sealing the records of recs (checked, bad as
// checkImports gives them) inside t. stop must be called before t ends.
func (s *Session) sealAhead(ctx context.Context, t *tx, recs []chart.PatientRecords, bad []error,
	opts []chart.ImportOptions) (*sealingAhead, error) {
	a := &sealingAhead{s: s, patients: make([]*aheadPatient, len(recs))}
	var ids []any
	for i := range recs {
		if bad[i] == nil && !opts[i].Lab { // a lab's results go to a chart found by matching
			a.patients[i] = s.aheadPatient(t.now, recs[i], opts[i])
			for _, sl := range a.patients[i].order {
				ids = append(ids, string(sl.meta.ID))
			}
		}
	}
	present, err := findRecords(ctx, t, ids)
	if err != nil {
		return nil, err
	}
	for i, p := range a.patients {
		if p == nil {
			continue
		}
		p.batch, p.index = a, i
		for _, sl := range p.order {
			if present[sl.meta.ID] {
				delete(p.slots, sl.meta.ID) // written as before, if at all: not sealed ahead
				continue
			}
			sl.patient = i
			a.all = append(a.all, sl)
		}
	}
	// One core fewer than there are: the writer keeps one. With every
	// core sealing ahead, the sealers took the writer's turns (its SQL
	// took 0.3-0.4 s longer) and the import gained about 2% instead of
	// 5-7% (docs/benchmarks.md, import24). The writer's own patient gets
	// every core again (help).
	for range min(max(1, runtime.GOMAXPROCS(0)-1), len(a.all)) {
		a.wg.Go(func() {
			for !a.stopped.Load() {
				k := int(a.next.Add(1) - 1)
				if k >= len(a.all) {
					return
				}
				s.sealSlot(a.all[k])
			}
		})
	}
	return a, nil
}

// help seals the patient's records not yet begun on the cores the
// sealing ahead leaves to the writer, which is on this patient now and
// would otherwise wait for them one at a time (one patient of 25,000
// records: a 60 MB Bundle). It stops at the next patient's records; wait
// waits for it.
func (p *aheadPatient) help() (wait func()) {
	if p == nil {
		return func() {}
	}
	a := p.batch
	var wg gosync.WaitGroup
	for range runtime.GOMAXPROCS(0) - 1 {
		wg.Go(func() {
			for !a.stopped.Load() {
				k := a.next.Load()
				if k >= int64(len(a.all)) || a.all[k].patient > p.index {
					return
				}
				if a.next.CompareAndSwap(k, k+1) {
					a.s.sealSlot(a.all[k])
				}
			}
		})
	}
	return wg.Wait
}

// sealingAhead is a batch's records being sealed ahead: all of them in
// the writer's order, the next to seal at next.
type sealingAhead struct {
	s        *Session
	patients []*aheadPatient
	all      []*aheadSlot
	next     atomic.Int64
	stopped  atomic.Bool
	wg       gosync.WaitGroup
}

// aheadPatient is one patient's records sealed ahead for one chart.
type aheadPatient struct {
	batch *sealingAhead
	index int // in the batch
	chart chart.PatientID
	slots map[chart.RecordID]*aheadSlot
	order []*aheadSlot
}

// aheadSlot is one record sealed ahead: done is closed once sealed (or
// err says why not).
type aheadSlot struct {
	kind    string
	meta    *chart.Meta
	rec     any
	patient int // in the batch
	done    chan struct{}
	sealed  sealedRecord
	err     error
}

// Set by tests only: sealedAheadHook is told the batch position of the
// patient of each record sealed ahead; takenAheadHook is shown each
// record the writer takes sealed ahead beside the one it would have
// sealed itself.
var (
	sealedAheadHook func(patient int)
	takenAheadHook  func(sl *aheadSlot, p *pendingWrite)
)

// sealSlot seals one record ahead; a panic fails it as it fails a record
// the writer seals (flush).
func (s *Session) sealSlot(sl *aheadSlot) {
	if err := worker.Guard(func() error {
		sl.sealed, sl.err = sealRecord(s.key, sl.kind, sl.meta, sl.rec, nil)
		return nil
	}); err != nil {
		sl.err = sealPanicError(sl.kind, err)
	}
	close(sl.done)
	if sealedAheadHook != nil {
		sealedAheadHook(sl.patient)
	}
}

// stop ends the sealing ahead and waits for the records being sealed. A
// record not sealed by then is never waited for: the writer is done.
func (a *sealingAhead) stop() {
	a.stopped.Store(true)
	a.wg.Wait()
}

// patient is patient i's records sealed ahead, or nil.
func (a *sealingAhead) patient(i int) *aheadPatient {
	return a.patients[i]
}

// take hands the writer the record sealed ahead for p in chart, or nil
// when it was sealed for another chart, or not at all.
func (a *aheadPatient) take(p *pendingWrite, chart chart.PatientID) *aheadSlot {
	if a == nil || a.chart != chart {
		return nil
	}
	sl := a.slots[p.meta.ID]
	if sl == nil || sl.kind != p.kind {
		return nil
	}
	delete(a.slots, p.meta.ID)
	return sl
}

// aheadPatient lists a checked patient's records to seal ahead, each a
// copy given its imported meta and shape, through importKinds as the
// writer goes (import_write.go); a record whose id came before is left
// out (written once, the first).
func (s *Session) aheadPatient(now time.Time, in chart.PatientRecords, opts chart.ImportOptions) *aheadPatient {
	a := &aheadPatient{chart: opts.MatchTo, slots: map[chart.RecordID]*aheadSlot{}}
	if a.chart == "" {
		a.chart = s.importedPatientID(&in.Patient)
	}
	r := cloneRecords(in)
	for i := range r.Results { // linkAttachments appends: not into the writer's arrays
		r.Results[i].AttachmentIDs = slices.Clip(r.Results[i].AttachmentIDs)
	}
	linkAttachments(&r)
	for _, k := range importKinds {
		k.ahead(a, &r, now, s.user.ID)
	}
	return a
}

func aheadKind[T any, P recordPtr[T]](a *aheadPatient, kind string, recs []T, now time.Time, user chart.UserID,
	shape func(P, time.Time) rowFlags) {
	for i := range recs {
		rec := P(&recs[i])
		m := rec.RecordMeta()
		if _, twice := a.slots[m.ID]; twice {
			continue
		}
		importMeta(m, a.chart, now, user)
		if shape != nil {
			shape(rec, now)
		}
		sl := &aheadSlot{kind: kind, meta: m, rec: rec, done: make(chan struct{})}
		a.slots[m.ID], a.order = sl, append(a.order, sl)
	}
}
