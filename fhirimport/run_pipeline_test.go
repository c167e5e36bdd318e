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

// overlapStore is memStore whose first ImportPatient waits until the
// mapper has begun the next patient, or gives up after a while.
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
