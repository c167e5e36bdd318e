package printout

import (
	"strings"
	"testing"

	"outpost/chart"
)

// A record the chart could not open comes as a placeholder (no content):
// the paper says something is missing instead of printing a blank line.
func TestVisitSummaryPrintsPlaceholders(t *testing.T) {
	p := fixturePatient(0)
	s := fixtureSummary(p)
	damaged := chart.Meta{ID: "damaged-1", PatientID: p.ID, Version: 1, Damaged: "could not be opened"}
	s.Allergies = append(s.Allergies, chart.Allergy{Meta: damaged})
	s.Medications = append(s.Medications, chart.Medication{Meta: damaged})
	s.Problems = append([]chart.Problem{{Meta: damaged}}, s.Problems...)
	data, err := VisitSummary(fixturePractice(), s, fixtureEncounter(p), nil, chart.MetricUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(checkPDF(t, "damaged", "Visit summary", data), "\n")
	assertContains(t, "visit summary", text, "COULD NOT BE OPENED", "(could not be opened)", "A problem record could")

	s = fixtureSummary(p)
	s.AllergyStatus, s.Allergies = chart.AllergiesUnreadable, nil
	data, err = VisitSummary(fixturePractice(), s, fixtureEncounter(p), nil, chart.MetricUnits(), printedAt)
	if err != nil {
		t.Fatal(err)
	}
	text = strings.Join(checkPDF(t, "unreadable", "Visit summary", data), "\n")
	assertContains(t, "visit summary", text, "Allergies unknown")
	assertOmits(t, "visit summary", text, "No known allergies")
}
