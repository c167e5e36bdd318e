package sqlite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"outpost/chart"
)

func TestEnteredInErrorLeavesSummaryButStaysInHistory(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	wrong := must(c.nurse.SaveAllergy(ctxb, sampleAllergy(p, "Sulfonamides")))(t)
	must(c.nurse.SetChartFlags(ctxb, chart.ChartFlags{Meta: chart.Meta{PatientID: p}, NoKnownAllergies: true}))(t)
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.AllergyStatus != chart.AllergiesListed || len(sum.Allergies) != 1 {
		t.Fatalf("before: %+v", sum)
	}
	if err := c.doc.MarkEnteredInError(ctxb, chart.KindAllergy, wrong.ID, "recorded on the wrong patient"); err != nil {
		t.Fatal(err)
	}
	sum := must(c.doc.ChartSummary(ctxb, p))(t)
	if sum.AllergyStatus != chart.AllergiesNone || len(sum.Allergies) != 0 {
		t.Fatalf("after: status %s, allergies %+v", sum.AllergyStatus, sum.Allergies)
	}
	hist := must(c.doc.RecordHistory(ctxb, chart.KindAllergy, wrong.ID))(t)
	if len(hist) != 2 || hist[0].Version != 2 || !strings.Contains(hist[0].Content, "recorded on the wrong patient") ||
		!strings.Contains(hist[1].Content, "Sulfonamides") || hist[0].ChangedByName != c.doc.User().FullName {
		t.Fatalf("history = %+v", hist)
	}
	if n := auditCount(t, c.w, chart.AuditUpdate, p, chart.KindAllergy); n != 1 {
		t.Fatalf("retraction audited %d times", n)
	}
	wrong.Version = 2 // the current version: still refused, it was retracted
	_, err := c.doc.SaveAllergy(ctxb, wrong)
	wantErr(t, err, chart.ECONFLICT, "")
	wantErr(t, c.doc.MarkEnteredInError(ctxb, chart.KindAllergy, wrong.ID, "again"), chart.ECONFLICT, "")
	wantErr(t, c.doc.MarkEnteredInError(ctxb, "patient", chart.RecordID(p), "nope"), chart.EINVALID, "kind")
}

func TestNoKnownAllergiesAndNotAsked(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.AllergyStatus != chart.AllergiesNotAsked {
		t.Fatalf("status = %s, want not-asked", sum.AllergyStatus)
	}
	must(c.nurse.SetChartFlags(ctxb, chart.ChartFlags{Meta: chart.Meta{PatientID: p}, NoKnownAllergies: true}))(t)
	f := must(c.nurse.SetChartFlags(ctxb, chart.ChartFlags{Meta: chart.Meta{PatientID: p}, NoKnownAllergies: true, NoKnownProblems: true}))(t)
	if f.Version != 2 {
		t.Fatalf("flags version = %d, want 2 (one flags record per patient)", f.Version)
	}
	sum := must(c.doc.ChartSummary(ctxb, p))(t)
	if sum.AllergyStatus != chart.AllergiesNone || !sum.NoKnownProblems {
		t.Fatalf("summary = %+v", sum)
	}
	refuted := sampleAllergy(p, "Codeine")
	refuted.Verification = chart.AllergyRefuted
	must(c.nurse.SaveAllergy(ctxb, refuted))(t)
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); sum.AllergyStatus != chart.AllergiesNone {
		t.Fatalf("a refuted allergy made the status %s", sum.AllergyStatus)
	}
}

func TestSummaryOrdersProblemsMedsAndImmunizations(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	for _, st := range []chart.ProblemStatus{chart.ProblemResolved, chart.ProblemActive, chart.ProblemInactive} {
		must(c.doc.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p}, Condition: chart.Coded{Display: string(st)}, Status: st}))(t)
	}
	stopped := sampleMed(p, "Metformin 500 MG Oral Tablet")
	stopped = must(c.doc.SaveMedication(ctxb, stopped, ""))(t)
	stopped.Status, stopped.StopReason = chart.MedStopped, "nausea"
	must(c.doc.SaveMedication(ctxb, stopped, ""))(t)
	must(c.doc.SaveMedication(ctxb, sampleMed(p, "Lisinopril 10 MG Oral Tablet"), ""))(t)
	for _, d := range []string{"2020-05-01", "2024-05-01", "2022-05-01"} {
		must(c.nurse.SaveImmunization(ctxb, chart.Immunization{Meta: chart.Meta{PatientID: p}, Vaccine: chart.Coded{Display: "Influenza"}, Date: d}))(t)
	}
	sum := must(c.doc.ChartSummary(ctxb, p))(t)
	if sum.Problems[0].Status != chart.ProblemActive || sum.Problems[2].Status != chart.ProblemResolved {
		t.Fatalf("problems = %+v", sum.Problems)
	}
	if len(sum.Medications) != 1 || !strings.HasPrefix(sum.Medications[0].Drug.Display, "Lisinopril") {
		t.Fatalf("active medications = %+v", sum.Medications)
	}
	if sum.Immunizations[0].Date != "2024-05-01" || sum.Immunizations[2].Date != "2020-05-01" {
		t.Fatalf("immunizations = %+v", sum.Immunizations)
	}
}

func TestResultsFlagReviewAndAttachments(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	other := register(t, c.desk, samplePatient("Otto", "Other"))
	r := must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Potassium",
		System: chart.SystemLOINC, Code: "2823-3"}, Value: "6.1", Unit: "mmol/L", RefLow: "3.5", RefHigh: "5.1", CollectedAt: "2026-11-20"}))(t)
	if r.Flag != chart.ResultHigh {
		t.Fatalf("flag = %q, want high", r.Flag)
	}
	older := must(c.doc.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: other.ID}, Test: chart.Coded{Display: "HbA1c"},
		Value: "positive", CollectedAt: "2026-10-01"}))(t)
	queue := must(c.nurse.ResultsToReview(ctxb))(t)
	if len(queue) != 2 || queue[0].ID != older.ID || queue[1].ID != r.ID {
		t.Fatalf("queue = %+v, want oldest first", queue)
	}
	if sum := must(c.doc.ChartSummary(ctxb, p))(t); len(sum.ResultsToReview) != 1 || sum.ResultsToReview[0].ID != r.ID {
		t.Fatalf("summary results to review = %+v", sum.ResultsToReview)
	}

	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("scanned potassium report "), 100)...)
	a := must(c.doc.AttachToResult(ctxb, r.ID, `C:\scans\k report.pdf`, "application/pdf", pdf))(t)
	sum := sha256.Sum256(pdf)
	if a.FileName != "k report.pdf" || a.Size != int64(len(pdf)) || a.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("attachment = %+v", a)
	}
	got, data := attachmentData(t, c.nurse, a.ID)
	if !bytes.Equal(data, pdf) || got.ID != a.ID {
		t.Fatal("attachment bytes did not round-trip")
	}
	var changes int
	c.w.db.QueryRow(`SELECT count(*) FROM changes WHERE record_id = ? AND kind = ?`, a.ID, chart.KindAttachment).Scan(&changes)
	if changes != 1 {
		t.Fatalf("attachment wrote %d changes, want 1", changes)
	}
	if res := must(c.doc.Results(ctxb, p))(t); len(res[0].AttachmentIDs) != 1 || res[0].AttachmentIDs[0] != a.ID {
		t.Fatalf("result attachments = %+v", res[0].AttachmentIDs)
	}
	_, err := c.doc.AttachToResult(ctxb, r.ID, "photo.jpg", "image/jpeg", []byte("\x89PNG\r\n\x1a\nrest"))
	wantErr(t, err, chart.EINVALID, "file")
	_, err = c.doc.AttachToResult(ctxb, r.ID, "big.pdf", "application/pdf", append([]byte("%PDF-"), make([]byte, MaxAttachmentSize)...))
	wantErr(t, err, chart.EINVALID, "file")
	_, err = c.w.db.Exec(`UPDATE attachment_data SET sealed = x'00'`)
	if err == nil {
		t.Fatal("attachment bytes were changed in place")
	}

	acked := must(c.nurse.AcknowledgeResult(ctxb, r.ID))(t)
	if acked.ReviewedBy != c.nurse.User().ID || acked.ReviewedAt == nil || len(acked.AttachmentIDs) != 1 {
		t.Fatalf("acknowledged = %+v", acked)
	}
	if queue := must(c.doc.ResultsToReview(ctxb))(t); len(queue) != 1 || queue[0].ID != older.ID {
		t.Fatalf("queue after acknowledgement = %+v", queue)
	}
	if n := auditCount(t, c.w, chart.AuditChartOpen, other.ID, chart.KindResult); n != 2 {
		t.Fatalf("review queue reads of the other patient audited %d times, want 2", n)
	}
}

func attachmentData(t *testing.T, s *Session, id chart.RecordID) (chart.Attachment, []byte) {
	t.Helper()
	a, data, err := s.AttachmentData(ctxb, id)
	if err != nil {
		t.Fatal(err)
	}
	return a, data
}

func TestTemplates(t *testing.T) {
	c := newClinic(t)
	ts := must(c.nurse.Templates(ctxb))(t)
	if len(ts) != 4 || !ts[0].BuiltIn {
		t.Fatalf("templates = %+v", ts)
	}
	own := must(c.nurse.SaveTemplate(ctxb, chart.Template{Name: "Wound check", Kind: chart.NoteNursing,
		Sections: []chart.TemplateSection{{Key: "wound", Label: "Wound", Prompt: "Size, exudate, edges"}}}))(t)
	own.Name = "Wound check (leg ulcer)"
	must(c.nurse.SaveTemplate(ctxb, own))(t)
	ts = must(c.doc.Templates(ctxb))(t)
	if len(ts) != 5 || ts[4].Name != "Wound check (leg ulcer)" || ts[4].BuiltIn {
		t.Fatalf("templates = %+v", ts)
	}
	builtin := ts[0]
	builtin.Name = "Mine now"
	_, err := c.doc.SaveTemplate(ctxb, builtin)
	wantErr(t, err, chart.ECONFLICT, "")
}
