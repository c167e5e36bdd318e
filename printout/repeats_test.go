package printout

import (
	"strings"
	"testing"

	"outpost/chart"
)

// Clinic-day bug 8: things printed twice. Each test counts what a reader
// sees in poppler's extraction of the real document.

// highPressure is patient 0's chart with both pressures flagged high, as
// chart.VitalSigns.Check flags a 152/96 reading.
func highPressure() chart.ChartSummary {
	s := fixtureSummary(fixturePatient(0))
	s.LatestVitals.Signs.Systolic, s.LatestVitals.Signs.Diastolic = ptr(152), ptr(96)
	s.LatestVitals.Flags = []chart.VitalFlag{
		{Field: chart.VitalSystolic, Level: chart.FlagHigh}, {Field: chart.VitalDiastolic, Level: chart.FlagHigh},
	}
	return s
}

func TestBloodPressureFlaggedOnce(t *testing.T) {
	s := highPressure()
	p := s.Patient
	visit, err := VisitSummary(fixturePractice(), s, fixtureEncounter(p), nil, chart.MetricUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	route, err := HomeVisitSheet(fixturePractice(), []chart.ChartSummary{s}, chart.MetricUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"visit": visit, "route": route} {
		text := strings.Join(checkPDF(t, name, map[string]string{"visit": "Visit summary", "route": "Home visit sheet"}[name], data), "\n")
		assertContains(t, name, text, "152/96 mmHg (high)")
		if n := strings.Count(text, "(high)"); n != 1 {
			t.Errorf("%s prints %q %d times, want once:\n%s", name, "(high)", n, text)
		}
	}
}

// The visit summary printed a section heading "Allergies" above the box,
// whose own heading says "Allergies and intolerances" (or "No known
// allergies"…) again.
func TestAllergiesNamedOnce(t *testing.T) {
	p := fixturePatient(0)
	for _, status := range []chart.AllergyStatus{chart.AllergiesListed, chart.AllergiesNone, chart.AllergiesNotAsked} {
		s := fixtureSummary(p)
		if status != chart.AllergiesListed {
			s.AllergyStatus, s.Allergies = status, nil
		}
		data, err := VisitSummary(fixturePractice(), s, fixtureEncounter(p), fixtureNotes(p), chart.MetricUnits(), printedAt)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(checkPDF(t, "allergies-"+string(status), "Visit summary", data), "\n")
		headings := 0
		for _, line := range strings.Split(text, "\n") {
			switch strings.TrimSpace(line) {
			case "Allergies", "Allergies and intolerances", "No known allergies", "Allergies not yet asked":
				headings++
			}
		}
		if headings != 1 {
			t.Errorf("%s: %d allergy headings, want one:\n%s", status, headings, text)
		}
	}
}

// An addendum as the chart makes it (sqlite.StartAddendum): titled
// "Addendum to <note>", with one section labelled "Addendum".
func TestAddendumNamedOnce(t *testing.T) {
	p := fixturePatient(0)
	notes := fixtureNotes(p)
	notes[1].Title = "Addendum to Diabetes follow-up"
	data, err := VisitSummary(fixturePractice(), fixtureSummary(p), fixtureEncounter(p), notes, chart.MetricUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(checkPDF(t, "addendum", "Visit summary", data), "\n")
	assertContains(t, "visit summary", text, "Addendum to Diabetes follow-up", "HbA1c result received")
	if n := strings.Count(text, "Addendum"); n != 1 {
		t.Errorf("\"Addendum\" printed %d times, want once:\n%s", n, text)
	}
}

// A preferred name that is the full name is not "X (goes by X)".
func TestPreferredNameNotRepeated(t *testing.T) {
	p := fixturePatient(0)
	p.PreferredName = fullName(p)
	s := fixtureSummary(p)
	data, err := HomeVisitSheet(fixturePractice(), []chart.ChartSummary{s}, chart.MetricUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(checkPDF(t, "preferred", "Home visit sheet", data), "\n")
	assertOmits(t, "home visit sheet", text, "goes by")
}
