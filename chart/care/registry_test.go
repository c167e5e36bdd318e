package care

import (
	"bytes"
	"strings"
	"testing"

	"outpost/chart"
)

func measure(t *testing.T, row RegistryRow, name string) Measure {
	t.Helper()
	for _, m := range row.Measures {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("no %s in %+v", name, row)
	return Measure{}
}

func TestDiabetesRegistry(t *testing.T) {
	reg, _ := RegistryFor("diabetes")
	c := withProblem(patient(chart.SexFemale, bornYearsAgo(60, 0)), "E11.9")
	if _, ok := reg.Row(patient(chart.SexFemale, bornYearsAgo(60, 0)), Settings{}, asOf); ok {
		t.Error("a patient without diabetes is on the registry")
	}
	cases := []struct {
		name, a1cDate, value, want string
		s                          Settings
	}{
		{"A1c 7.1 five months ago", ago(0, 5, 0), "7.1", MeasureOK, Settings{}},
		{"A1c 7.1 six months ago to the day", ago(0, 6, 0), "7.1", MeasureOverdue, Settings{}},
		{"A1c 7.1 six months ago, practice wants 12", ago(0, 6, 0), "7.1", MeasureOK, Settings{A1cMonths: 12}},
		{"A1c 8.0 %", ago(0, 1, 0), "8.0 %", MeasureOutOfRange, Settings{}},
		{"A1c 8.0, target 9", ago(0, 1, 0), "8.0", MeasureOK, Settings{A1cTarget: 9}},
	}
	for _, tc := range cases {
		row, ok := reg.Row(withResult(c, "4548-4", tc.a1cDate, tc.value), tc.s, asOf)
		if m := measure(t, row, "HbA1c"); !ok || m.Status != tc.want {
			t.Errorf("%s: %+v, want %s", tc.name, m, tc.want)
		}
	}
	row, _ := reg.Row(withProcedure(withProcedure(c, "Diabetic foot exam", ago(0, 11, 0)), "Dilated retinal exam", ago(1, 0, 0)), Settings{}, asOf)
	if m := measure(t, row, "foot exam"); m.Status != MeasureOK {
		t.Errorf("foot exam 11 months ago: %+v", m)
	}
	if m := measure(t, row, "eye exam"); m.Status != MeasureOverdue {
		t.Errorf("eye exam 12 months ago: %+v", m)
	}
	if !row.Attention {
		t.Error("a row with an overdue measure does not ask for attention")
	}
}

func TestHypertensionControl(t *testing.T) {
	reg, _ := RegistryFor("hypertension")
	c := withProblem(patient(chart.SexMale, bornYearsAgo(60, 0)), "I10")
	cases := []struct {
		sys, dia float64
		date     string
		s        Settings
		want     string
	}{
		{139, 89, ago(0, 1, 0), Settings{}, MeasureOK},
		{140, 80, ago(0, 1, 0), Settings{}, MeasureOutOfRange},
		{130, 90, ago(0, 1, 0), Settings{}, MeasureOutOfRange},
		{135, 85, ago(0, 1, 0), Settings{Systolic: 130, Diastolic: 80}, MeasureOutOfRange},
		{120, 70, ago(1, 0, 0), Settings{}, MeasureOverdue},
	}
	for _, tc := range cases {
		row, _ := reg.Row(withBP(withBP(c, 170, 100, ago(3, 0, 0)), tc.sys, tc.dia, tc.date), tc.s, asOf)
		if m := measure(t, row, "blood pressure"); m.Status != tc.want {
			t.Errorf("%g/%g on %s: %+v, want %s", tc.sys, tc.dia, tc.date, m, tc.want)
		}
	}
}

func TestAirwayReview(t *testing.T) {
	reg, _ := RegistryFor("asthma-copd")
	c := withProblem(patient(chart.SexMale, bornYearsAgo(30, 0)), "J45.909")
	row, ok := reg.Row(c, Settings{}, asOf)
	if !ok || !row.Attention {
		t.Fatalf("asthma never reviewed: %+v", row)
	}
	c.Encounters = []chart.Encounter{{Start: ago(0, 3, 0) + "T10:00", Diagnoses: []chart.Coded{{System: chart.SystemICD10CM, Code: "J45.909"}}}}
	if row, _ := reg.Row(c, Settings{}, asOf); row.Attention {
		t.Errorf("asthma visit 3 months ago: %+v", row)
	}
}

func TestRecallFilters(t *testing.T) {
	c := patient(chart.SexFemale, bornYearsAgo(50, 0))
	c = withProcedure(c, "Screening mammography", ago(1, 11, 5)) // due on the 31st
	items := dueFor(t, c, asOf)
	all, ok := RecallRowFor(c, items, RecallFilter{}, asOf)
	if !ok || len(all.Items) < 2 {
		t.Fatalf("all: %+v", all)
	}
	month, _ := RecallRowFor(c, items, RecallFilter{Status: RecallThisMonth}, asOf)
	if len(month.Items) != 1 || month.Items[0].RuleID != "uspstf-breast" {
		t.Errorf("due this month: %+v", month.Items)
	}
	over, _ := RecallRowFor(c, items, RecallFilter{Status: RecallOverdue}, asOf)
	for _, it := range over.Items {
		if it.Status != chart.CareOverdue {
			t.Errorf("overdue list holds %+v", it)
		}
	}
	if len(over.Items) != len(all.Items)-1 {
		t.Errorf("overdue %d of %d", len(over.Items), len(all.Items))
	}
	c.Patient.Deceased = true
	if _, ok := RecallRowFor(c, items, RecallFilter{}, asOf); ok {
		t.Error("a deceased patient is on the recall list")
	}
	if (RecallFilter{Status: "soon"}).Validate() == nil {
		t.Error("an unknown filter was accepted")
	}
}

func TestRecallCSV(t *testing.T) {
	c := patient(chart.SexFemale, bornYearsAgo(50, 0))
	c.Patient.GivenName, c.Patient.Phone, c.Patient.MRN = "=HYPERLINK(\"x\")", "+64 27 555 0101", "M-1"
	c.Contacts = []chart.RecallContact{{Date: ago(0, 0, 3), Method: "phone", Outcome: "no-answer"}, {Date: ago(0, 0, 1), Method: "letter", Outcome: "reached"}}
	row, _ := RecallRowFor(c, dueFor(t, c, asOf), RecallFilter{}, asOf)
	var b bytes.Buffer
	if err := WriteCSV(&b, []RecallRow{row}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 1+len(row.Items) {
		t.Fatalf("%d lines for %d items", len(lines), len(row.Items))
	}
	if !strings.HasPrefix(lines[0], "MRN,Name,Birth date") {
		t.Errorf("header %q", lines[0])
	}
	if strings.Contains(b.String(), ",=HYPERLINK") || !strings.Contains(lines[1], "'+64 27 555 0101") {
		t.Errorf("a formula got through: %q", lines[1])
	}
	if !strings.HasSuffix(lines[1], ","+ago(0, 0, 1)+",letter,reached") {
		t.Errorf("last contact not the latest: %q", lines[1])
	}
}
