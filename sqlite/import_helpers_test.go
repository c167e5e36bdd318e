package sqlite

import (
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

// importClinic is a practice with a clinician signed in, who imports.
func importClinic(t testing.TB) (*fixture, *Session) {
	t.Helper()
	f := newFixture(t)
	f.addUser(t, f.admin, "cleo", chart.RoleClinician, clinicianPass)
	return f, f.signIn(t, "cleo", clinicianPass)
}

var samplePDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// importBatch is one patient as a mapper gives it: ids are the stable
// import ids of each source resource (key names the patient's source).
func importBatch(ids func(string) chart.RecordID, key, given, family string, external bool) chart.PatientRecords {
	src := func(typ, id string) *chart.SourceRef {
		return &chart.SourceRef{System: "Valley Hospital", Type: typ, ID: id, ImportID: "imp-1",
			ImportedAt: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), External: external}
	}
	meta := func(typ, id string) chart.Meta {
		return chart.Meta{ID: ids(key + "|" + typ + "/" + id), Origin: src(typ, id)}
	}
	enc := chart.Encounter{Meta: meta("Encounter", "e1"), Type: chart.EncounterOther, Class: "EMER",
		TypeText: "Emergency room admission", Start: "2026-03-02T10:15", End: "2026-03-02T13:40",
		ClinicianName: "Dr. Hal Quinlan", Reason: "Fall", Diagnoses: []chart.Coded{{Display: "Sprained wrist"}}}
	result := chart.Result{Meta: meta("Observation", "o1"), Test: chart.Coded{System: chart.SystemLOINC, Code: "718-7",
		Display: "Hemoglobin"}, Value: "13.1", Unit: "g/dL", RefLow: "12", RefHigh: "16", CollectedAt: "2026-03-02T11:00",
		EncounterID: enc.ID, ReportID: ids(key + "|DiagnosticReport/r1"), ReportName: "CBC panel", Performer: "Valley Lab"}
	pdf := chart.ImportedAttachment{Attachment: chart.Attachment{Meta: meta("DocumentReference", "pdf1"),
		FileName: "cbc.pdf", MediaType: "application/pdf"}, Data: samplePDF, ResultIDs: []chart.RecordID{result.ID}}
	return chart.PatientRecords{
		Patient: chart.Patient{ID: chart.PatientID(ids(key + "|Patient/p1")), GivenName: given, FamilyName: family,
			BirthDate: "1958-07-30", Sex: chart.SexFemale, Phone: "+1 555 0199 111", Email: "q@example.org",
			Identifiers: []chart.Identifier{{System: "http://valley.example/mrn", Value: key + "-MRN", Type: "MR"}},
			Origin:      src("Patient", "p1")},
		Encounters: []chart.Encounter{enc},
		Problems: []chart.Problem{{Meta: meta("Condition", "c1"), Condition: chart.Coded{System: chart.SystemSNOMED,
			Code: "44054006", Display: "Diabetes mellitus type 2"}, Onset: "2019-05", Abatement: "", Verification: "confirmed"}},
		Results:     []chart.Result{result},
		Attachments: []chart.ImportedAttachment{pdf},
		Notes: []chart.Note{{Meta: meta("DocumentReference", "d1"), Kind: chart.NoteClinical, Title: "Discharge summary",
			EncounterID: enc.ID, Sections: []chart.NoteSection{{Key: "text", Label: "Note", Text: "Wrist strapped; review in a week."}},
			Imported: &chart.ImportedNote{AuthorName: "Dr. Hal Quinlan", Organization: "Valley Hospital", Date: "2026-03-02T13:30"}}},
		Procedures: []chart.Procedure{{Meta: meta("Procedure", "pr1"), Code: chart.Coded{System: chart.SystemSNOMED,
			Code: "274474001", Display: "Bone immobilization"}, Status: "completed", Performed: "2026-03-02T12:00",
			EncounterID: enc.ID}},
		Sources: []chart.SourceDocument{{Meta: meta("Bundle", "b1"), ImportID: "imp-1", File: "valley.json", Part: 1, Parts: 1,
			Types: map[string]int{"Patient": 1, "Claim": 1}, NDJSON: `{"resourceType":"Claim","id":"cl1"}` + "\n"}},
	}
}

// recordCount counts rows of records and chart changes (audit entries
// travel as changes too): what an import writes.
func recordCount(t testing.TB, w *Workstation) (records, changes int) {
	t.Helper()
	if err := w.db.QueryRow(`SELECT count(*) FROM changes WHERE kind != ?`, kindAudit).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	return countRows(t, w, "records"), changes
}

// actionDetails joins the details of the practice's audit entries of one
// action, as an administrator reads them.
func actionDetails(t testing.TB, f *fixture, action chart.AuditAction) string {
	t.Helper()
	return joinedDetails(must(f.admin.Audit(ctxb, chart.AuditFilter{Action: action, Limit: 1000}))(t))
}

// joinedDetails is the entries' details, a line each.
func joinedDetails(entries []chart.AuditEntry) string {
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.Detail + "\n")
	}
	return b.String()
}
