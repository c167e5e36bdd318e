package chartgen

import (
	"testing"
	"time"

	"outpost/chart"
)

// TestChartsAreValid: without Damaged, every generated record passes the
// chart's own validation unchanged where the chart has it, so a chart is
// one the store could hold (what the round trip compares).
func TestChartsAreValid(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	for seed := range uint64(100) {
		c := New(seed, now, Options{Records: 200}).Chart()
		check := func(what string, id chart.RecordID, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s %s: %v", what, id, err)
			}
		}
		for _, r := range c.Problems {
			check("problem", r.ID, r.Validate(now))
		}
		for _, r := range c.Medications {
			check("medication", r.ID, r.Validate(now))
		}
		for _, r := range c.Allergies {
			check("allergy", r.ID, r.Validate(now))
		}
		for _, r := range c.Results {
			check("result", r.ID, r.Validate(now))
		}
		for _, r := range c.Immunizations {
			check("immunization", r.ID, r.Validate(now))
		}
		for _, r := range c.SocialHistory {
			check("social history", r.ID, r.Validate(now))
		}
		for _, r := range c.Pregnancy {
			check("pregnancy", r.ID, r.Validate(now))
		}
		for _, r := range c.Vitals {
			signs := r.Signs
			_, err := signs.CheckAt(chart.MetricUnits(), c.Patient.BirthDate, r.TakenAt[:10])
			check("vitals", r.ID, err)
		}
		for _, r := range c.Encounters {
			if r.Type != chart.EncounterOther { // imported kinds: validated by the import's rules
				check("encounter", r.ID, r.Validate(now))
			}
		}
	}
}
