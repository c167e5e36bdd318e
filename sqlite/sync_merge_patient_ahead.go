package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"

	"outpost/internal/worker"
	"outpost/sync/apply"
)

// A join's first sign-in merges the practice's patients 500 at a time
// (apply.MergeTouched): a batch's versions are read, its patients planned
// on every core (sync_merge_patient_parallel.go), then its rows written one
// by one on the transaction's goroutine — with the other core idle, and
// the transaction's goroutine idle while the batch is planned. So once a
// batch of patients is planned, the next batch's versions are read as well
// and planned in the background while this batch writes; the next preload
// takes those versions and plans when its batch is the one read ahead.
//
// Reading the next batch before this one writes reads the same rows as
// after: the batches hold different records, the change log only grows,
// and nothing else writes in the transaction; what a batch's writes do
// change — the records rows, kept conflicts and MRN owners — is still read
// at that batch's own preload. Planning reads and writes nothing of the
// store. A batch read ahead that is not the next one preloaded (the lanes
// split differently) is dropped, and that batch is read as before.

// mergeAhead is one mergeTouched call's records and the batch of patients
// read ahead, if any.
type mergeAhead struct {
	touched []apply.Record
	batch   int                  // apply.Options.Batch: how many records a batch takes of touched
	at      map[apply.Record]int // each record's place in touched
	next    *aheadBatch
	taken   int // batches whose plans were made ahead (for tests)
}

// aheadBatch is a batch of patients read and being planned: plans[i] is
// ids[i]'s, complete once done is closed.
type aheadBatch struct {
	ids      []string
	versions map[apply.Record][]rawVersion
	plans    []plannedPatient
	done     chan struct{}
}

// take returns the batch read ahead if its records are ids, and drops it
// otherwise. A batch taken stays m.next until the next is read ahead, so
// that stop still waits for its planning if the merge fails before the
// plans are used.
func (m *mergeAhead) take(ids []string) *aheadBatch {
	if m == nil || m.next == nil {
		return nil
	}
	if !slices.Equal(m.next.ids, ids) {
		m.stop()
		return nil
	}
	return m.next
}

// stop waits for the planning still running: it uses the session's keys,
// which the caller may wipe once the merge returns.
func (m *mergeAhead) stop() {
	if m != nil && m.next != nil {
		<-m.next.done
		m.next = nil
	}
}

// nextPatients lists the patients of the batch apply.MergeTouched preloads
// after the one ending with last: the next m.batch records of touched.
func (m *mergeAhead) nextPatients(last apply.Record) []string {
	if m.at == nil {
		m.at = make(map[apply.Record]int, len(m.touched))
		for i, r := range m.touched {
			m.at[r] = i
		}
	}
	i, ok := m.at[last]
	if !ok {
		return nil
	}
	from := (i/m.batch + 1) * m.batch
	var ids []string
	for _, r := range m.touched[min(from, len(m.touched)):min(from+m.batch, len(m.touched))] {
		if r.Kind == kindPatient {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// readAhead reads the versions of the patients of the batch after batch
// and starts planning them in the background.
func (s *Session) readAhead(ctx context.Context, t *tx, batch []apply.Record) error {
	m := t.ahead
	if m == nil || len(batch) == 0 {
		return nil
	}
	m.stop()
	ids := m.nextPatients(batch[len(batch)-1])
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("read the next patients: %w", err)
	}
	p := &preloaded{versions: map[apply.Record][]rawVersion{}}
	if err := p.loadVersions(ctx, t, string(list)); err != nil {
		return fmt.Errorf("read the next patients: %w", err)
	}
	ah := &aheadBatch{ids: ids, versions: p.versions, done: make(chan struct{})}
	m.next = ah
	go func() {
		defer close(ah.done)
		// planEach keeps each patient's panic that patient's; one beyond
		// them leaves plans nil, and the batch is planned again in its turn.
		err := worker.Guard(func() error { ah.plans = s.planEach(ids, ah.versions); return nil })
		if err != nil {
			ah.plans = nil
			slog.Warn("plan the next patients ahead", "err", err)
		}
	}()
	return nil
}
