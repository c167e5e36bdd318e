package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
)

const (
	clinicianPass = "clinician passphrase 1"
	nursePass     = "nurse passphrase 12345"
	deskPass      = "front desk passphrase"
)

// clinic is a practice with a clinician, a nurse and a front desk user
// signed in, and one registered patient.
type clinic struct {
	*fixture
	doc, nurse, desk *Session
	patient          chart.Patient
}

func newClinic(t testing.TB) *clinic {
	t.Helper()
	c := &clinic{fixture: newFixture(t)}
	c.addUser(t, c.admin, "cleo", chart.RoleClinician, clinicianPass)
	c.addUser(t, c.admin, "nina", chart.RoleNurse, nursePass)
	c.addUser(t, c.admin, "desk", chart.RoleFrontDesk, deskPass)
	c.doc = c.signIn(t, "cleo", clinicianPass)
	c.nurse = c.signIn(t, "nina", nursePass)
	c.desk = c.signIn(t, "desk", deskPass)
	c.patient = register(t, c.desk, samplePatient("Mara", "Clinicday"))
	return c
}

// must turns a (value, error) result into its value, failing t on error:
// must(s.SaveProblem(ctx, p))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func reading(x float64) *chart.VitalReading { return &chart.VitalReading{Value: x} }

func sampleEncounter(p chart.PatientID) chart.Encounter {
	return chart.Encounter{Meta: chart.Meta{PatientID: p}, Type: chart.EncounterOffice, Start: "2026-11-23T08:30",
		Reason: "Sore throat and fever"}
}

func sampleAllergy(p chart.PatientID, substance string) chart.Allergy {
	return chart.Allergy{Meta: chart.Meta{PatientID: p}, Substance: chart.Coded{Display: substance},
		Reaction: "hives", Severity: "moderate", Verification: chart.AllergyConfirmed}
}

func sampleMed(p chart.PatientID, drug string) chart.Medication {
	return chart.Medication{Meta: chart.Meta{PatientID: p}, Drug: chart.Coded{Display: drug}, Dose: "500", Unit: "mg",
		Route: "oral", Frequency: "three times a day", StartDate: "2026-11-23"}
}

func sampleNote(p chart.PatientID, enc chart.RecordID, text string) chart.Note {
	return chart.Note{Meta: chart.Meta{PatientID: p}, EncounterID: enc, Kind: chart.NoteClinical, Title: "Acute visit",
		TemplateID: "builtin-acute-soap", Sections: []chart.NoteSection{
			{Key: "subjective", Label: "Subjective", Text: text},
			{Key: "plan", Label: "Plan", Text: "Fluids and rest."}}}
}

// tableCounts counts the rows of the tables a write touches.
func tableCounts(t testing.TB, w *Workstation) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"records", "changes", "attachment_data"} {
		out[table] = countRows(t, w, table)
	}
	return out
}

// auditCount counts audit entries matching action and patient.
func auditCount(t testing.TB, w *Workstation, action chart.AuditAction, patient chart.PatientID, kind string) int {
	t.Helper()
	var n int
	err := w.db.QueryRow(`SELECT count(*) FROM audit_log WHERE action = ? AND patient_id = ? AND record_kind = ?`,
		string(action), string(patient), kind).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var ctxb = context.Background()
