package fhirimport

import (
	"path/filepath"
	"sync/atomic"
	"testing"
)

// Once a chunk is all mapped, the next chunk's files are read while the
// store is still writing this one's last patients: the reading no longer
// waits for the store, with a core idle. The report is still that of one
// chunk after another.
func TestRunReadsNextChunkWhileOneCommits(t *testing.T) {
	dir := filepath.Join(testdata, "synthea")
	want := run(t, newMemStore(), RunOptions{GroupBytes: 1}, dir)
	store := &overlapStore{memStore: newMemStore(), mapping: make(chan struct{})} // waits for the signal
	var reads atomic.Int32
	afterChunkRead = func() {
		if reads.Add(1) == 2 { // the first chunk's, then the next one's
			close(store.mapping)
		}
	}
	defer func() { afterChunkRead = nil }()
	got := run(t, store, RunOptions{GroupBytes: 1}, dir) // a chunk a patient
	if !store.waited.Load() {
		t.Fatal("the next chunk was not read while the first chunk's patient was stored")
	}
	if a, b := totalsJSON(t, want), totalsJSON(t, got); a != b || want.Patients != got.Patients {
		t.Fatalf("report differs:\n%s %+v\nwithout waiting:\n%s %+v", b, got.Patients, a, want.Patients)
	}
	if int(store.calls.Load()) != store.patientCount() || store.patientCount() != want.Patients.Created {
		t.Fatalf("%d calls, %d stored, %d created", store.calls.Load(), store.patientCount(), want.Patients.Created)
	}
}
