package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
)

// chartCalls calls every ChartService method once as s, on c's patient.
func chartCalls(s chart.ChartService, c *clinic, rec chart.RecordID) map[string]error {
	p := c.patient.ID
	errs := map[string]error{}
	_, errs["ChartSummary"] = s.ChartSummary(ctxb, p)
	_, errs["SaveEncounter"] = s.SaveEncounter(ctxb, sampleEncounter(p))
	_, errs["Encounters"] = s.Encounters(ctxb, p)
	_, errs["Templates"] = s.Templates(ctxb)
	_, errs["SaveTemplate"] = s.SaveTemplate(ctxb, chart.Template{Name: "Mine", Sections: []chart.TemplateSection{{Key: "a", Label: "A"}}})
	_, errs["SaveNoteDraft"] = s.SaveNoteDraft(ctxb, sampleNote(p, "", "x"))
	_, errs["SignNote"] = s.SignNote(ctxb, rec, 1)
	_, errs["StartAddendum"] = s.StartAddendum(ctxb, rec)
	_, errs["Note"] = s.Note(ctxb, rec)
	_, errs["Notes"] = s.Notes(ctxb, p)
	_, errs["SaveProblem"] = s.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p}, Condition: chart.Coded{Display: "Asthma"}})
	_, errs["Problems"] = s.Problems(ctxb, p)
	_, errs["SaveAllergy"] = s.SaveAllergy(ctxb, sampleAllergy(p, "Latex"))
	_, errs["Allergies"] = s.Allergies(ctxb, p)
	_, errs["SetChartFlags"] = s.SetChartFlags(ctxb, chart.ChartFlags{Meta: chart.Meta{PatientID: p}, NoKnownProblems: true})
	_, errs["CheckMedication"] = s.CheckMedication(ctxb, sampleMed(p, "Ibuprofen"))
	_, errs["SaveMedication"] = s.SaveMedication(ctxb, sampleMed(p, "Ibuprofen"), "")
	_, errs["Medications"] = s.Medications(ctxb, p)
	_, errs["RecordVitals"] = s.RecordVitals(ctxb, p, "", "", chart.VitalsEntry{HeartRate: reading(70)})
	_, errs["Vitals"] = s.Vitals(ctxb, p)
	_, errs["PracticeUnits"] = s.PracticeUnits(ctxb)
	_, errs["SetPracticeUnits"] = s.SetPracticeUnits(ctxb, chart.USUnits())
	_, errs["SaveResult"] = s.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Hb"}, Value: "12"})
	_, errs["Results"] = s.Results(ctxb, p)
	_, errs["AcknowledgeResult"] = s.AcknowledgeResult(ctxb, rec)
	_, errs["ResultsToReview"] = s.ResultsToReview(ctxb)
	_, errs["AttachToResult"] = s.AttachToResult(ctxb, rec, "scan.pdf", "application/pdf", []byte("%PDF-1.4 x"))
	_, _, errs["AttachmentData"] = s.AttachmentData(ctxb, rec)
	_, errs["SaveImmunization"] = s.SaveImmunization(ctxb, chart.Immunization{Meta: chart.Meta{PatientID: p}, Vaccine: chart.Coded{Display: "Td"}, Date: "2026-01-02"})
	_, errs["Immunizations"] = s.Immunizations(ctxb, p)
	errs["MarkEnteredInError"] = s.MarkEnteredInError(ctxb, chart.KindNote, rec, "wrong chart")
	_, errs["RecordHistory"] = s.RecordHistory(ctxb, chart.KindNote, rec)
	errs["AuditExport"] = s.AuditExport(ctxb, p, "printed the summary")
	return errs
}

func TestFrontDeskIsRefusedEveryChartMethod(t *testing.T) {
	c := newClinic(t)
	note := draftOf(t, c)
	before := tableCounts(t, c.w)
	errs := chartCalls(c.desk, c, note.ID)
	if len(errs) != 33 {
		t.Fatalf("called %d methods, want all 33 of ChartService", len(errs))
	}
	for name, err := range errs {
		t.Run(name, func(t *testing.T) { wantErr(t, err, chart.EFORBIDDEN, "") })
	}
	if after := tableCounts(t, c.w); after["records"] != before["records"] || after["changes"] != before["changes"] {
		t.Fatalf("front desk calls changed rows: %v → %v", before, after)
	}
}

func TestAdministratorMaySetUnitsButNotReadCharts(t *testing.T) {
	c := newClinic(t)
	if _, err := c.admin.ChartSummary(ctxb, c.patient.ID); chart.ErrorCode(err) != chart.EFORBIDDEN {
		t.Fatalf("admin summary: %v", err)
	}
	u := must(c.admin.SetPracticeUnits(ctxb, chart.USUnits()))(t)
	if got := must(c.nurse.PracticeUnits(ctxb))(t); got != u {
		t.Fatalf("units = %+v, want %+v", got, u)
	}
	_, err := c.doc.SetPracticeUnits(ctxb, chart.MetricUnits())
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = c.admin.SetPracticeUnits(ctxb, chart.PracticeUnits{Weight: "stone"})
	wantErr(t, err, chart.EINVALID, "weight")
}

func TestWhoMaySignWhichNote(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	clinical := must(c.nurse.SaveNoteDraft(ctxb, sampleNote(p, "", "Nurse wrote a clinical note.")))(t)
	_, err := c.nurse.SignNote(ctxb, clinical.ID, clinical.Version)
	de := wantErr(t, err, chart.EFORBIDDEN, "")
	if !strings.Contains(de.Message, "clinician") {
		t.Fatalf("message %q does not say a clinician must sign", de.Message)
	}
	if n := must(c.doc.Note(ctxb, clinical.ID))(t); n.Signed() {
		t.Fatal("refused signature was stored")
	}

	nursing := sampleNote(p, "", "Wound dressed, healing well.")
	nursing.Kind, nursing.Title = chart.NoteNursing, "Home visit"
	nursing = must(c.nurse.SaveNoteDraft(ctxb, nursing))(t)
	signed := must(c.nurse.SignNote(ctxb, nursing.ID, nursing.Version))(t)
	if signed.Signature.SignerRole != chart.RoleNurse {
		t.Fatalf("signature = %+v", signed.Signature)
	}

	// A nurse correcting a clinician's signed note writes a nursing addendum.
	docNote := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, "", "Seen and examined.")))(t)
	docNote = must(c.doc.SignNote(ctxb, docNote.ID, docNote.Version))(t)
	add := must(c.nurse.StartAddendum(ctxb, docNote.ID))(t)
	add.Sections[0].Text = "Dressing changed after the visit."
	add = must(c.nurse.SaveNoteDraft(ctxb, add))(t)
	if add = must(c.nurse.SignNote(ctxb, add.ID, add.Version))(t); add.Kind != chart.NoteNursing || add.AddendumTo != docNote.ID {
		t.Fatalf("nurse addendum = %+v", add)
	}

	// Only the author signs or edits a draft.
	mine := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, "", "Doctor's draft.")))(t)
	c.addUser(t, c.admin, "carl", chart.RoleClinician, clinicianPass)
	carl := c.signIn(t, "carl", clinicianPass)
	_, err = carl.SignNote(ctxb, mine.ID, mine.Version)
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = carl.SaveNoteDraft(ctxb, mine)
	wantErr(t, err, chart.EFORBIDDEN, "")

	// An empty note cannot be signed; a stale version is a conflict.
	empty := sampleNote(p, "", "")
	empty.Sections = empty.Sections[:1]
	empty = must(c.doc.SaveNoteDraft(ctxb, empty))(t)
	_, err = c.doc.SignNote(ctxb, empty.ID, empty.Version)
	wantErr(t, err, chart.EINVALID, "sections")
	_, err = c.doc.SignNote(ctxb, mine.ID, mine.Version+1)
	wantErr(t, err, chart.ECONFLICT, "")
}

// TestEveryChartReadIsAudited calls each read once and expects one chart-open
// entry naming the patient (and the record, when there is one) for each.
func TestEveryChartReadIsAudited(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	note := draftOf(t, c)
	res := must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Hb"}, Value: "12"}))(t)
	att := must(c.doc.AttachToResult(ctxb, res.ID, "a.png", "image/png", []byte("\x89PNG\r\n\x1a\n....")))(t)
	reads := map[string]func() error{
		"ChartSummary":    func() error { _, err := c.doc.ChartSummary(ctxb, p); return err },
		"Encounters":      func() error { _, err := c.doc.Encounters(ctxb, p); return err },
		"Note":            func() error { _, err := c.doc.Note(ctxb, note.ID); return err },
		"Notes":           func() error { _, err := c.doc.Notes(ctxb, p); return err },
		"Problems":        func() error { _, err := c.doc.Problems(ctxb, p); return err },
		"Allergies":       func() error { _, err := c.doc.Allergies(ctxb, p); return err },
		"CheckMedication": func() error { _, err := c.doc.CheckMedication(ctxb, sampleMed(p, "Ibuprofen")); return err },
		"Medications":     func() error { _, err := c.doc.Medications(ctxb, p); return err },
		"Vitals":          func() error { _, err := c.doc.Vitals(ctxb, p); return err },
		"Results":         func() error { _, err := c.doc.Results(ctxb, p); return err },
		"ResultsToReview": func() error { _, err := c.doc.ResultsToReview(ctxb); return err },
		"AttachmentData":  func() error { _, _, err := c.doc.AttachmentData(ctxb, att.ID); return err },
		"Immunizations":   func() error { _, err := c.doc.Immunizations(ctxb, p); return err },
		"RecordHistory":   func() error { _, err := c.doc.RecordHistory(ctxb, chart.KindNote, note.ID); return err },
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			var before int
			c.w.db.QueryRow(`SELECT count(*) FROM audit_log WHERE action = ? AND patient_id = ?`, chart.AuditChartOpen, p).Scan(&before)
			if err := read(); err != nil {
				t.Fatal(err)
			}
			var after int
			var user string
			c.w.db.QueryRow(`SELECT count(*), max(user_id) FROM audit_log WHERE action = ? AND patient_id = ?`,
				chart.AuditChartOpen, p).Scan(&after, &user)
			if after != before+1 || user != string(c.doc.User().ID) {
				t.Fatalf("chart-open entries %d → %d (user %s), want one more by the clinician", before, after, user)
			}
		})
	}
	if err := c.doc.AuditExport(ctxb, p, "printed the medication list"); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, c.w, chart.AuditExport, p, kindPatient); n != 1 {
		t.Fatalf("export audited %d times", n)
	}
}
