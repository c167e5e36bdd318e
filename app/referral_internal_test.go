package app

import (
	"testing"

	"outpost/chart"
)

// A chart whose "no known allergies" statement could not be opened must
// reach the letter and the IPS as unreadable, not as "not asked" and never
// as "none known".
func TestReferralRecordsKeepAnUnreadableAllergyStatement(t *testing.T) {
	recs := chart.PatientRecords{Patient: chart.Patient{ID: "p-1"}}
	if got := withUnreadableAllergyStatement(recs, chart.AllergiesUnreadable).AllergyStatus(); got != chart.AllergiesUnreadable {
		t.Fatalf("unreadable statement became %q", got)
	}
	opened := recs
	opened.Allergies = []chart.Allergy{{Meta: chart.Meta{ID: "a-1"}, Substance: chart.Coded{Display: "Latex"}}}
	if got := withUnreadableAllergyStatement(opened, chart.AllergiesListed); len(got.Allergies) != 1 {
		t.Fatalf("a readable chart got a placeholder: %+v", got.Allergies)
	}
	damaged := recs
	damaged.Allergies = []chart.Allergy{{Meta: chart.Meta{ID: "a-d", Damaged: "x"}}}
	if got := withUnreadableAllergyStatement(damaged, chart.AllergiesUnreadable); len(got.Allergies) != 1 {
		t.Fatalf("a second placeholder was added beside the damaged allergy: %+v", got.Allergies)
	}
}
