package fhirimport

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
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

// readAheadStore is memStore whose first ImportPatient feeds the next
// patient's file, a named pipe, and notes whether the import opened it to
// read meanwhile (the pipe's writer waits for a reader).
type readAheadStore struct {
	*memStore
	pipe      string
	data      []byte
	calls     atomic.Int32
	readAhead atomic.Bool
}

func (s *readAheadStore) ImportPatient(ctx context.Context, recs chart.PatientRecords, opts chart.ImportOptions) (chart.ImportOutcome, error) {
	if s.calls.Add(1) == 1 {
		select {
		case <-feed(s.pipe, s.data):
			s.readAhead.Store(true)
		case <-time.After(5 * time.Second): // the feed goes on: the pipe is read when its chunk comes
		}
	}
	return s.memStore.ImportPatient(ctx, recs, opts)
}

// feed writes data to the named pipe once a reader opens it.
func feed(pipe string, data []byte) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if f, err := os.OpenFile(pipe, os.O_WRONLY, 0); err == nil {
			f.Write(data)
			f.Close()
		}
	}()
	return done
}

// The next chunk's files are read while the store writes this chunk's
// patients: the second patient's file (a pipe, fed only while the first
// patient is being stored) is read then, and both import.
func TestRunReadsAheadOfTheStore(t *testing.T) {
	src := filepath.Join(testdata, "synthea/smart-synthea-2.4")
	dir := t.TempDir()
	first := must(os.ReadFile(filepath.Join(src, "32583b35-36a6-4e6b-9550-61203deda841.json.gz")))
	second := must(os.ReadFile(filepath.Join(src, "5c6db3d0-c0fc-4eb7-8eae-dbc7847be741.json.gz")))
	if err := os.WriteFile(filepath.Join(dir, "a.json.gz"), first, 0o600); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(dir, "b.json.gz")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	feed(pipe, second) // the first pass reads every file once
	store := &readAheadStore{memStore: newMemStore(), pipe: pipe, data: second}
	rep := run(t, store, RunOptions{GroupBytes: 1}, dir) // a chunk a patient
	if !store.readAhead.Load() {
		t.Fatal("the second patient's file was not read while the first patient was being stored")
	}
	if rep.Patients.Created != 2 || store.patientCount() != 2 {
		t.Fatalf("report %+v, stored %d", rep.Patients, store.patientCount())
	}
}
