package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
)

// TestNoPlaintextClinicalDataOnDisk saves distinctive clinical content and
// looks for it in every file of the store, open and closed.
func TestNoPlaintextClinicalDataOnDisk(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	secrets := []string{"Quinquefolia", "Zanzibarine", "Mothwing", "Glaucous murmur", "Brindleford", "Amoxicillin",
		"Penicillin", "Xylocrane"}
	enc := sampleEncounter(p)
	enc.Reason, enc.Location = "Glaucous murmur review", "Brindleford farm"
	enc = must(c.doc.SaveEncounter(ctxb, enc))(t)
	must(c.nurse.SaveAllergy(ctxb, sampleAllergy(p, "Penicillin")))(t)
	must(c.doc.SaveAllergy(ctxb, sampleAllergy(p, "Mothwing pollen")))(t)
	must(c.doc.SaveMedication(ctxb, sampleMed(p, "Amoxicillin 500 MG Oral Capsule"), "Quinquefolia override reason"))(t)
	must(c.doc.SaveMedication(ctxb, sampleMed(p, "Zanzibarine 5 MG Oral Tablet"), ""))(t)
	note := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, enc.ID, "Patient reports Xylocrane exposure.")))(t)
	must(c.doc.SignNote(ctxb, note.ID, note.Version))(t)
	must(c.doc.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p}, Condition: chart.Coded{Display: "Glaucous murmur"}}))(t)
	must(c.doc.ChartSummary(ctxb, p))(t)
	must(c.doc.RecordHistory(ctxb, chart.KindNote, note.ID))(t)

	files := scanForSecrets(t, c.dir, secrets)
	if !containsSuffix(files, "-wal") {
		t.Fatalf("expected a -wal file while open, scanned %v", files)
	}
	if err := c.w.Close(); err != nil {
		t.Fatal(err)
	}
	scanForSecrets(t, c.dir, secrets)
}

// TestTamperedNoteFailsAlone flips a byte of a signed note (after dropping
// the lock trigger, as someone editing the file could) and expects
// EINTEGRITY naming the note when it is opened, a placeholder for it in the
// note list, while other charts still open. The chart summary reads the
// note's sealed summary, so flipping a byte there makes the timeline show
// the note's placeholder, and the chart open is audited once, naming it.
func TestTamperedNoteFailsAlone(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	bystander := register(t, c.desk, samplePatient("Safe", "Bystander"))
	must(c.doc.SaveAllergy(ctxb, sampleAllergy(bystander.ID, "Latex")))(t)
	note := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, "", "Original words.")))(t)
	note = must(c.doc.SignNote(ctxb, note.ID, note.Version))(t)
	if _, err := c.w.db.Exec(`DROP TRIGGER records_locked_no_update`); err != nil {
		t.Fatal(err)
	}
	flipByte(t, c.w, "sealed", note.ID)
	_, err := c.doc.Note(ctxb, note.ID)
	wantIntegrityNaming(t, err, note.ID)
	if notes, err := c.doc.Notes(ctxb, p); err != nil || len(notes) != 1 || notes[0].ID != note.ID || !notes[0].IsDamaged() {
		t.Fatalf("notes = %+v, %v; want the note's placeholder", notes, err)
	}
	flipByte(t, c.w, "sealed_summary", note.ID)
	sum, err := c.doc.ChartSummary(ctxb, p)
	if err != nil || len(sum.Timeline) != 1 || sum.Timeline[0].ID != note.ID || sum.Timeline[0].Damaged == "" {
		t.Fatalf("summary timeline = %+v, %v; want the note's placeholder", sum.Timeline, err)
	}
	if sum, err := c.doc.ChartSummary(ctxb, bystander.ID); err != nil || len(sum.Allergies) != 1 {
		t.Fatalf("bystander summary = %+v, %v", sum, err)
	}
	if n := auditCount(t, c.w, chart.AuditChartOpen, p, kindPatient); n != 1 {
		t.Fatalf("chart open audited %d times, want 1", n)
	}
}

func flipByte(t *testing.T, w *Workstation, column string, id chart.RecordID) {
	t.Helper()
	var blob []byte
	if err := w.db.QueryRow(`SELECT `+column+` FROM records WHERE id = ?`, id).Scan(&blob); err != nil {
		t.Fatal(err)
	}
	blob[len(blob)/2] ^= 0x01
	if _, err := w.db.Exec(`UPDATE records SET `+column+` = ? WHERE id = ?`, blob, id); err != nil {
		t.Fatal(err)
	}
}

func wantIntegrityNaming(t *testing.T, err error, id chart.RecordID) {
	t.Helper()
	de := wantErr(t, err, chart.EINTEGRITY, "")
	if !strings.Contains(de.Message, string(id)) {
		t.Fatalf("message %q does not name record %s", de.Message, id)
	}
}

// TestRewrittenSignedNoteFailsItsSignature re-seals a signed note with
// other text (as a bug holding the key might) and expects the signature
// check on read to catch it.
func TestRewrittenSignedNoteFailsItsSignature(t *testing.T) {
	c := newClinic(t)
	note := must(c.doc.SaveNoteDraft(ctxb, sampleNote(c.patient.ID, "", "What was signed.")))(t)
	note = must(c.doc.SignNote(ctxb, note.ID, note.Version))(t)
	var head chart.ChangeID
	c.w.db.QueryRow(`SELECT head_change_id FROM records WHERE id = ?`, note.ID).Scan(&head)
	note.Sections[0].Text = "What was not signed."
	forged, err := sealClinical(c.doc.key, chart.KindNote, &note.Meta, &note, head)
	if err != nil {
		t.Fatal(err)
	}
	c.w.db.Exec(`DROP TRIGGER records_locked_no_update`)
	if _, err := c.w.db.Exec(`UPDATE records SET sealed = ? WHERE id = ?`, forged, note.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.doc.Note(ctxb, note.ID)
	wantErr(t, err, chart.EINTEGRITY, "")
}
