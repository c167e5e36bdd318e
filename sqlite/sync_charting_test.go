package sqlite

import (
	"testing"

	"outpost/chart"
)

// TestSyncChartingKinds charts a visit's history and medication motions on
// A and checks B shows them: the three history kinds travel and merge, and
// so do a renewal's links, a review and the visit links; a concurrent
// edit of the history on both sides merges field by field.
func TestSyncChartingKinds(t *testing.T) {
	c := newSyncedClinic(t)
	p := c.patient.ID
	enc := sampleEncounter(p)
	enc.Diagnoses = []chart.Coded{{System: chart.SystemICD10CM, Code: "I10", Display: "Essential (primary) hypertension"}}
	enc = must(c.docA.SaveEncounter(ctxb, enc))(t)
	fh := must(c.docA.SaveFamilyHistory(ctxb, chart.FamilyHistory{Meta: chart.Meta{PatientID: p}, Relation: "FTH",
		Condition: chart.Coded{Display: "Quillworth stroke"}, OnsetAge: intOf(61)}))(t)
	sh := must(c.docA.SaveSocialHistory(ctxb, chart.SocialHistory{Meta: chart.Meta{PatientID: p}, Smoking: chart.Coded{Code: "8517006"},
		Occupation: "Vellumwright"}))(t)
	must(c.docA.SavePregnancyStatus(ctxb, chart.PregnancyStatus{Meta: chart.Meta{PatientID: p}, Status: chart.PregnancyNotPregnant}))(t)
	prev := must(c.docA.SaveMedication(ctxb, sampleMed(p, "Lisinopril 10 MG Oral Tablet"), ""))(t)
	renewal := must(c.docA.RenewMedication(ctxb, chart.MedicationRenewal{PreviousID: prev.ID, PreviousVersion: prev.Version,
		Medication: chart.Medication{Dose: "20", Unit: "mg", DaysSupply: 90, EncounterID: enc.ID}}))(t)
	renewal = must(c.docA.ReconcileMedications(ctxb, chart.MedicationReconciliation{PatientID: p,
		Reviews: []chart.MedicationReview{{ID: renewal.ID, Version: renewal.Version, Decision: chart.ReviewKeep}}}))(t)[0]
	must(c.docA.ProblemFromDiagnosis(ctxb, chart.DiagnosisToProblem{EncounterID: enc.ID, Diagnosis: enc.Diagnoses[0]}))(t)
	c.roundTrip(t)

	fams := must(c.docB.FamilyHistories(ctxb, p))(t)
	if len(fams) != 1 || fams[0].Condition.Display != "Quillworth stroke" || *fams[0].OnsetAge != 61 {
		t.Fatalf("B's family history = %+v", fams)
	}
	sum := must(c.docB.ChartSummary(ctxb, p))(t)
	if sum.SocialHistory == nil || sum.SocialHistory.Smoking.Code != "8517006" || sum.Pregnancy == nil ||
		sum.Pregnancy.Status != chart.PregnancyNotPregnant || len(sum.Problems) != 1 {
		t.Fatalf("B's summary: social %+v, pregnancy %+v, problems %+v", sum.SocialHistory, sum.Pregnancy, sum.Problems)
	}
	if len(sum.Medications) != 1 {
		t.Fatalf("B's active medications = %+v, want the renewal only", sum.Medications)
	}
	m := sum.Medications[0]
	if m.ID != renewal.ID || m.RenewalOf != prev.ID || m.DaysSupply != 90 || m.EncounterID != enc.ID ||
		m.ReconciledAt == nil || !m.ReconciledAt.Equal(*renewal.ReconciledAt) {
		t.Fatalf("B's renewal = %+v", m)
	}
	meds := must(c.docB.Medications(ctxb, p))(t)
	if meds[0].ID != prev.ID || meds[0].RenewedBy != renewal.ID || meds[0].Status != chart.MedCompleted {
		t.Fatalf("B's previous prescription = %+v", meds[0])
	}

	// Concurrent edits of different fields of the same entries merge.
	fa, fb := fh, must(c.docB.FamilyHistories(ctxb, p))(t)[0]
	fa.Comment, fb.Deceased = "Aged 61", true
	must(c.docA.SaveFamilyHistory(ctxb, fa))(t)
	must(c.docB.SaveFamilyHistory(ctxb, fb))(t)
	sa, sb := sh, *sum.SocialHistory
	sa.PackYears, sb.DrinksWeek = "20", intOf(4)
	must(c.docA.SaveSocialHistory(ctxb, sa))(t)
	must(c.docB.SaveSocialHistory(ctxb, sb))(t)
	c.roundTrip(t)
	for who, s := range map[string]*Session{"A": c.docA, "B": c.docB} {
		f := must(s.FamilyHistories(ctxb, p))(t)[0]
		h := must(s.SocialHistories(ctxb, p))(t)[0]
		if f.Comment != "Aged 61" || !f.Deceased || h.PackYears != "20" || h.DrinksWeek == nil || *h.DrinksWeek != 4 {
			t.Fatalf("%s after the merge: family %+v, social %+v", who, f, h)
		}
		for kind, id := range map[string]chart.RecordID{chart.KindFamily: fh.ID, chart.KindSocial: sh.ID} {
			if cs := sealedConflicts(t, s, kind, string(id)); len(cs) != 0 {
				t.Fatalf("%s keeps conflicts %+v for edits of different fields", who, cs)
			}
		}
	}
	wantNoPlaintext(t, c.server.dir, []string{"Quillworth", "Vellumwright", "Lisinopril"})
}
