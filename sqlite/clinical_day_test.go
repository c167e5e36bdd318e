package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
)

// TestClinicDay walks one visit through the store: vitals, an allergy, a
// medication that needs an override, a note signed and then corrected by an
// addendum.
func TestClinicDay(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	enc := must(c.doc.SaveEncounter(ctxb, sampleEncounter(p)))(t)

	v := must(c.nurse.RecordVitals(ctxb, p, enc.ID, "2026-11-23T08:35", chart.VitalsEntry{
		Systolic: reading(150), Diastolic: reading(95), HeartRate: reading(88), Temperature: reading(38.4)}))(t)
	if len(v.Flags) == 0 || v.TakenBy != c.nurse.User().ID {
		t.Fatalf("vitals = %+v, want flags for BP and fever, taken by the nurse", v)
	}
	must(c.nurse.SaveAllergy(ctxb, sampleAllergy(p, "Penicillin")))(t)

	amox := sampleMed(p, "Amoxicillin 500 MG Oral Capsule")
	alerts := must(c.doc.CheckMedication(ctxb, amox))(t)
	if len(alerts) == 0 || alerts[0].Kind != chart.AlertDrugAllergy {
		t.Fatalf("alerts = %+v, want a drug-allergy alert", alerts)
	}
	before := tableCounts(t, c.w)
	_, err := c.doc.SaveMedication(ctxb, amox, "")
	wantErr(t, err, chart.EINVALID, "overrideReason")
	if after := tableCounts(t, c.w); after["records"] != before["records"] || after["changes"] != before["changes"] {
		t.Fatalf("refused medication changed rows: %v → %v", before, after)
	}
	med := must(c.doc.SaveMedication(ctxb, amox, "Rash was mild; discussed and agreed with patient"))(t)
	if med.Override == nil || len(med.Override.Alerts) == 0 || med.Override.By != c.doc.User().ID {
		t.Fatalf("saved medication override = %+v", med.Override)
	}
	if n := auditCount(t, c.w, chart.AuditCreate, p, chart.KindMedication); n != 1 {
		t.Fatalf("medication create audited %d times", n)
	}
	entries := must(c.admin.Audit(ctxb, chart.AuditFilter{PatientID: p, Action: chart.AuditCreate}))(t)
	if !containsDetail(entries, "safety override") {
		t.Fatalf("no audit entry mentions the override: %+v", entries)
	}

	draft := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, enc.ID, "Three days of sore throat.")))(t)
	draft.Sections[0].Text = "Three days of sore throat, no cough."
	draft = must(c.doc.SaveNoteDraft(ctxb, draft))(t) // autosave
	signed := must(c.doc.SignNote(ctxb, draft.ID, draft.Version))(t)
	if signed.Signature == nil || signed.Signature.ContentHash != noteContentHash(&signed) {
		t.Fatalf("signature = %+v", signed.Signature)
	}

	edit := signed
	edit.Sections[0].Text = "Rewritten history."
	_, err = c.doc.SaveNoteDraft(ctxb, edit)
	de := wantErr(t, err, chart.ECONFLICT, "")
	if !strings.Contains(de.Message, "addendum") {
		t.Fatalf("message %q does not point to an addendum", de.Message)
	}
	wantErr(t, c.doc.MarkEnteredInError(ctxb, chart.KindNote, signed.ID, "wrong patient"), chart.ECONFLICT, "")
	stored := must(c.doc.Note(ctxb, signed.ID))(t)
	if stored.Sections[0].Text != "Three days of sore throat, no cough." || stored.Version != signed.Version {
		t.Fatalf("signed note changed: %+v", stored)
	}
	_, err = c.w.db.Exec(`UPDATE records SET sealed = x'00' WHERE id = ?`, signed.ID)
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("raw UPDATE of a signed note: err = %v, want the trigger to refuse", err)
	}
	_, err = c.w.db.Exec(`DELETE FROM records WHERE id = ?`, signed.ID)
	if err == nil {
		t.Fatal("raw DELETE of a signed note succeeded")
	}
	_, err = c.w.db.Exec(`UPDATE changes SET sealed = x'00' WHERE record_id = ?`, signed.ID)
	if err == nil {
		t.Fatal("raw UPDATE of a signed note's change succeeded")
	}

	add := must(c.doc.StartAddendum(ctxb, signed.ID))(t)
	if add.AddendumTo != signed.ID || add.PatientID != p || add.Signed() {
		t.Fatalf("addendum = %+v", add)
	}
	add.Sections[0].Text = "Correction: temperature was taken after paracetamol."
	add = must(c.doc.SaveNoteDraft(ctxb, add))(t)
	add = must(c.doc.SignNote(ctxb, add.ID, add.Version))(t)
	if !add.Signed() {
		t.Fatal("addendum not signed")
	}
	_, err = c.doc.StartAddendum(ctxb, draftOf(t, c).ID)
	wantErr(t, err, chart.ECONFLICT, "")

	sum := must(c.doc.ChartSummary(ctxb, p))(t)
	if sum.AllergyStatus != chart.AllergiesListed || len(sum.Medications) != 1 || sum.LatestVitals == nil ||
		sum.LatestVitals.ID != v.ID || len(sum.Timeline) != 4 {
		t.Fatalf("summary = %+v", sum)
	}
	// The draft written without an encounter is dated when written (09:00),
	// after the 08:30 visit and its signed note and addendum.
	if first := sum.Timeline[0]; first.Kind != chart.KindNote || first.Status != "draft" {
		t.Fatalf("timeline[0] = %+v, want the newest (draft) note", first)
	}
	for i := 1; i < len(sum.Timeline); i++ {
		if sum.Timeline[i].At > sum.Timeline[i-1].At {
			t.Fatalf("timeline not newest first: %+v", sum.Timeline)
		}
	}
	if n := auditCount(t, c.w, chart.AuditChartOpen, p, kindPatient); n != 1 {
		t.Fatalf("chart open audited %d times", n)
	}
}

// draftOf saves a fresh unsigned note for the clinic's patient.
func draftOf(t *testing.T, c *clinic) chart.Note {
	t.Helper()
	return must(c.doc.SaveNoteDraft(ctxb, sampleNote(c.patient.ID, "", "draft text")))(t)
}

func containsDetail(entries []chart.AuditEntry, s string) bool {
	for _, e := range entries {
		if strings.Contains(e.Detail, s) {
			return true
		}
	}
	return false
}
