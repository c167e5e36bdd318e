package cdsi

import (
	"testing"
	"time"

	"outpost/chart"
)

// A 5-month-old girl with DTaP at 2 and 4 months (a third charted dose was
// refused, a fourth entered in error): DTaP dose 3 is forecast from 6
// months, the refused and retracted ones count for nothing, and a
// too-early hepatitis A dose shows as not valid with its reason.
func TestForecastChart(t *testing.T) {
	p := chart.Patient{BirthDate: "2025-01-10", Sex: chart.SexFemale}
	dtap := chart.Coded{System: chart.SystemCVX, Code: "20", Display: "DTaP"}
	imms := []chart.Immunization{
		{Meta: chart.Meta{ID: "a"}, Vaccine: dtap, Date: "2025-03-10"},
		{Meta: chart.Meta{ID: "b"}, Vaccine: dtap, Date: "2025-05-10"},
		{Meta: chart.Meta{ID: "c"}, Vaccine: dtap, Date: "2025-06-01", Refused: true},
		{Meta: chart.Meta{ID: "d", EnteredInError: &chart.EnteredInError{}}, Vaccine: dtap, Date: "2025-06-02"},
		{Meta: chart.Meta{ID: "e"}, Vaccine: chart.Coded{Code: "83", Display: "Hep A"}, Date: "2025-06-05"},
	}
	f, err := ForecastChart(p, imms, time.Date(2025, 6, 10, 15, 0, 0, 0, time.Local))
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]GroupForecast{}
	for _, g := range f.Groups {
		by[g.VaccineGroup] = g
	}
	d := by["DTaP/Tdap/Td"]
	if d.Status != NotComplete || d.DoseNumber != 3 || d.Earliest != "2025-06-07" || d.Recommended != "2025-07-10" || len(d.Doses) != 2 {
		t.Errorf("DTaP: %+v", d)
	}
	h := by["HepA"]
	if len(h.Doses) != 1 || h.Doses[0].Status != NotValid || h.Doses[0].Reason != "Age: Too Young" {
		t.Errorf("HepA at 5 months: %+v", h.Doses)
	}
	if len(f.Skipped) != 1 {
		t.Errorf("skipped: %v, want the refused dose only", f.Skipped)
	}
	if _, ok := by["Rabies"]; ok {
		t.Errorf("a risk-only group with no indication is listed: %+v", by["Rabies"])
	}
	due := DueOn(f, time.Date(2025, 7, 10, 0, 0, 0, 0, time.UTC))
	found := false
	for _, x := range due {
		if x.VaccineGroup == "DTaP/Tdap/Td" {
			found = true
			if x.Overdue {
				t.Errorf("DTaP overdue on its recommended date: %+v", x)
			}
		}
	}
	if !found {
		t.Errorf("DTaP not due on its recommended date: %+v", due)
	}
	if _, err := ForecastChart(chart.Patient{}, imms, time.Now()); chart.ErrorCode(err) != chart.EINVALID {
		t.Errorf("no date of birth: %v", err)
	}
}
