package fhirimport

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"outpost/chart"
)

// overlapStore is memStore whose first ImportPatient waits until mapping
// is closed (the mapper has begun the next patient; the next chunk has
// been read), or gives up after a while.
type overlapStore struct {
	*memStore
	mapping chan struct{}
	calls   atomic.Int32
	waited  atomic.Bool
}

func (s *overlapStore) ImportPatient(ctx context.Context, recs chart.PatientRecords, opts chart.ImportOptions) (chart.ImportOutcome, error) {
	if s.calls.Add(1) == 1 {
		select {
		case <-s.mapping:
			s.waited.Store(true)
		case <-time.After(5 * time.Second):
		}
	}
	return s.memStore.ImportPatient(ctx, recs, opts)
}

// The next patient is mapped while the store writes this one (the stages
// overlap), and the report is still that of one patient after another:
// every resource accounted for, every patient stored once, in order.
func TestRunMapsAheadOfTheStore(t *testing.T) {
	store := &overlapStore{memStore: newMemStore(), mapping: make(chan struct{})}
	var mapped atomic.Int32
	opts := RunOptions{Map: func(g PatientGroup, r Resolver, ids IDs) (chart.PatientRecords, []Outcome) {
		if mapped.Add(1) == 2 {
			close(store.mapping)
		}
		return MapPatient(g, r, ids)
	}}
	rep := run(t, store, opts, filepath.Join(testdata, "synthea/smart-synthea-2.4"))
	if !store.waited.Load() {
		t.Fatal("the second patient was not mapped while the first was being stored")
	}
	if rep.Patients.Created != 4 || store.patientCount() != 4 || store.calls.Load() != 4 {
		t.Fatalf("report %+v, stored %d in %d calls", rep.Patients, store.patientCount(), store.calls.Load())
	}
}

// A panic while a patient is mapped (now beside the store, where no
// caller could recover it) fails that patient only; the others import.
func TestRunMapperPanicFailsOnePatient(t *testing.T) {
	store := newMemStore()
	var n atomic.Int32
	opts := RunOptions{Map: func(g PatientGroup, r Resolver, ids IDs) (chart.PatientRecords, []Outcome) {
		if n.Add(1) == 2 {
			panic("a bug in the mapper")
		}
		return MapPatient(g, r, ids)
	}}
	rep := run(t, store, opts, filepath.Join(testdata, "synthea/smart-synthea-2.4"))
	if rep.Patients.Failed != 1 || rep.Patients.Created != 3 || store.patientCount() != 3 {
		t.Fatalf("report %+v, stored %d", rep.Patients, store.patientCount())
	}
	if !strings.Contains(strings.Join(failures(rep), "\n"), "this patient was not imported") {
		t.Fatalf("%d failures, none saying the patient was not imported", len(failures(rep)))
	}
}

// failures lists every failure the report's files give.
func failures(rep *chart.ImportReport) []string {
	var out []string
	for _, f := range rep.Files {
		for _, c := range f.Types {
			out = append(out, c.Errors...)
		}
	}
	return out
}

// aheadStore is batchStore whose first batch waits until the mapper has
// mapped the whole next batch (or gives up after a while).
type aheadStore struct {
	*batchStore
	nextMapped chan struct{}
	waited     bool
}

func (s *aheadStore) ImportPatients(ctx context.Context, recs []chart.PatientRecords, opts []chart.ImportOptions) (
	[]chart.ImportOutcome, []error, error) {
	if len(s.batches) == 0 {
		select {
		case <-s.nextMapped:
			s.waited = true
		case <-time.After(5 * time.Second):
		}
	}
	return s.batchStore.ImportPatients(ctx, recs, opts)
}

// While the store commits a batch, the mapper maps the whole next one:
// with only two patients mapped ahead, the store's turn left the mapper
// waiting, and the mapper's turn (the store takes nothing until its batch
// is full) left the store waiting with a core idle. The report is still
// one patient after another's.
func TestRunMapsANextBatchWhileOneCommits(t *testing.T) {
	dir := filepath.Join(testdata, "synthea")
	defer func(n, e int) { batchPatients, batchEntries = n, e }(batchPatients, batchEntries)
	batchPatients, batchEntries = 4, 1<<30 // two batches of the test's 8 patients
	want := run(t, newMemStore(), RunOptions{}, dir)
	store := &aheadStore{batchStore: &batchStore{memStore: newMemStore()}, nextMapped: make(chan struct{})}
	var mapped atomic.Int32
	opts := RunOptions{Map: func(g PatientGroup, r Resolver, ids IDs) (chart.PatientRecords, []Outcome) {
		if mapped.Add(1) == int32(2*batchPatients) {
			close(store.nextMapped)
		}
		return MapPatient(g, r, ids)
	}}
	got := run(t, store, opts, dir)
	if !store.waited {
		t.Fatal("the next batch was not mapped while the first was committed")
	}
	if a, b := totalsJSON(t, want), totalsJSON(t, got); a != b || want.Patients != got.Patients {
		t.Fatalf("report differs:\n%s %+v\nwithout waiting:\n%s %+v", b, got.Patients, a, want.Patients)
	}
}
