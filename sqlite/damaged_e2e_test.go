package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"outpost/chart"
)

// TestE2EDamagedChartStore makes the store frontend/e2e/damaged.mjs opens:
// a practice in $OUTPOST_E2E_DAMAGED_DIR on the real clock, where clinician
// "cleo" (clinicianPass) charts three medications for Mara Damaged, an
// allergy and a problem, and then a byte of the Amoxicillin record and of
// another patient's record is flipped on disk. Skipped unless the e2e asks
// for it.
func TestE2EDamagedChartStore(t *testing.T) {
	dir := os.Getenv("OUTPOST_E2E_DAMAGED_DIR")
	if dir == "" {
		t.Skip("only for frontend/e2e/damaged.mjs (OUTPOST_E2E_DAMAGED_DIR)")
	}
	ctx := context.Background()
	w, err := OpenWorkstation(ctx, filepath.Join(dir, "chart.db"), Options{WorkFactor: testWorkFactor, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s, _, err := w.CreatePractice(ctx, chart.NewPractice{PracticeName: "Outpost Valley Clinic",
		Admin: chart.NewUser{FullName: "Ada Administrator", Username: "ada", Passphrase: adminPass}})
	if err != nil {
		t.Fatal(err)
	}
	admin := s.(*Session)
	f := &fixture{w: w, admin: admin}
	f.addUser(t, admin, "cleo", chart.RoleClinician, clinicianPass)
	p := register(t, admin, samplePatient("Mara", "Damaged"))
	victim := register(t, admin, samplePatient("Tamper", "Victim"))
	doc := f.signIn(t, "cleo", clinicianPass)
	must(doc.SaveMedication(ctx, sampleMed(p.ID, "Metformin"), ""))(t)
	bad := must(doc.SaveMedication(ctx, sampleMed(p.ID, "Amoxicillin"), ""))(t)
	must(doc.SaveMedication(ctx, sampleMed(p.ID, "Lisinopril"), ""))(t)
	must(doc.SaveAllergy(ctx, sampleAllergy(p.ID, "Latex")))(t)
	must(doc.SaveProblem(ctx, chart.Problem{Meta: chart.Meta{PatientID: p.ID}, Condition: chart.Coded{Display: "Asthma"},
		Status: chart.ProblemActive}))(t)
	flipByte(t, w, "sealed", bad.ID)
	flipByte(t, w, "sealed", chart.RecordID(victim.ID))
	for _, s := range []*Session{doc, admin} {
		if err := s.Lock(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
