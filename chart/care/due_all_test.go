package care_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"outpost/cdsi"
	"outpost/chart"
	"outpost/chart/care"
)

// variedCharts is a practice in small: every age from newborn to 95,
// both sexes and none, no date of birth, childhood and adult vaccines,
// a refusal, diabetes with an HbA1c, a colonoscopy, decisions on a
// screening and on a vaccine, deceased and inactive patients.
func variedCharts(n int, asOf time.Time) []chart.CareChart {
	vaccines := []string{"03", "20", "08", "141", "115", "187", "33", "133", "62", "10", "21", "83"}
	charts := make([]chart.CareChart, n)
	for i := range charts {
		id := chart.PatientID(fmt.Sprintf("p%04d", i))
		born := asOf.AddDate(-(i % 96), -(i % 12), -(i % 28))
		p := chart.Patient{ID: id, GivenName: "Given", FamilyName: fmt.Sprintf("Family%d", i),
			BirthDate: born.Format(time.DateOnly), Sex: []chart.Sex{chart.SexFemale, chart.SexMale, ""}[i%3]}
		switch i % 17 {
		case 5:
			p.BirthDate = ""
		case 7:
			p.Deceased = true
		case 11:
			p.Inactive = true
		}
		c := chart.CareChart{Patient: p}
		meta := func(k string, j int) chart.Meta {
			return chart.Meta{ID: chart.RecordID(fmt.Sprintf("%s-%s-%d", id, k, j)), PatientID: id}
		}
		for j := range i % 7 {
			day := born.AddDate(0, 2*(j+1)+i%5, 0)
			if day.After(asOf) {
				break
			}
			c.Immunizations = append(c.Immunizations, chart.Immunization{Meta: meta("imm", j),
				Vaccine: chart.Coded{System: chart.SystemCVX, Code: vaccines[(i+j)%len(vaccines)]}, Date: day.Format(time.DateOnly),
				Refused: i%13 == 0 && j == 0})
		}
		if i%4 == 0 {
			c.Problems = append(c.Problems, chart.Problem{Meta: meta("prob", 0), Status: chart.ProblemActive,
				Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"}})
			c.Results = append(c.Results, chart.Result{Meta: meta("res", 0), Value: "7.9",
				Test: chart.Coded{System: chart.SystemLOINC, Code: "4548-4"}, CollectedAt: asOf.AddDate(0, -i%9, 0).Format(time.DateOnly)})
		}
		if i%6 == 1 {
			c.Procedures = append(c.Procedures, chart.Procedure{Meta: meta("proc", 0), Code: chart.Coded{Display: "Colonoscopy"},
				Status: "completed", Performed: asOf.AddDate(-i%12, 0, 0).Format(time.DateOnly)})
		}
		if i%9 == 2 {
			c.Decisions = append(c.Decisions, chart.CareDecision{Meta: meta("dec", 0), RuleID: cdsi.RuleID("Zoster"),
				Decision: chart.DecisionDeclined, Reason: "Not now", Date: asOf.AddDate(0, -2, 0).Format(time.DateOnly)},
				chart.CareDecision{Meta: meta("dec", 1), RuleID: "uspstf-colorectal", Decision: chart.DecisionDoneElsewhere,
					Date: asOf.AddDate(-1, 0, 0).Format(time.DateOnly)})
		}
		charts[i] = c
	}
	return charts
}

// TestDueAllIsDueWithOnEveryChart: the recall list's evaluation on
// several cores gives each chart what DueWith gives it alone, in the
// charts' order, and nothing for a patient the lists leave out.
func TestDueAllIsDueWithOnEveryChart(t *testing.T) {
	asOf := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	charts := variedCharts(700, asOf)
	engines := []care.Engine{care.Screenings, care.WithDecisions(cdsi.DueItems)}
	forecastItems, decided := 0, 0
	for _, workers := range []int{1, 2, 5} {
		got := care.DueAllOn(charts, asOf, workers, engines)
		if len(got) != len(charts) {
			t.Fatalf("%d workers: %d results for %d charts", workers, len(got), len(charts))
		}
		for i, c := range charts {
			var want []chart.DueItem
			if care.Listed(c.Patient) {
				want = care.DueWith(c, asOf, engines...)
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Fatalf("%d workers, chart %d (%s born %q):\n got %+v\nwant %+v", workers, i, c.Patient.ID, c.Patient.BirthDate, got[i], want)
			}
			for _, it := range want {
				if it.Category == "immunization" {
					forecastItems++
				}
				if it.Status == chart.CareDeclined {
					decided++
				}
			}
		}
	}
	if forecastItems == 0 || decided == 0 {
		t.Fatalf("the charts exercise too little: %d vaccine items, %d declined", forecastItems, decided)
	}
}
