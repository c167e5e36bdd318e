package care

import (
	"fmt"
	"testing"
	"time"

	"outpost/chart"
)

var asOf = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)

// bornYearsAgo is a birth date that makes the patient reach the age of
// years on asOf shifted by dayShift days (-1: the birthday is tomorrow).
func bornYearsAgo(years, dayShift int) string {
	return asOf.AddDate(-years, 0, -dayShift).Format(time.DateOnly)
}

func patient(sex chart.Sex, birth string) chart.CareChart {
	return chart.CareChart{Patient: chart.Patient{ID: "p1", GivenName: "Hine", FamilyName: "Carter", BirthDate: birth, Sex: sex}}
}

func ago(years, months, days int) string {
	return asOf.AddDate(-years, -months, -days).Format(time.DateOnly)
}

func find(items []chart.DueItem, id string) (chart.DueItem, bool) {
	for _, it := range items {
		if it.RuleID == id {
			return it, true
		}
	}
	return chart.DueItem{}, false
}

func dueFor(t *testing.T, c chart.CareChart, at time.Time) []chart.DueItem {
	t.Helper()
	items, err := Due(c, at)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func withResult(c chart.CareChart, loinc, date, value string) chart.CareChart {
	c.Results = append(c.Results, chart.Result{Test: chart.Coded{System: chart.SystemLOINC, Code: loinc}, Value: value, CollectedAt: date})
	return c
}

func withProcedure(c chart.CareChart, display, date string) chart.CareChart {
	c.Procedures = append(c.Procedures, chart.Procedure{Code: chart.Coded{Display: display}, Status: "completed", Performed: date})
	return c
}

func withProblem(c chart.CareChart, icd string) chart.CareChart {
	c.Problems = append(c.Problems, chart.Problem{Condition: chart.Coded{System: chart.SystemICD10CM, Code: icd}, Status: chart.ProblemActive})
	return c
}

func withBMI(c chart.CareChart, bmi float64, date string) chart.CareChart {
	c.Vitals = append(c.Vitals, chart.VitalsRecord{TakenAt: date + "T09:00", Signs: chart.VitalSigns{BMI: &bmi}})
	return c
}

func withBP(c chart.CareChart, sys, dia float64, date string) chart.CareChart {
	c.Vitals = append(c.Vitals, chart.VitalsRecord{TakenAt: date + "T09:00", Signs: chart.VitalSigns{Systolic: &sys, Diastolic: &dia}})
	return c
}

func withSmoking(c chart.CareChart, code, packYears, date string) chart.CareChart {
	c.Social = append(c.Social, chart.SocialHistory{Date: date, Smoking: chart.Coded{System: chart.SystemSNOMED, Code: code}, PackYears: packYears})
	return c
}

const (
	dailySmoker = "449868002"
	exSmoker    = "8517006"
	neverSmoked = "266919005"
)

// TestRuleAgeEdges checks each rule's age range at its edges: the day
// before and the day of the first birthday in range, and the day before
// and the day of the first birthday past it. The ages are written out
// here, not read from rules.json, so a slip in the data fails.
func TestRuleAgeEdges(t *testing.T) {
	smoker := func(c chart.CareChart) chart.CareChart { return withSmoking(c, dailySmoker, "30", ago(0, 1, 0)) }
	overweight := func(c chart.CareChart) chart.CareChart { return withBMI(c, 31, ago(0, 2, 0)) }
	cases := []struct {
		rule     string
		sex      chart.Sex
		min, end int // first age in range, first age past it (0: none)
		setup    func(chart.CareChart) chart.CareChart
	}{
		{"uspstf-bp-40", chart.SexMale, 40, 0, nil},
		{"uspstf-bp-18", chart.SexFemale, 18, 40, nil},
		{"uspstf-statin-lipids", chart.SexMale, 40, 76, nil},
		{"uspstf-diabetes", chart.SexFemale, 35, 71, overweight},
		{"uspstf-colorectal", chart.SexMale, 45, 76, nil},
		{"uspstf-cervical-21", chart.SexFemale, 21, 30, nil},
		{"uspstf-cervical-30", chart.SexFemale, 30, 66, nil},
		{"uspstf-breast", chart.SexFemale, 40, 75, nil},
		{"uspstf-lung", chart.SexMale, 50, 81, smoker},
		{"uspstf-aaa", chart.SexMale, 65, 76, smoker},
		{"uspstf-hepatitis-c", chart.SexFemale, 18, 80, nil},
		{"uspstf-hiv", chart.SexMale, 15, 66, nil},
		{"uspstf-depression-adult", chart.SexFemale, 19, 0, nil},
		{"uspstf-depression-adolescent", chart.SexMale, 12, 19, nil},
		{"uspstf-osteoporosis", chart.SexFemale, 65, 0, nil},
		{"bright-futures-well-child", chart.SexFemale, 0, 22, nil},
	}
	for _, tc := range cases {
		at := func(years, shift int) bool {
			c := patient(tc.sex, bornYearsAgo(years, shift))
			if tc.setup != nil {
				c = tc.setup(c)
			}
			_, ok := find(dueFor(t, c, asOf), tc.rule)
			return ok
		}
		t.Run(tc.rule, func(t *testing.T) {
			if tc.min > 0 {
				if at(tc.min, -1) {
					t.Errorf("applies the day before the %d-th birthday", tc.min)
				}
				if !at(tc.min, 0) {
					t.Errorf("does not apply on the %d-th birthday", tc.min)
				}
			}
			if tc.end > 0 {
				if !at(tc.end, -1) {
					t.Errorf("stops the day before the %d-th birthday", tc.end)
				}
				if at(tc.end, 0) {
					t.Errorf("still applies on the %d-th birthday", tc.end)
				}
			} else if !at(100, 0) {
				t.Error("has an upper age it should not have")
			}
		})
	}
}

// TestRuleSex checks the sex-specific rules skip the other sex.
func TestRuleSex(t *testing.T) {
	for rule, other := range map[string]chart.Sex{"uspstf-breast": chart.SexMale, "uspstf-cervical-30": chart.SexMale,
		"uspstf-osteoporosis": chart.SexMale, "uspstf-aaa": chart.SexFemale} {
		c := withSmoking(patient(other, bornYearsAgo(66, 0)), dailySmoker, "30", ago(0, 1, 0))
		if _, ok := find(dueFor(t, c, asOf), rule); ok {
			t.Errorf("%s applies to %s", rule, other)
		}
	}
}

func TestNeverScreenedIsDueThenOverdue(t *testing.T) {
	c := patient(chart.SexMale, bornYearsAgo(45, 0))
	it, _ := find(dueFor(t, c, asOf), "uspstf-colorectal")
	if it.Status != chart.CareDue || it.DueDate != asOf.Format(time.DateOnly) {
		t.Errorf("on the 45th birthday: %+v, want due today", it)
	}
	it, _ = find(dueFor(t, c, asOf.AddDate(0, 0, 90)), "uspstf-colorectal")
	if it.Status != chart.CareDue {
		t.Errorf("90 days later: %s, want still due", it.Status)
	}
	it, _ = find(dueFor(t, c, asOf.AddDate(0, 0, 91)), "uspstf-colorectal")
	if it.Status != chart.CareOverdue {
		t.Errorf("91 days later: %s, want overdue", it.Status)
	}
}

func TestColorectalIntervalsByMethod(t *testing.T) {
	c := patient(chart.SexFemale, bornYearsAgo(60, 0))
	cases := []struct {
		name, due string
		c         chart.CareChart
		status    string
	}{
		{"colonoscopy 9 years ago", ago(-1, 0, 0), withProcedure(c, "Colonoscopy", ago(9, 0, 0)), chart.CareUpToDate},
		{"colonoscopy 10 years ago", ago(0, 0, 0), withProcedure(c, "Colonoscopy", ago(10, 0, 0)), chart.CareDue},
		{"colonoscopy 10 years 91 days ago", ago(0, 0, 91), withProcedure(c, "Colonoscopy", ago(10, 0, 91)), chart.CareOverdue},
		{"FIT 11 months 5 days ago", "2026-12-31", withResult(c, "57905-2", ago(0, 11, 5), "negative"), chart.CareDue},
		{"FIT 11 months ago: due in 31 days", ago(0, -1, 0), withResult(c, "57905-2", ago(0, 11, 0), "negative"), chart.CareUpToDate},
		{"FIT 10 months ago", ago(0, -2, 0), withResult(c, "57905-2", ago(0, 10, 0), "negative"), chart.CareUpToDate},
		{"stool DNA 2 years ago", ago(-1, 0, 0), withResult(c, "77354-9", ago(2, 0, 0), "negative"), chart.CareUpToDate},
		{"old colonoscopy, recent FIT", ago(0, -6, 0), withResult(withProcedure(c, "Colonoscopy", ago(15, 0, 0)), "29771-3", ago(0, 6, 0), "neg"), chart.CareUpToDate},
	}
	for _, tc := range cases {
		it, _ := find(dueFor(t, tc.c, asOf), "uspstf-colorectal")
		if it.Status != tc.status || it.DueDate != tc.due {
			t.Errorf("%s: %s due %s, want %s due %s (%s)", tc.name, it.Status, it.DueDate, tc.status, tc.due, it.Reason)
		}
	}
}

func TestCervicalByMethod(t *testing.T) {
	c := patient(chart.SexFemale, bornYearsAgo(40, 0))
	if it, _ := find(dueFor(t, withResult(c, "21440-3", ago(4, 0, 0), "neg"), asOf), "uspstf-cervical-30"); it.Status != chart.CareUpToDate {
		t.Errorf("HPV 4 years ago at 36: %s, want up to date (5-yearly)", it.Status)
	}
	if it, _ := find(dueFor(t, withResult(c, "10524-7", ago(4, 0, 0), "NILM"), asOf), "uspstf-cervical-30"); it.Status != chart.CareOverdue {
		t.Errorf("cytology 4 years ago: %s, want overdue (3-yearly)", it.Status)
	}
	hyst := withProblem(c, "Z90.710")
	if it, _ := find(dueFor(t, hyst, asOf), "uspstf-cervical-30"); it.Status != chart.CareNotApplicable {
		t.Errorf("after hysterectomy: %s, want not applicable", it.Status)
	}
}

func TestBreastBiennial(t *testing.T) {
	c := withProcedure(patient(chart.SexFemale, bornYearsAgo(50, 0)), "Screening mammography", ago(1, 11, 5))
	if it, _ := find(dueFor(t, c, asOf), "uspstf-breast"); it.Status != chart.CareDue || it.DueDate != "2026-12-31" {
		t.Errorf("mammogram 23 months 5 days ago: %+v, want due on the 31st", it)
	}
	c = withProcedure(patient(chart.SexFemale, bornYearsAgo(50, 0)), "Screening mammography", ago(1, 10, 0))
	if it, _ := find(dueFor(t, c, asOf), "uspstf-breast"); it.Status != chart.CareUpToDate {
		t.Errorf("mammogram 22 months ago: %s, want up to date", it.Status)
	}
}

func TestLungSmokingHistory(t *testing.T) {
	c := patient(chart.SexFemale, bornYearsAgo(60, 0))
	cases := []struct {
		name string
		c    chart.CareChart
		want bool
	}{
		{"current smoker, 25 pack-years", withSmoking(c, dailySmoker, "25", ago(0, 1, 0)), true},
		{"current smoker, 19 pack-years", withSmoking(c, dailySmoker, "19", ago(0, 1, 0)), false},
		{"current smoker, pack-years not recorded", withSmoking(c, dailySmoker, "", ago(0, 1, 0)), false},
		{"quit: last smoking 14 years ago", withSmoking(withSmoking(c, dailySmoker, "about 30", ago(14, 0, 0)), exSmoker, "", ago(1, 0, 0)), true},
		{"quit: last smoking 15 years ago to the day", withSmoking(withSmoking(c, dailySmoker, "30", ago(15, 0, 0)), exSmoker, "", ago(1, 0, 0)), false},
		{"ex-smoker, quit date unknown", withSmoking(c, exSmoker, "40", ago(1, 0, 0)), true},
		{"never smoked", withSmoking(c, neverSmoked, "", ago(1, 0, 0)), false},
	}
	for _, tc := range cases {
		it, ok := find(dueFor(t, tc.c, asOf), "uspstf-lung")
		if ok != tc.want {
			t.Errorf("%s: listed %v, want %v (%s)", tc.name, ok, tc.want, it.Reason)
		}
	}
	ct := withProcedure(withSmoking(c, dailySmoker, "25", ago(0, 1, 0)), "Low dose CT chest", ago(0, 3, 0))
	if it, _ := find(dueFor(t, ct, asOf), "uspstf-lung"); it.Status != chart.CareUpToDate {
		t.Errorf("LDCT 3 months ago: %s", it.Status)
	}
}

func TestOnceInALifetime(t *testing.T) {
	c := withSmoking(patient(chart.SexMale, bornYearsAgo(70, 0)), exSmoker, "", ago(3, 0, 0))
	if it, _ := find(dueFor(t, c, asOf), "uspstf-aaa"); it.Status != chart.CareOverdue {
		t.Errorf("ex-smoker at 70 never scanned: %s, want overdue", it.Status)
	}
	c = withProcedure(c, "Ultrasound of abdominal aorta (AAA screen)", ago(4, 0, 0))
	if it, _ := find(dueFor(t, c, asOf), "uspstf-aaa"); it.Status != chart.CareUpToDate {
		t.Errorf("scanned at 66: %s, want up to date", it.Status)
	}
	h := withResult(patient(chart.SexMale, bornYearsAgo(30, 0)), "13955-0", ago(12, 0, 0), "non-reactive")
	if it, _ := find(dueFor(t, h, asOf), "uspstf-hepatitis-c"); it.Status != chart.CareUpToDate {
		t.Errorf("HCV antibody at 18: %s, want up to date", it.Status)
	}
	if it, _ := find(dueFor(t, h, asOf), "uspstf-hiv"); it.Status != chart.CareOverdue {
		t.Errorf("no HIV test at 30: %s, want overdue", it.Status)
	}
}

func TestDiabetesScreening(t *testing.T) {
	c := patient(chart.SexMale, bornYearsAgo(50, 0))
	if _, ok := find(dueFor(t, withBMI(c, 24.9, ago(0, 1, 0)), asOf), "uspstf-diabetes"); ok {
		t.Error("BMI 24.9: listed")
	}
	if _, ok := find(dueFor(t, withProblem(c, "E66.9"), asOf), "uspstf-diabetes"); !ok {
		t.Error("obesity on the problem list: not listed")
	}
	over := withBMI(c, 27, ago(0, 1, 0))
	if it, _ := find(dueFor(t, withResult(over, "4548-4", ago(2, 0, 0), "5.6"), asOf), "uspstf-diabetes"); it.Status != chart.CareUpToDate {
		t.Errorf("A1c 2 years ago: %s", it.Status)
	}
	if it, _ := find(dueFor(t, withProblem(over, "E11.9"), asOf), "uspstf-diabetes"); it.Status != chart.CareNotApplicable {
		t.Errorf("with type 2 diabetes: %s, want not applicable", it.Status)
	}
}

func TestBloodPressure(t *testing.T) {
	c := patient(chart.SexMale, bornYearsAgo(30, 0))
	if it, _ := find(dueFor(t, withBP(c, 118, 76, ago(2, 0, 0)), asOf), "uspstf-bp-18"); it.Status != chart.CareUpToDate {
		t.Errorf("BP 2 years ago at 28: %s, want up to date", it.Status)
	}
	if it, _ := find(dueFor(t, withProblem(c, "I10"), asOf), "uspstf-bp-18"); it.Status != chart.CareNotApplicable {
		t.Errorf("with hypertension: %s", it.Status)
	}
	old := patient(chart.SexMale, bornYearsAgo(50, 0))
	if it, _ := find(dueFor(t, withBP(old, 118, 76, ago(1, 2, 0)), asOf), "uspstf-bp-40"); it.Status != chart.CareDue {
		t.Errorf("BP 14 months ago at 50: %s, want due", it.Status)
	}
}

func TestDepressionScreen(t *testing.T) {
	c := patient(chart.SexMale, bornYearsAgo(15, 0))
	c = withResult(c, "44261-6", ago(0, 6, 0), "4")
	if it, _ := find(dueFor(t, c, asOf), "uspstf-depression-adolescent"); it.Status != chart.CareUpToDate {
		t.Errorf("PHQ-9 6 months ago: %s", it.Status)
	}
	enc := patient(chart.SexFemale, bornYearsAgo(40, 0))
	enc.Encounters = []chart.Encounter{{Start: ago(0, 2, 0) + "T10:00", Diagnoses: []chart.Coded{{System: chart.SystemICD10CM, Code: "Z13.31"}}}}
	if it, _ := find(dueFor(t, enc, asOf), "uspstf-depression-adult"); it.Status != chart.CareUpToDate {
		t.Errorf("screening encounter Z13.31: %s", it.Status)
	}
}

func TestOsteoporosis(t *testing.T) {
	c := patient(chart.SexFemale, bornYearsAgo(67, 0))
	if it, _ := find(dueFor(t, c, asOf), "uspstf-osteoporosis"); it.Status != chart.CareOverdue {
		t.Errorf("no DXA at 67: %s", it.Status)
	}
	if it, _ := find(dueFor(t, withProcedure(c, "DXA bone density scan", ago(1, 0, 0)), asOf), "uspstf-osteoporosis"); it.Status != chart.CareUpToDate {
		t.Errorf("DXA at 66: %s", it.Status)
	}
	if it, _ := find(dueFor(t, withProblem(c, "M81.0"), asOf), "uspstf-osteoporosis"); it.Status != chart.CareNotApplicable {
		t.Errorf("with osteoporosis: %s", it.Status)
	}
}

func TestDecisions(t *testing.T) {
	c := patient(chart.SexMale, bornYearsAgo(55, 0))
	decide := func(kind, date string) chart.CareChart {
		d := c
		d.Decisions = []chart.CareDecision{{RuleID: "uspstf-colorectal", Decision: kind, Date: date, Reason: "patient's choice"}}
		return d
	}
	if it, _ := find(dueFor(t, decide(chart.DecisionDoneElsewhere, ago(2, 0, 0)), asOf), "uspstf-colorectal"); it.Status != chart.CareUpToDate ||
		it.DueDate != ago(-8, 0, 0) || it.LastDone != ago(2, 0, 0) {
		t.Errorf("colonoscopy done elsewhere 2 years ago: %+v, want up to date, due in 8 years", it)
	}
	if it, _ := find(dueFor(t, decide(chart.DecisionDeclined, ago(0, 11, 0)), asOf), "uspstf-colorectal"); it.Status != chart.CareDeclined {
		t.Errorf("declined 11 months ago: %s", it.Status)
	}
	if it, _ := find(dueFor(t, decide(chart.DecisionDeclined, ago(1, 0, 0)), asOf), "uspstf-colorectal"); it.Status != chart.CareOverdue {
		t.Errorf("declined a year ago to the day: %s, want offered again (overdue)", it.Status)
	}
	if it, _ := find(dueFor(t, decide(chart.DecisionNotApplicable, ago(5, 0, 0)), asOf), "uspstf-colorectal"); it.Status != chart.CareNotApplicable || it.Decision == nil {
		t.Errorf("not applicable: %+v", it)
	}
	retracted := decide(chart.DecisionNotApplicable, ago(5, 0, 0))
	retracted.Decisions[0].EnteredInError = &chart.EnteredInError{Reason: "wrong patient"}
	if it, _ := find(dueFor(t, retracted, asOf), "uspstf-colorectal"); it.Status != chart.CareOverdue {
		t.Errorf("decision entered in error: %s, want overdue again", it.Status)
	}
}

func TestWellChildSchedule(t *testing.T) {
	born := func(days int) chart.CareChart {
		return patient(chart.SexFemale, asOf.AddDate(0, 0, -days).Format(time.DateOnly))
	}
	visit := func(c chart.CareChart, daysAgo int) chart.CareChart {
		c.Encounters = append(c.Encounters, chart.Encounter{Start: asOf.AddDate(0, 0, -daysAgo).Format("2006-01-02T15:04"),
			Diagnoses: []chart.Coded{{System: chart.SystemICD10CM, Code: "Z00.129"}}})
		return c
	}
	check := func(name string, c chart.CareChart, status, due string) {
		t.Helper()
		it, ok := find(dueFor(t, c, asOf), "bright-futures-well-child")
		if !ok || it.Status != status || it.DueDate != due {
			t.Errorf("%s: %+v, want %s due %s", name, it, status, due)
		}
	}
	newborn := born(1)
	check("newborn of 1 day", newborn, chart.CareDue, asOf.AddDate(0, 0, 2).Format(time.DateOnly))
	b := asOf.AddDate(0, -2, 0)
	twoMonths := patient(chart.SexFemale, b.Format(time.DateOnly))
	check("2 months, no visit", twoMonths, chart.CareDue, asOf.Format(time.DateOnly))
	dayBefore := patient(chart.SexFemale, b.AddDate(0, 0, 1).Format(time.DateOnly))
	check("the day before 2 months, 1-month visit done", visit(dayBefore, 20), chart.CareDue, asOf.AddDate(0, 0, 1).Format(time.DateOnly))
	done := visit(twoMonths, 0)
	check("2-month visit today", done, chart.CareUpToDate, b.AddDate(0, 4, 0).Format(time.DateOnly))
	early := visit(twoMonths, 14)
	check("visit 14 days before 2 months counts", early, chart.CareUpToDate, b.AddDate(0, 4, 0).Format(time.DateOnly))
	tooEarly := visit(twoMonths, 15)
	check("visit 15 days before 2 months does not", tooEarly, chart.CareDue, asOf.Format(time.DateOnly))
	fiveYears := patient(chart.SexMale, bornYearsAgo(5, 31))
	check("5 years and 31 days, no visit", fiveYears, chart.CareOverdue, asOf.AddDate(0, 0, -31).Format(time.DateOnly))
	adult := patient(chart.SexMale, bornYearsAgo(21, 10))
	check("21, visit done", visit(adult, 5), chart.CareUpToDate, "")
}

func TestRulesCiteTheirSource(t *testing.T) {
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Rules) < 15 {
		t.Errorf("%d rules", len(rs.Rules))
	}
	for _, r := range append(rs.Rules, rs.WellChild.Rule) {
		if _, err := time.Parse(time.DateOnly, r.Version); err != nil && r.ID != rs.WellChild.ID {
			t.Errorf("%s: version %q is not the recommendation's date", r.ID, r.Version)
		}
		if len(r.Source) < 12 || r.Source[:8] != "https://" {
			t.Errorf("%s: source %q", r.ID, r.Source)
		}
	}
	if _, err := ParseRules([]byte(`{"rules":[{"id":"x","title":"X","source":"s","version":"v"}]}`)); err == nil {
		t.Error("a rule nothing satisfies was accepted")
	}
}

func TestNoBirthDateNoItems(t *testing.T) {
	if items := dueFor(t, patient(chart.SexFemale, ""), asOf); len(items) != 0 {
		t.Errorf("%d items without a birth date", len(items))
	}
}

func ExampleDue() {
	c := chart.CareChart{Patient: chart.Patient{BirthDate: "1970-03-01", Sex: chart.SexFemale}}
	items, _ := Due(c, asOf)
	for _, it := range items {
		fmt.Println(it.Status, it.DueDate, it.Title)
	}
	// Output:
	// overdue 1985-03-01 HIV screening
	// overdue 1988-03-01 Hepatitis C screening
	// overdue 1989-03-01 Depression screening
	// overdue 2000-03-01 Cervical cancer screening
	// overdue 2010-03-01 Blood pressure check
	// overdue 2010-03-01 Breast cancer screening (mammography)
	// overdue 2010-03-01 Lipids for cardiovascular risk (statin decision)
	// overdue 2015-03-01 Colorectal cancer screening

}

// BenchmarkDue evaluates every rule for one adult chart with a few
// records: the per-patient cost of a recall list.
func BenchmarkDue(b *testing.B) {
	c := withSmoking(withBP(withResult(withProcedure(withProblem(patient(chart.SexFemale, bornYearsAgo(58, 0)), "E11.9"),
		"Colonoscopy", ago(4, 0, 0)), "4548-4", ago(0, 3, 0), "7.2"), 128, 82, ago(0, 5, 0)), exSmoker, "25", ago(2, 0, 0))
	for b.Loop() {
		Screenings(c, asOf)
	}
}
