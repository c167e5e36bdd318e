package fhirimport

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"outpost/chart"
)

// batchStore is memStore committing several patients at a time, as the
// sqlite store does: it notes the batches and how many patients it has
// committed, and may fail a whole batch (the disk) once.
type batchStore struct {
	*memStore
	batches  []int
	failOnce bool
}

func (s *batchStore) ImportPatients(ctx context.Context, recs []chart.PatientRecords, opts []chart.ImportOptions) (
	[]chart.ImportOutcome, []error, error) {
	if s.failOnce {
		s.failOnce = false
		return nil, nil, context.DeadlineExceeded // nothing of the batch written
	}
	s.batches = append(s.batches, len(recs))
	outs, errs := make([]chart.ImportOutcome, len(recs)), make([]error, len(recs))
	for i := range recs {
		outs[i], errs[i] = s.ImportPatient(ctx, recs[i], opts[i])
	}
	return outs, errs, nil
}

// With a store that commits batches, several patients share a commit; the
// report is the same as one patient at a time (a patient the store refuses
// still fails alone), and the progress never counts a patient before its
// batch is committed. A batch that fails whole is retried a patient at a
// time.
func TestRunBatchesPatientsAndReportsOnlyCommittedOnes(t *testing.T) {
	dir := filepath.Join(testdata, "synthea")
	defer func(n, e int) { batchPatients, batchEntries = n, e }(batchPatients, batchEntries)
	batchPatients, batchEntries = 3, 1<<30 // the test's 8 patients are big: batch them by count
	names := familyNames(t, dir)
	single := newMemStore()
	single.failFamily = names[1]
	want := run(t, single, RunOptions{}, dir)

	store := &batchStore{memStore: newMemStore(), failOnce: true}
	store.failFamily = names[1]
	var early []int
	got := run(t, store, RunOptions{Progress: func(p chart.ImportProgress) {
		if p.Patients > len(store.calls) {
			early = append(early, p.Patients)
		}
	}}, dir)
	if len(store.batches) == 0 || len(store.batches) >= len(names) {
		t.Fatalf("batches %v for %d patients: want several patients a batch", store.batches, len(names))
	}
	if len(early) > 0 {
		t.Fatalf("progress counted patients %v before the store had them", early)
	}
	if a, b := totalsJSON(t, want), totalsJSON(t, got); a != b || want.Patients != got.Patients {
		t.Fatalf("batched report differs:\n%s %+v\none at a time:\n%s %+v", b, got.Patients, a, want.Patients)
	}
}

func totalsJSON(t *testing.T, rep *chart.ImportReport) string {
	b, err := json.Marshal(rep.Totals)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A run cancelled in the middle of a batch stops before it: the patients
// of the open batch are skipped as cancelled, not sent to the store.
func TestRunBatchesCancelBetweenBatches(t *testing.T) {
	defer func(n, e int) { batchPatients, batchEntries = n, e }(batchPatients, batchEntries)
	batchPatients, batchEntries = 3, 1<<30
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := &batchStore{memStore: newMemStore()}
	rep, err := Run(ctx, []string{filepath.Join(testdata, "synthea")}, store, RunOptions{Progress: func(p chart.ImportProgress) {
		if p.Patients == 3 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, rep)
	if !rep.Cancelled || store.patientCount() != 3 || rep.Patients.Created != 3 || rep.Patients.Failed != 0 {
		t.Fatalf("cancelled %v, stored %d, report %+v", rep.Cancelled, store.patientCount(), rep.Patients)
	}
}
