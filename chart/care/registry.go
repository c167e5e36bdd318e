package care

import (
	"fmt"
	"strings"
	"time"

	"outpost/chart"
)

// Chronic-care registries: the patients with a chronic condition, and for
// each what is out of range or overdue.

// Settings are the practice's targets for the registries (a practice
// setting: chart.Practice.Registry).
type Settings = chart.RegistryTargets

// DefaultSettings are used for any setting left zero.
var DefaultSettings = chart.DefaultRegistryTargets

// Measure statuses.
const (
	MeasureOK         = "ok"
	MeasureOverdue    = "overdue"
	MeasureOutOfRange = "out-of-range"
)

// Measure is one line of a registry row: the last value and whether it
// needs attention.
type Measure struct {
	Name   string `json:"name"`
	Last   string `json:"last,omitempty"` // YYYY-MM-DD of the last one
	Value  string `json:"value,omitempty"`
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// RegistryRow is one patient of a registry.
type RegistryRow struct {
	PatientID chart.PatientID `json:"patientId"`
	Name      string          `json:"name"`
	BirthDate string          `json:"birthDate"`
	Measures  []Measure       `json:"measures"`
	// Attention: some measure is overdue or out of range.
	Attention bool `json:"attention"`
}

// Registry names a chronic-care registry.
type Registry struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Problems []string `json:"problems"` // ICD-10-CM prefixes
	Source   string   `json:"source"`
}

// Registries are the registries offered.
var Registries = []Registry{
	{"diabetes", "Diabetes", []string{"E08", "E09", "E10", "E11", "E13"},
		"ADA Standards of Care in Diabetes 2025 (sections 6, 10, 12): HbA1c at least twice a year, blood pressure every visit, a foot and an eye exam every year"},
	{"hypertension", "Hypertension", []string{"I10", "I11", "I12", "I13", "I15", "I16"},
		"2017 ACC/AHA guideline; control as the practice's target (default below 140/90, the HEDIS measure)"},
	{"asthma-copd", "Asthma and COPD", []string{"J44", "J45"},
		"GINA 2024 and GOLD 2025: review control, inhaler technique and the action plan at least yearly"},
}

// Registry measures' satisfiers (as the rules'; LOINC, SNOMED CT, ICD-10-CM, text).
var (
	a1c      = Satisfier{Name: "HbA1c", LOINC: []string{"4548-4", "17856-6"}}
	footExam = Satisfier{Name: "foot exam", SNOMED: []string{"401191002", "91161007"}, Text: []string{"foot exam", "monofilament", "diabetic foot"}}
	eyeExam  = Satisfier{Name: "eye exam", SNOMED: []string{"134388005", "252779009"}, ICD10: []string{"Z01.0"},
		Text: []string{"retina", "eye exam", "fundus", "ophthalm"}}
	airwayReview = Satisfier{Name: "review", ICD10: []string{"J44", "J45"}, SNOMED: []string{"390872009", "394720003"},
		Text: []string{"asthma review", "copd review", "spirometry", "asthma", "copd"}}
)

// RegistryFor finds a registry by id.
func RegistryFor(id string) (Registry, bool) {
	for _, r := range Registries {
		if r.ID == id {
			return r, true
		}
	}
	return Registry{}, false
}

// Row evaluates one chart for the registry; false when the patient does
// not have the condition.
func (r Registry) Row(c chart.CareChart, s Settings, asOf time.Time) (RegistryRow, bool) {
	f := gather(c)
	if _, ok := f.hasProblem(r.Problems); !ok {
		return RegistryRow{}, false
	}
	s, asOf = s.WithDefaults(), dateOf(asOf)
	row := RegistryRow{PatientID: c.Patient.ID, Name: chart.PatientDisplayName(c.Patient.Summary()), BirthDate: c.Patient.BirthDate}
	switch r.ID {
	case "diabetes":
		row.Measures = []Measure{f.a1cMeasure(c.Results, s, asOf), f.bpMeasure(s, asOf),
			f.yearly(footExam, asOf), f.yearly(eyeExam, asOf)}
	case "hypertension":
		row.Measures = []Measure{f.bpMeasure(s, asOf)}
	case "asthma-copd":
		row.Measures = []Measure{f.yearly(airwayReview, asOf)}
	}
	for _, m := range row.Measures {
		row.Attention = row.Attention || m.Status != MeasureOK
	}
	return row, true
}

// yearly is a measure wanted once a year.
func (f *facts) yearly(sat Satisfier, asOf time.Time) Measure {
	m := Measure{Name: sat.Name, Last: f.lastMatch(sat), Status: MeasureOK}
	if m.Last == "" || m.Last <= asOf.AddDate(-1, 0, 0).Format(time.DateOnly) {
		m.Status, m.Reason = MeasureOverdue, overdueReason(sat.Name, m.Last, "12 months")
	}
	return m
}

func (f *facts) a1cMeasure(results []chart.Result, s Settings, asOf time.Time) Measure {
	m := Measure{Name: "HbA1c", Status: MeasureOK}
	for _, r := range results {
		d := day(firstOf(r.CollectedAt, r.ResultedAt))
		if r.EnteredInError == nil && r.Test.System == chart.SystemLOINC && contains(a1c.LOINC, r.Test.Code) && d >= m.Last {
			m.Last, m.Value = d, strings.TrimSpace(r.Value+" "+r.Unit)
		}
	}
	if m.Last == "" || m.Last <= asOf.AddDate(0, -s.A1cMonths, 0).Format(time.DateOnly) {
		m.Status, m.Reason = MeasureOverdue, overdueReason("HbA1c", m.Last, fmt.Sprintf("%d months", s.A1cMonths))
		return m
	}
	if v, ok := leadingNumber(m.Value); ok && v >= s.A1cTarget {
		m.Status, m.Reason = MeasureOutOfRange, fmt.Sprintf("Last HbA1c %s is at or above the target %g%%.", m.Value, s.A1cTarget)
	}
	return m
}

func (f *facts) bpMeasure(s Settings, asOf time.Time) Measure {
	m := Measure{Name: "blood pressure", Status: MeasureOK}
	if len(f.bps) == 0 {
		m.Status, m.Reason = MeasureOverdue, "No blood pressure on the chart."
		return m
	}
	b := f.bps[len(f.bps)-1]
	m.Last, m.Value = b.date, fmt.Sprintf("%g/%g", b.sys, b.dias)
	switch {
	case b.sys >= s.Systolic || b.dias >= s.Diastolic:
		m.Status, m.Reason = MeasureOutOfRange, fmt.Sprintf("Last blood pressure %s is not below the target %g/%g.", m.Value, s.Systolic, s.Diastolic)
	case b.date <= asOf.AddDate(-1, 0, 0).Format(time.DateOnly):
		m.Status, m.Reason = MeasureOverdue, overdueReason("blood pressure", b.date, "12 months")
	}
	return m
}

func overdueReason(what, last, within string) string {
	if last == "" {
		return fmt.Sprintf("No %s on the chart.", what)
	}
	return fmt.Sprintf("Last %s on %s: none within %s.", what, last, within)
}
