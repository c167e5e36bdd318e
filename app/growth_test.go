package app_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
	"outpost/growth"
)

// A 13-month-old's weight, length and head circumference, recorded
// through the app, come back on each infant chart scored as the growth
// package scores them; a retracted set is left out; a patient whose sex is
// not male or female gets a clear refusal.
func TestGrowthSeriesThroughTheApp(t *testing.T) {
	a := clinicianApp(t, app.Options{Events: &recorder{}})
	birth := time.Now().AddDate(-1, -1, 0).Format(time.DateOnly)
	p, err := a.Patients.Register(chart.Patient{GivenName: "Ines", FamilyName: "Moreau", BirthDate: birth, Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	taken := time.Now().Format("2006-01-02T15:04")
	reading := func(x float64) *chart.VitalReading { return &chart.VitalReading{Value: x} }
	if _, err := a.Chart.RecordVitals(string(p.ID), "", taken, chart.VitalsEntry{Weight: reading(9.2), Height: reading(74.5), HeadCircumference: reading(45.1)}); err != nil {
		t.Fatal(err)
	}
	wrong, err := a.Chart.RecordVitals(string(p.ID), "", taken, chart.VitalsEntry{Weight: reading(19.2), Height: reading(47.5), HeadCircumference: reading(55.1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Chart.MarkEnteredInError(string(chart.KindVitals), string(wrong.ID), "typed into the wrong chart"); err != nil {
		t.Fatal(err)
	}
	age, _ := growth.AgeMonths(birth, taken)
	for id, y := range map[growth.ChartID]float64{growth.WeightForAgeInfant: 9.2, growth.LengthForAge: 74.5, growth.HeadForAge: 45.1} {
		s, err := a.Chart.Growth(string(p.ID), string(id))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := growth.ScoreAt(id, growth.Female, age, y)
		if s.Reference != "CDC 2000" || len(s.Curves) != 9 || len(s.Points) != 1 || s.Points[0].Score == nil ||
			math.Abs(s.Points[0].Score.Z-want.Z) > 1e-12 {
			t.Errorf("%s: %+v, want one point with z %v", id, s.Points, want.Z)
		}
	}

	if _, err := a.Chart.Growth(string(p.ID), "weight-age-who"); chart.ErrorCode(err) != chart.EINVALID {
		t.Errorf("an unknown chart: %v", err)
	}
	other, err := a.Patients.Register(chart.Patient{GivenName: "Kai", FamilyName: "Moreau", BirthDate: birth, Sex: chart.SexUnknown})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Chart.Growth(string(other.ID), string(growth.WeightForAgeInfant))
	if chart.ErrorCode(err) != chart.EINVALID || !strings.Contains(err.Error(), "male or female") {
		t.Errorf("sex unknown: %v", err)
	}
	if _, err := a.Chart.Growth("not-an-id", string(growth.WeightForAgeInfant)); chart.ErrorCode(err) != chart.EINVALID {
		t.Errorf("a malformed id: %v", err)
	}
}
