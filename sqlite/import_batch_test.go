package sqlite

import (
	"testing"

	"outpost/chart"
)

// A batch commits together, but each patient is still whole or not at all:
// the patient in the middle whose procedure names an unknown visit leaves
// nothing behind, the ones around it are imported, each audited once, and
// the same person twice in one batch makes one chart, not two.
func TestImportPatientsKeepsEachPatientWholeAndMatchesWithinTheBatch(t *testing.T) {
	f, doc := importClinic(t)
	ids := doc.ImportIDs()
	broken := importBatch(ids, "b", "Rowan", "Pettigrew", false)
	broken.Procedures[0].EncounterID = chart.NewRecordID()
	again := importBatch(ids, "c", "quilla", "MARCHBANKS", false) // another source, same person as "a"
	recs := []chart.PatientRecords{importBatch(ids, "a", "Quilla", "Marchbanks", false), broken, again,
		importBatch(ids, "d", "Audrey", "Counted", false)}
	opts := make([]chart.ImportOptions, len(recs))
	for i := range opts {
		opts[i] = chart.ImportOptions{ImportID: "imp-1", File: "valley.json"}
	}
	auditBefore := countRows(t, f.w, "audit_log")
	outs, errs, err := doc.ImportPatients(ctxb, recs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[2] != nil || errs[3] != nil || errs[1] == nil {
		t.Fatalf("errors %v: want only the second patient refused (its procedure's visit is in no chart)", errs)
	}
	if !outs[0].Created || !outs[3].Created || outs[2].Created || outs[2].PatientID != outs[0].PatientID ||
		outs[2].Match != chart.MatchNameBirth {
		t.Fatalf("outcomes %+v: want the third merged into the first's chart by name and birth date", outs)
	}
	if n := countRows(t, f.w, "audit_log") - auditBefore; n != 3 {
		t.Fatalf("the batch wrote %d audit entries, want one per imported patient (3)", n)
	}
	if _, err := doc.OpenPatient(ctxb, chart.PatientID(ids("b|Patient/p1"))); chart.ErrorCode(err) != chart.ENOTFOUND {
		t.Fatalf("the refused patient: %v, want no chart", err)
	}
	if got := must(doc.SearchPatients(ctxb, "Pettigrew", 10))(t); len(got) != 0 {
		t.Fatalf("search finds %+v: the refused patient was left in the index", got)
	}
	for _, id := range []chart.PatientID{outs[0].PatientID, outs[3].PatientID} {
		if _, err := doc.OpenPatient(ctxb, id); err != nil {
			t.Fatalf("patient %s of the batch: %v", id, err)
		}
	}
}
