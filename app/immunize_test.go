package app_test

import (
	"context"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
)

// The immunizations tab's forecast over the real store: a clinician sees
// DTaP dose 3 forecast after two charted doses; the front desk, which sees
// no clinical content, is refused.
func TestImmunizationForecast(t *testing.T) {
	a := newApp(t, app.Options{Events: &recorder{}})
	a.Startup(context.Background())
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Admin.AddUser(chart.NewUser{FullName: "Cy Clinician", Username: "cy", Role: chart.RoleClinician, Passphrase: "clinician passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Admin.AddUser(chart.NewUser{FullName: "Fran Desk", Username: "fran", Role: chart.RoleFrontDesk, Passphrase: "front desk passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session.SignIn("cy", "clinician passphrase"); err != nil {
		t.Fatal(err)
	}
	today := time.Now()
	day := func(months int) string { return today.AddDate(0, months, 0).Format("2006-01-02") }
	p, err := a.Patients.Register(chart.Patient{GivenName: "Mia", FamilyName: "Stone", BirthDate: day(-5), Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []int{-3, -1} {
		im := chart.Immunization{Meta: chart.Meta{PatientID: p.ID}, Vaccine: chart.Coded{System: chart.SystemCVX, Code: "20", Display: "DTaP"}, Date: day(m), Source: "historical"}
		if _, err := a.Chart.SaveImmunization(im); err != nil {
			t.Fatal(err)
		}
	}
	f, err := a.Chart.ImmunizationForecast(string(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	var dtap bool
	for _, g := range f.Groups {
		if g.VaccineGroup == "DTaP/Tdap/Td" {
			dtap = true
			if g.Status != "Not Complete" || g.DoseNumber != 3 || len(g.Doses) != 2 || g.Doses[1].Status != "Valid" {
				t.Errorf("DTaP: %+v", g)
			}
		}
	}
	if !dtap || f.AsOf != today.Format("2006-01-02") || f.Source == "" {
		t.Fatalf("forecast: %+v", f)
	}
	if _, err := a.Chart.ImmunizationForecast("not-an-id"); code(err) != chart.EINVALID {
		t.Errorf("bad id: %v", err)
	}
	a.Session.Lock()
	if _, err := a.Session.SignIn("fran", "front desk passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Chart.ImmunizationForecast(string(p.ID)); code(err) != chart.EFORBIDDEN {
		t.Errorf("front desk read a forecast: %v", err)
	}
}
