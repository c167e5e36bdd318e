package sqlite

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

// todayAt is a local start time today by the fixture's clock.
func (c *clinic) todayAt(hhmm string) string {
	return c.clock.Now().In(time.Local).Format(time.DateOnly) + "T" + hhmm
}

func (c *clinic) todaysEncounter(t *testing.T, s *Session) chart.Encounter {
	t.Helper()
	e := sampleEncounter(c.patient.ID)
	e.Start = c.todayAt("08:30")
	return must(s.SaveEncounter(ctxb, e))(t)
}

func signedNote(t *testing.T, s *Session, p chart.PatientID, enc chart.RecordID, kind chart.NoteKind) chart.Note {
	t.Helper()
	n := sampleNote(p, enc, "Seen today.")
	n.Kind = kind
	n = must(s.SaveNoteDraft(ctxb, n))(t)
	return must(s.SignNote(ctxb, n.ID, n.Version))(t)
}

func TestEncounterEditsUntilItsNoteIsSigned(t *testing.T) {
	c := newClinic(t)
	enc := c.todaysEncounter(t, c.doc)
	draft := must(c.doc.SaveNoteDraft(ctxb, sampleNote(c.patient.ID, enc.ID, "Sore throat.")))(t)
	signedNote(t, c.nurse, c.patient.ID, enc.ID, chart.NoteNursing)

	// A draft and a signed nursing note leave the visit open: the
	// clinician adds the diagnoses at the end and corrects the type.
	enc.Diagnoses = append(enc.Diagnoses, chart.Coded{System: chart.SystemICD10CM, Code: "J02.9", Display: "Acute pharyngitis, unspecified"})
	enc.Type, enc.Reason = chart.EncounterTelehealth, "Sore throat, fever"
	edited := must(c.doc.SaveEncounter(ctxb, enc))(t)
	if edited.Version != 2 || len(edited.Diagnoses) != 1 || edited.Type != chart.EncounterTelehealth {
		t.Fatalf("edited encounter = %+v", edited)
	}
	hist := must(c.doc.RecordHistory(ctxb, chart.KindEncounter, enc.ID))(t)
	if len(hist) != 2 || !strings.Contains(hist[0].Content, "J02.9") || strings.Contains(hist[1].Content, "J02.9") {
		t.Fatalf("history = %d versions, want the edit over the original", len(hist))
	}

	must(c.doc.SignNote(ctxb, draft.ID, draft.Version))(t)
	before := tableCounts(t, c.w)
	edited.Reason = "Changed after signing"
	_, err := c.doc.SaveEncounter(ctxb, edited)
	if e := wantErr(t, err, chart.ECONFLICT, ""); !strings.Contains(e.Message, "addendum") || !strings.Contains(e.Message, "Acute visit") {
		t.Fatalf("refusal %q should name the signed note and say to add an addendum", e.Message)
	}
	if after := tableCounts(t, c.w); after["changes"] != before["changes"] {
		t.Fatal("the refused edit wrote a change")
	}
	// An addendum does not reopen it.
	must(c.doc.StartAddendum(ctxb, draft.ID))(t)
	if _, err := c.doc.SaveEncounter(ctxb, edited); chart.ErrorCode(err) != chart.ECONFLICT {
		t.Fatalf("edit after an addendum: %v", err)
	}
}

func TestOpenEncounterAndVisitLinks(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	past := sampleEncounter(p)
	past.Start = "2026-11-20T10:00"
	old := must(c.doc.SaveEncounter(ctxb, past))(t)
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.OpenEncounter != nil {
		t.Fatalf("no visit today, open = %+v", sum.OpenEncounter)
	}
	enc := c.todaysEncounter(t, c.doc)
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.OpenEncounter == nil || sum.OpenEncounter.ID != enc.ID {
		t.Fatalf("open = %+v, want today's encounter", sum.OpenEncounter)
	}

	med := sampleMed(p, "Amoxicillin 500 MG Oral Capsule")
	med.EncounterID, med.DaysSupply, med.Quantity = enc.ID, 7, "21"
	med = must(c.doc.SaveMedication(ctxb, med, ""))(t)
	res := must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Throat swab"},
		Value: "pending", EncounterID: enc.ID}))(t)
	if med.EncounterID != enc.ID || med.DaysSupply != 7 || res.EncounterID != enc.ID {
		t.Fatalf("links not kept: med %+v result %+v", med, res)
	}
	other := register(t, c.desk, samplePatient("Otto", "Elsewhere"))
	stray := sampleMed(other.ID, "Ibuprofen")
	stray.EncounterID = old.ID
	_, err := c.doc.SaveMedication(ctxb, stray, "")
	wantErr(t, err, chart.EINVALID, "encounterId")
	_, err = c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: other.ID}, Test: chart.Coded{Display: "Hb"},
		Value: "12", EncounterID: enc.ID})
	wantErr(t, err, chart.EINVALID, "encounterId")

	signedNote(t, c.doc, p, enc.ID, chart.NoteClinical)
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.OpenEncounter != nil {
		t.Fatalf("signed visit still open: %+v", sum.OpenEncounter)
	}
}

func TestChartTextFillsPlaceholders(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	enc := c.todaysEncounter(t, c.doc)
	enc.Diagnoses = []chart.Coded{{System: chart.SystemICD10CM, Code: "J02.9", Display: "Acute pharyngitis, unspecified"}}
	enc = must(c.doc.SaveEncounter(ctxb, enc))(t)
	must(c.nurse.RecordVitals(ctxb, p, enc.ID, c.todayAt("08:35"), chart.VitalsEntry{HeartRate: reading(88),
		Systolic: reading(128), Diastolic: reading(82), Temperature: reading(38.4)}))(t)
	opensBefore := auditCount(t, c.w, chart.AuditChartOpen, p, kindPatient)

	got := must(c.doc.ChartText(ctxb, chart.ChartTextRequest{PatientID: p, Texts: []string{
		"On exam:\n{{vitals}}", "{{diagnoses}}", "{{allergies}}", "plain"}}))(t)
	if !strings.Contains(got[0], "HR 88 /min") || !strings.Contains(got[0], "BP 128/82 mmHg") || !strings.HasPrefix(got[0], "On exam:\n") {
		t.Fatalf("vitals = %q", got[0])
	}
	if !strings.Contains(got[1], "J02.9") { // the open encounter's, as none was named
		t.Fatalf("diagnoses = %q", got[1])
	}
	if got[2] != "Allergies: not yet asked." || got[3] != "plain" {
		t.Fatalf("allergies = %q, plain = %q", got[2], got[3])
	}
	if n := auditCount(t, c.w, chart.AuditChartOpen, p, kindPatient); n != opensBefore+1 {
		t.Fatalf("chart text audited %d times, want once", n-opensBefore)
	}
	other := register(t, c.desk, samplePatient("Otto", "Elsewhere"))
	_, err := c.doc.ChartText(ctxb, chart.ChartTextRequest{PatientID: other.ID, EncounterID: enc.ID, Texts: []string{"{{diagnoses}}"}})
	wantErr(t, err, chart.EINVALID, "encounterId")
	_, err = c.desk.ChartText(ctxb, chart.ChartTextRequest{PatientID: p, Texts: []string{"{{vitals}}"}})
	wantErr(t, err, chart.EFORBIDDEN, "")

	tpl := must(c.doc.SaveTemplate(ctxb, chart.Template{Name: "Sore throat", Sections: []chart.TemplateSection{
		{Key: "o", Label: "Objective", Text: "{{vitals}}"}}}))(t)
	list := must(c.nurse.Templates(ctxb))(t)
	if last := list[len(list)-1]; last.ID != tpl.ID || last.Sections[0].Text != "{{vitals}}" {
		t.Fatalf("template's starting text not kept: %+v", last)
	}
	_, err = c.doc.SaveTemplate(ctxb, chart.Template{Name: "Typo", Sections: []chart.TemplateSection{{Key: "o", Label: "O", Text: "{{vital}}"}}})
	wantErr(t, err, chart.EINVALID, "sections.o")
}

func TestDiagnosisToProblemListOnce(t *testing.T) {
	c := newClinic(t)
	enc := c.todaysEncounter(t, c.doc)
	dx := chart.Coded{System: chart.SystemICD10CM, Code: "I10", Display: "Essential (primary) hypertension"}
	enc.Diagnoses = []chart.Coded{dx, {Display: "Knee pain"}}
	enc = must(c.doc.SaveEncounter(ctxb, enc))(t)

	first := must(c.nurse.ProblemFromDiagnosis(ctxb, chart.DiagnosisToProblem{EncounterID: enc.ID, Diagnosis: dx}))(t)
	if first.Existing || first.Problem.Condition != dx || first.Problem.Status != chart.ProblemActive ||
		first.Problem.Onset != enc.Start[:10] {
		t.Fatalf("first = %+v", first)
	}
	again := must(c.doc.ProblemFromDiagnosis(ctxb, chart.DiagnosisToProblem{EncounterID: enc.ID, Diagnosis: dx}))(t)
	if !again.Existing || again.Problem.ID != first.Problem.ID {
		t.Fatalf("again = %+v, want the existing problem", again)
	}
	if n := auditCount(t, c.w, chart.AuditChartOpen, c.patient.ID, chart.KindProblem); n != 1 {
		t.Fatalf("showing the existing problem audited %d times, want once", n)
	}
	if ps := must(c.doc.Problems(ctxb, c.patient.ID))(t); len(ps) != 1 {
		t.Fatalf("%d problems, want 1", len(ps))
	}
	_, err := c.doc.ProblemFromDiagnosis(ctxb, chart.DiagnosisToProblem{EncounterID: enc.ID, Diagnosis: chart.Coded{Display: "Gout"}})
	wantErr(t, err, chart.EINVALID, "diagnosis")
	_, err = c.desk.ProblemFromDiagnosis(ctxb, chart.DiagnosisToProblem{EncounterID: enc.ID, Diagnosis: dx})
	wantErr(t, err, chart.EFORBIDDEN, "")
}

func TestHistoryRecordsAndTheSummary(t *testing.T) {
	c := newClinic(t)
	young := samplePatient("Ines", "Young")
	young.BirthDate = "1996-02-01"
	p := register(t, c.desk, young).ID
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); !sum.PregnancyRelevant || sum.Pregnancy != nil || sum.SocialHistory != nil {
		t.Fatalf("a woman of 30: relevant %v, status %+v", sum.PregnancyRelevant, sum.Pregnancy)
	}
	if sum := must(c.doc.ChartSummary(ctxb, c.patient.ID))(t); sum.PregnancyRelevant {
		t.Fatal("a woman of 65: pregnancy status offered")
	}
	fh := must(c.nurse.SaveFamilyHistory(ctxb, chart.FamilyHistory{Meta: chart.Meta{PatientID: p}, Relation: "MTH",
		Condition: chart.Coded{System: chart.SystemICD10CM, Code: "C50.919", Display: "Breast cancer"}, OnsetAge: intOf(48)}))(t)
	if list := must(c.doc.FamilyHistories(ctxb, p))(t); len(list) != 1 || list[0].ID != fh.ID || *list[0].OnsetAge != 48 {
		t.Fatalf("family history = %+v", list)
	}
	must(c.doc.SaveSocialHistory(ctxb, chart.SocialHistory{Meta: chart.Meta{PatientID: p}, Date: "2025-01-10",
		Smoking: chart.Coded{Code: "449868002"}}))(t)
	must(c.doc.SaveSocialHistory(ctxb, chart.SocialHistory{Meta: chart.Meta{PatientID: p},
		Smoking: chart.Coded{Code: "8517006"}, AuditC: &chart.AuditC{HowOften: 2, HowMany: 1}}))(t)
	must(c.doc.SavePregnancyStatus(ctxb, chart.PregnancyStatus{Meta: chart.Meta{PatientID: p}, Status: chart.PregnancyPregnant,
		LMP: "2026-10-01"}))(t)
	sum := must(c.doc.ChartSummary(ctxb, p))(t)
	if sum.SocialHistory == nil || sum.SocialHistory.Smoking.Display != "Ex-smoker" || sum.SocialHistory.AuditC.Score() != 3 {
		t.Fatalf("social history = %+v, want today's answer", sum.SocialHistory)
	}
	if sum.Pregnancy == nil || sum.Pregnancy.EDD != "2027-07-08" {
		t.Fatalf("pregnancy = %+v", sum.Pregnancy)
	}
	if err := c.doc.MarkEnteredInError(ctxb, chart.KindPregnancy, sum.Pregnancy.ID, "wrong patient"); err != nil {
		t.Fatal(err)
	}
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.Pregnancy != nil {
		t.Fatalf("retracted status still shown: %+v", sum.Pregnancy)
	}
	if h := must(c.doc.RecordHistory(ctxb, chart.KindFamily, fh.ID))(t); len(h) != 1 {
		t.Fatalf("family history history = %d versions", len(h))
	}
	_, err := c.desk.FamilyHistories(ctxb, p)
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = c.desk.SaveSocialHistory(ctxb, chart.SocialHistory{Meta: chart.Meta{PatientID: p}})
	wantErr(t, err, chart.EFORBIDDEN, "")
}

func intOf(x int) *int { return &x }

// visitCalls calls every VisitService method once as s, on c's patient.
func visitCalls(s chart.VisitService, c *clinic, rec chart.RecordID) map[string]error {
	p := c.patient.ID
	errs := map[string]error{}
	_, errs["ProblemFromDiagnosis"] = s.ProblemFromDiagnosis(ctxb, chart.DiagnosisToProblem{EncounterID: rec, Diagnosis: chart.Coded{Display: "x"}})
	_, errs["ChartText"] = s.ChartText(ctxb, chart.ChartTextRequest{PatientID: p, Texts: []string{"{{vitals}}"}})
	_, errs["RenewMedication"] = s.RenewMedication(ctxb, chart.MedicationRenewal{PreviousID: rec, PreviousVersion: 1})
	_, errs["StopMedication"] = s.StopMedication(ctxb, chart.MedicationStop{ID: rec, Version: 1, Reason: "x"})
	_, errs["ReconcileMedications"] = s.ReconcileMedications(ctxb, chart.MedicationReconciliation{PatientID: p,
		Reviews: []chart.MedicationReview{{ID: rec, Version: 1, Decision: chart.ReviewKeep}}})
	_, errs["SaveFamilyHistory"] = s.SaveFamilyHistory(ctxb, chart.FamilyHistory{Meta: chart.Meta{PatientID: p}, Relation: "MTH", Condition: chart.Coded{Display: "x"}})
	_, errs["FamilyHistories"] = s.FamilyHistories(ctxb, p)
	_, errs["SaveSocialHistory"] = s.SaveSocialHistory(ctxb, chart.SocialHistory{Meta: chart.Meta{PatientID: p}})
	_, errs["SocialHistories"] = s.SocialHistories(ctxb, p)
	_, errs["SavePregnancyStatus"] = s.SavePregnancyStatus(ctxb, chart.PregnancyStatus{Meta: chart.Meta{PatientID: p}, Status: chart.PregnancyUnknown})
	_, errs["PregnancyStatuses"] = s.PregnancyStatuses(ctxb, p)
	return errs
}

func TestFrontDeskIsRefusedEveryVisitMethod(t *testing.T) {
	c := newClinic(t)
	med := must(c.doc.SaveMedication(ctxb, sampleMed(c.patient.ID, "Ibuprofen"), ""))(t)
	before := tableCounts(t, c.w)
	errs := visitCalls(c.desk, c, med.ID)
	// Every method but TodaysPatients, which shows front desk only names.
	if want := reflect.TypeFor[chart.VisitService]().NumMethod() - 1; len(errs) != want {
		t.Fatalf("called %d methods, want all %d clinical ones of VisitService", len(errs), want)
	}
	for name, err := range errs {
		t.Run(name, func(t *testing.T) { wantErr(t, err, chart.EFORBIDDEN, "") })
	}
	if after := tableCounts(t, c.w); after["records"] != before["records"] || after["changes"] != before["changes"] {
		t.Fatalf("front desk calls changed rows: %v → %v", before, after)
	}
}
