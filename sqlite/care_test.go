package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
	"outpost/chart/care"
)

func TestCareDecisionSavedReadAndRetracted(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	d := must(c.doc.SaveCareDecision(ctxb, chart.CareDecision{Meta: chart.Meta{PatientID: p}, RuleID: "uspstf-colorectal",
		Decision: chart.DecisionDoneElsewhere, Date: "2025-03-02", Reason: "Colonoscopy at Elko General"}))(t)
	if d.DecidedByName == "" || d.Version != 1 {
		t.Fatalf("saved %+v", d)
	}
	must(c.nurse.SaveRecallContact(ctxb, chart.RecallContact{Meta: chart.Meta{PatientID: p}, Method: "phone", Outcome: "booked"}))(t)
	cc := must(c.doc.CareChart(ctxb, p))(t)
	if cc.Patient.ID != p || len(cc.Decisions) != 1 || cc.Decisions[0].Reason != "Colonoscopy at Elko General" || len(cc.Contacts) != 1 {
		t.Fatalf("care chart %+v", cc)
	}
	details := auditDetails(t, c, p)
	for _, want := range []string{"uspstf-colorectal done-elsewhere", "phone, booked", "viewed what is due"} {
		if !strings.Contains(details, want) {
			t.Errorf("audit lacks %q:\n%s", want, details)
		}
	}
	if err := c.doc.MarkEnteredInError(ctxb, chart.KindCareDecision, d.ID, "wrong patient"); err != nil {
		t.Fatal(err)
	}
	if cc := must(c.doc.CareChart(ctxb, p))(t); len(cc.Decisions) != 0 {
		t.Errorf("a retracted decision still applies: %+v", cc.Decisions)
	}
	if h := must(c.doc.RecordHistory(ctxb, chart.KindCareDecision, d.ID))(t); len(h) != 2 {
		t.Errorf("history holds %d versions, want 2", len(h))
	}
}

func TestCareBadInputAndFrontDesk(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	before := tableCounts(t, c.w)
	_, err := c.doc.SaveCareDecision(ctxb, chart.CareDecision{Meta: chart.Meta{PatientID: p}, RuleID: "uspstf-hiv", Decision: chart.DecisionDeclined})
	wantErr(t, err, chart.EINVALID, "reason")
	_, err = c.doc.SaveRecallContact(ctxb, chart.RecallContact{Meta: chart.Meta{PatientID: p}, Method: "pigeon", Outcome: "booked"})
	wantErr(t, err, chart.EINVALID, "method")
	_, err = c.desk.SaveCareDecision(ctxb, chart.CareDecision{Meta: chart.Meta{PatientID: p}, RuleID: "uspstf-hiv",
		Decision: chart.DecisionDeclined, Reason: "no"})
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = c.desk.CareChart(ctxb, p)
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = c.desk.PracticeCare(ctxb, "recall list", nil)
	wantErr(t, err, chart.EFORBIDDEN, "")
	after := tableCounts(t, c.w)
	if before["records"] != after["records"] {
		t.Errorf("refused input wrote records: %d → %d", before["records"], after["records"])
	}
}

func TestPracticeCareFilesRecordsUnderTheirPatient(t *testing.T) {
	c := newClinic(t)
	other := register(t, c.desk, samplePatient("Ivo", "Otherchart"))
	must(c.doc.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: other.ID},
		Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"}}))(t)
	must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: c.patient.ID},
		Test: chart.Coded{System: chart.SystemLOINC, Code: "4548-4", Display: "HbA1c"}, Value: "6.1", CollectedAt: "2026-01-10"}))(t)
	kept := must(c.doc.PracticeCare(ctxb, "listed on the diabetes registry", care.Keep(func(cc chart.CareChart) bool { return len(cc.Problems) > 0 })))(t)
	if len(kept) != 1 || kept[0].Patient.ID != other.ID || len(kept[0].Results) != 0 {
		t.Fatalf("kept %+v, want only the patient with the problem, without the other's result", kept)
	}
	if !strings.Contains(auditDetails(t, c, other.ID), "listed on the diabetes registry") {
		t.Error("listing a patient is not audited")
	}
	if strings.Contains(auditDetails(t, c, c.patient.ID), "listed on the diabetes registry") {
		t.Error("a patient left off the list is audited as listed")
	}
	all := must(c.doc.PracticeCare(ctxb, "recall list", nil))(t)
	if len(all) != 2 {
		t.Fatalf("%d charts, want 2", len(all))
	}
}

// TestSyncCareKinds: a decision and a recall contact made on A reach B.
func TestSyncCareKinds(t *testing.T) {
	c := newSyncedClinic(t)
	p := c.patient.ID
	must(c.docA.SaveCareDecision(ctxb, chart.CareDecision{Meta: chart.Meta{PatientID: p}, RuleID: "uspstf-breast",
		Decision: chart.DecisionDeclined, Reason: "Wants to discuss at next visit"}))(t)
	must(c.docA.SaveRecallContact(ctxb, chart.RecallContact{Meta: chart.Meta{PatientID: p}, Method: "letter", Outcome: "message-left"}))(t)
	c.roundTrip(t)
	cc := must(c.docB.CareChart(ctxb, p))(t)
	if len(cc.Decisions) != 1 || cc.Decisions[0].Reason != "Wants to discuss at next visit" || len(cc.Contacts) != 1 {
		t.Fatalf("B's care chart %+v", cc)
	}
	wantNoPlaintext(t, c.server.dir, []string{"Wants to discuss", "uspstf-breast"})
}
