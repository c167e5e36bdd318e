package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
)

func TestRenewMedicationLinksANewPrescription(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	prev := sampleMed(p, "Lisinopril 10 MG Oral Tablet")
	prev.Quantity, prev.Refills = "30", 2
	prev = must(c.doc.SaveMedication(ctxb, prev, ""))(t)
	enc := c.todaysEncounter(t, c.doc)

	next := chart.Medication{Drug: chart.Coded{Display: "ignored: a renewal keeps the drug"}, Dose: "20", Unit: "mg",
		Route: "oral", Frequency: "once daily", Quantity: "90", Refills: 1, DaysSupply: 90, EncounterID: enc.ID}
	// A nurse may not prescribe, so may not renew.
	_, err := c.nurse.RenewMedication(ctxb, chart.MedicationRenewal{PreviousID: prev.ID, PreviousVersion: prev.Version, Medication: next})
	wantErr(t, err, chart.EFORBIDDEN, "source")

	r := must(c.doc.RenewMedication(ctxb, chart.MedicationRenewal{PreviousID: prev.ID, PreviousVersion: prev.Version, Medication: next}))(t)
	if r.Drug != prev.Drug || r.RenewalOf != prev.ID || r.Dose != "20" || r.DaysSupply != 90 || r.Status != chart.MedActive ||
		r.EncounterID != enc.ID || r.PrescriberName != "Staff cleo" || r.Override != nil {
		t.Fatalf("renewal = %+v", r)
	}
	meds := must(c.doc.Medications(ctxb, p))(t)
	if len(meds) != 2 || meds[0].Status != chart.MedCompleted || meds[0].RenewedBy != r.ID || meds[0].Version != 2 {
		t.Fatalf("previous after renewal = %+v", meds[0])
	}
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); len(sum.Medications) != 1 || sum.Medications[0].ID != r.ID {
		t.Fatalf("active list = %+v, want the renewal only", sum.Medications)
	}
	if n := auditCount(t, c.w, chart.AuditUpdate, p, chart.KindMedication); n != 1 {
		t.Fatalf("previous medication's update audited %d times", n)
	}
	// Renewing the old one again would put the drug twice on the list.
	_, err = c.doc.RenewMedication(ctxb, chart.MedicationRenewal{PreviousID: prev.ID, PreviousVersion: 2, Medication: next})
	wantErr(t, err, chart.ECONFLICT, "")
	_, err = c.doc.RenewMedication(ctxb, chart.MedicationRenewal{PreviousID: r.ID, PreviousVersion: 7, Medication: next})
	wantErr(t, err, chart.ECONFLICT, "")

	// An ordinary edit cannot forge or drop the links.
	edit := r
	edit.RenewalOf, edit.Instructions = "", "With food"
	edit = must(c.doc.SaveMedication(ctxb, edit, ""))(t)
	if edit.RenewalOf != prev.ID {
		t.Fatalf("edit dropped the renewal link: %+v", edit)
	}
}

func TestRenewalRunsTheSafetyChecks(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	prev := must(c.doc.SaveMedication(ctxb, sampleMed(p, "Amoxicillin 500 MG Oral Capsule"), ""))(t)
	must(c.doc.SaveAllergy(ctxb, sampleAllergy(p, "Penicillin")))(t)
	req := chart.MedicationRenewal{PreviousID: prev.ID, PreviousVersion: prev.Version, Medication: chart.Medication{Dose: "500", Unit: "mg"}}
	before := tableCounts(t, c.w)
	_, err := c.doc.RenewMedication(ctxb, req)
	wantErr(t, err, chart.EINVALID, "overrideReason")
	if after := tableCounts(t, c.w); after["changes"] != before["changes"] {
		t.Fatal("a refused renewal marked the previous prescription renewed")
	}
	req.OverrideReason = "Tolerated a full course in 2025."
	r := must(c.doc.RenewMedication(ctxb, req))(t)
	if r.Override == nil || r.Override.Reason != req.OverrideReason {
		t.Fatalf("override not kept: %+v", r.Override)
	}
}

func TestStopMedicationWithADateAndReason(t *testing.T) {
	c := newClinic(t)
	m := must(c.doc.SaveMedication(ctxb, sampleMed(c.patient.ID, "Ibuprofen 400 MG Oral Tablet"), ""))(t)
	_, err := c.nurse.StopMedication(ctxb, chart.MedicationStop{ID: m.ID, Version: m.Version})
	wantErr(t, err, chart.EINVALID, "stopReason")
	stopped := must(c.nurse.StopMedication(ctxb, chart.MedicationStop{ID: m.ID, Version: m.Version, Reason: "Indigestion"}))(t)
	if stopped.Status != chart.MedStopped || stopped.StopReason != "Indigestion" || stopped.StopDate != "2026-11-23" || stopped.Version != 2 {
		t.Fatalf("stopped = %+v", stopped)
	}
	_, err = c.doc.StopMedication(ctxb, chart.MedicationStop{ID: m.ID, Version: 2, Reason: "again"})
	wantErr(t, err, chart.ECONFLICT, "")
	_, err = c.desk.StopMedication(ctxb, chart.MedicationStop{ID: m.ID, Version: 2, Reason: "x"})
	wantErr(t, err, chart.EFORBIDDEN, "")
}

func TestReconcileMedicationsAllOrNothing(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	keep := must(c.doc.SaveMedication(ctxb, sampleMed(p, "Metformin 500 MG Oral Tablet"), ""))(t)
	change := must(c.doc.SaveMedication(ctxb, sampleMed(p, "Atorvastatin 20 MG Oral Tablet"), ""))(t)
	reported := sampleMed(p, "Vitamin D3 1000 UNT Oral Tablet")
	reported.Source = chart.MedPatientReported
	stop := must(c.nurse.SaveMedication(ctxb, reported, ""))(t)

	reviews := []chart.MedicationReview{
		{ID: keep.ID, Version: keep.Version, Decision: chart.ReviewKeep},
		{ID: change.ID, Version: change.Version, Decision: chart.ReviewChanged,
			Change: &chart.MedicationChange{Dose: "10", Unit: "mg", Frequency: "at night"}},
		{ID: stop.ID, Version: stop.Version + 1, Decision: chart.ReviewStop, StopReason: "Ran out, not restarting"},
	}
	before := tableCounts(t, c.w)
	_, err := c.doc.ReconcileMedications(ctxb, chart.MedicationReconciliation{PatientID: p, Reviews: reviews})
	wantErr(t, err, chart.ECONFLICT, "")
	if after := tableCounts(t, c.w); after["changes"] != before["changes"] {
		t.Fatal("a failed reconciliation saved part of it")
	}
	// A nurse records what the patient takes, but a change to a
	// prescription is the prescriber's.
	reviews[2].Version = stop.Version
	_, err = c.nurse.ReconcileMedications(ctxb, chart.MedicationReconciliation{PatientID: p, Reviews: reviews})
	wantErr(t, err, chart.EFORBIDDEN, "source")

	out := must(c.doc.ReconcileMedications(ctxb, chart.MedicationReconciliation{PatientID: p, Reviews: reviews}))(t)
	for _, m := range out {
		if m.ReconciledAt == nil || m.ReconciledByName != "Staff cleo" || m.Version != 2 {
			t.Fatalf("not marked reviewed: %+v", m)
		}
	}
	if out[1].Dose != "10" || out[1].Frequency != "at night" || out[2].Status != chart.MedStopped || out[0].Status != chart.MedActive {
		t.Fatalf("decisions not applied: %+v", out)
	}
	// The review survives an ordinary edit, which cannot forge one.
	edit := out[0]
	edit.ReconciledAt, edit.ReconciledByName, edit.Instructions = nil, "someone", "With breakfast"
	edit = must(c.doc.SaveMedication(ctxb, edit, ""))(t)
	if edit.ReconciledAt == nil || edit.ReconciledByName != "Staff cleo" {
		t.Fatalf("edit changed the review: %+v", edit)
	}
	other := register(t, c.desk, samplePatient("Otto", "Elsewhere"))
	_, err = c.doc.ReconcileMedications(ctxb, chart.MedicationReconciliation{PatientID: other.ID,
		Reviews: []chart.MedicationReview{{ID: edit.ID, Version: edit.Version, Decision: chart.ReviewKeep}}})
	wantErr(t, err, chart.ECONFLICT, "")
	if !strings.Contains(auditDetails(t, c, p), "reviewed medication with the patient: changed to 10 mg at night") {
		t.Fatal("the change is not in the audit log")
	}
}

// auditDetails is every opened audit detail about patient, one a line.
func auditDetails(t *testing.T, c *clinic, patient chart.PatientID) string {
	t.Helper()
	return joinedDetails(must(c.admin.Audit(ctxb, chart.AuditFilter{PatientID: patient, Limit: 1000}))(t))
}
