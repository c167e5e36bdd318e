package sqlite

import (
	"errors"
	"reflect"
	gosync "sync"
	"testing"
	"time"

	"outpost/chart"
)

// The records of the batch's second patient are sealed while the writer
// is still on the first: the writer's first record waits (up to 5 s) for
// one of them. When each patient's records were sealed only once the
// writer reached that patient, the wait ran out and failed the patient.
func TestImportSealsLaterPatientsWhileTheWriterWrites(t *testing.T) {
	_, doc := importClinic(t)
	ids := doc.ImportIDs()
	recs := []chart.PatientRecords{importBatch(ids, "a", "Quilla", "Marchbanks", false),
		importBatch(ids, "d", "Audrey", "Counted", false)}
	opts := []chart.ImportOptions{{ImportID: "imp-1"}, {ImportID: "imp-1"}}
	second := make(chan struct{})
	var once gosync.Once
	sealedAheadHook = func(patient int) {
		if patient == 1 {
			once.Do(func() { close(second) })
		}
	}
	waited := false
	importFault = func(string) error {
		if waited {
			return nil
		}
		waited = true
		select {
		case <-second:
			return nil
		case <-time.After(5 * time.Second):
			return errors.New("the second patient's records were not sealed while the first's were written")
		}
	}
	t.Cleanup(func() { sealedAheadHook, importFault = nil, nil })
	outs, errs, err := doc.ImportPatients(ctxb, recs, opts)
	if err != nil || errs[0] != nil || errs[1] != nil {
		t.Fatalf("import: %v %v", err, errs)
	}
	if !outs[0].Created || !outs[1].Created {
		t.Fatalf("outcomes %+v", outs)
	}
}

// What the writer takes sealed ahead is what it would have sealed itself:
// the same meta and the same record, deeply, for every kind the batch
// holds (notes signed, results reviewed or awaiting review, attachments
// linked, a record given twice written once). A patient matched to
// another chart (by name and birth date) takes nothing sealed ahead for
// the chart it was predicted to go to; one imported again has nothing
// sealed ahead (its records are present). Every chart opens whole after.
func TestImportTakesSealedAheadOnlyWhatItWouldSeal(t *testing.T) {
	_, doc := importClinic(t)
	ids := doc.ImportIDs()
	migrated := importBatch(ids, "b", "Rowan", "Pettigrew", false)
	external := importBatch(ids, "e", "Esme", "Outwith", true)
	twice := external.Problems[0]
	twice.Onset = "2001" // the same id again: the first is written
	external.Problems = append(external.Problems, twice)
	again := importBatch(ids, "c", "quilla", "MARCHBANKS", false) // the first patient, from another source
	first := importBatch(ids, "a", "Quilla", "Marchbanks", false)
	taken := map[chart.RecordID]int{}
	takenAheadHook = func(sl *aheadSlot, p *pendingWrite) {
		taken[p.meta.ID]++
		if sl.kind != p.kind || !reflect.DeepEqual(*sl.meta, *p.meta) || !reflect.DeepEqual(sl.rec, p.rec) {
			t.Errorf("%s %s sealed ahead as\n%+v %+v\nthe writer's:\n%+v %+v", p.kind, p.meta.ID, *sl.meta, sl.rec, *p.meta, p.rec)
		}
	}
	t.Cleanup(func() { takenAheadHook = nil })
	recs := []chart.PatientRecords{first, migrated, external, again}
	opts := make([]chart.ImportOptions, len(recs))
	outs, errs, err := doc.ImportPatients(ctxb, recs, opts)
	if err != nil || errors.Join(errs...) != nil {
		t.Fatalf("import: %v %v", err, errs)
	}
	if outs[3].Created || outs[3].PatientID != outs[0].PatientID {
		t.Fatalf("outcomes %+v: want the fourth matched to the first's chart", outs)
	}
	written := func(r chart.PatientRecords) []chart.RecordID {
		return []chart.RecordID{r.Encounters[0].ID, r.Problems[0].ID, r.Results[0].ID, r.Notes[0].ID,
			r.Procedures[0].ID, r.Sources[0].ID}
	}
	for _, r := range []chart.PatientRecords{first, migrated, external} {
		for _, id := range written(r) {
			if taken[id] != 1 {
				t.Errorf("record %s of %s taken sealed ahead %d times, want once", id, r.Patient.GivenName, taken[id])
			}
		}
	}
	for _, id := range written(again) {
		if taken[id] != 0 {
			t.Errorf("record %s of the matched patient was taken sealed for the chart it did not go to", id)
		}
	}
	if len(taken) != 3*len(written(first)) {
		t.Errorf("%d records taken sealed ahead, want %d", len(taken), 3*len(written(first)))
	}
	clear(taken)
	if outs, errs, err := doc.ImportPatients(ctxb, recs[:2], opts[:2]); err != nil || errors.Join(errs...) != nil ||
		outs[0].Imported[chart.KindResult] != 0 {
		t.Fatalf("the same patients again: %+v %v %v", outs, err, errs)
	}
	if len(taken) != 0 {
		t.Errorf("records already held were sealed ahead and taken: %v", taken)
	}
	for i, want := range []int{2, 1, 1} { // the first chart holds the matched patient's records too
		got := must(doc.PatientRecords(ctxb, outs[i].PatientID, "check the import"))(t)
		if len(got.Results) != want || len(got.Notes) != want || len(got.Sources) != want || len(got.Problems) != want {
			t.Errorf("chart %d opens with %d results, %d notes, %d sources, %d problems; want %d each",
				i, len(got.Results), len(got.Notes), len(got.Sources), len(got.Problems), want)
		}
	}
	got := must(doc.PatientRecords(ctxb, outs[2].PatientID, "check the import"))(t)
	if got.Problems[0].Onset == "2001" {
		t.Errorf("the problem given twice was written from its second copy")
	}
}
