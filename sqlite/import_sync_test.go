package sqlite

import (
	"testing"

	"outpost/chart"
)

// TestImportedRecordsSync imports a patient on A and checks B, after a
// sync, holds the same chart: procedures and originals (the new kinds),
// the note signed and locked, the outside result awaiting review with its
// attachment, and the identifiers that match the next import; and that
// the server holds none of it in clear.
func TestImportedRecordsSync(t *testing.T) {
	c := newSyncedClinic(t)
	batch := importBatch(c.docA.ImportIDs(), "s", "Winifred", "Ashcombe", true)
	out := must(c.docA.ImportPatient(ctxb, batch, chart.ImportOptions{ImportID: "imp-s", File: "valley.json"}))(t)
	c.roundTrip(t)

	want := must(c.docA.PatientRecords(ctxb, out.PatientID, "sync test"))(t)
	got := must(c.docB.PatientRecords(ctxb, out.PatientID, "sync test"))(t)
	if len(got.Procedures) != 1 || len(got.Sources) != 1 || got.Sources[0].NDJSON != want.Sources[0].NDJSON ||
		got.Procedures[0].Code != want.Procedures[0].Code || len(got.Attachments) != 1 ||
		len(got.Patient.Identifiers) != 1 {
		t.Fatalf("B holds %+v\nwant %+v", got, want)
	}
	wantLocked(t, c.docB, batch.Notes[0].ID, true)
	if rs := must(c.docB.ResultsToReview(ctxb))(t); len(rs) != 1 || rs[0].Origin == nil || !rs[0].Origin.External {
		t.Fatalf("B's results to review %+v", rs)
	}
	// Importing the same file on B adds nothing: the ids are the practice's.
	again := must(c.docB.ImportPatient(ctxb, importBatch(c.docB.ImportIDs(), "s", "Winifred", "Ashcombe", true),
		chart.ImportOptions{}))(t)
	if again.PatientID != out.PatientID || len(again.Imported) != 0 {
		t.Fatalf("B's import of the same file %+v, want nothing new in %s", again, out.PatientID)
	}
	wantNoPlaintext(t, c.server.dir, []string{"Winifred", "Ashcombe", "Bone immobilization", "Wrist strapped", "Claim"})
}
