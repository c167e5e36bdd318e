package app

import (
	"strings"
	"testing"

	"outpost/chart"
	"outpost/codes"
)

// TestAllergenSearchOffersTheRulesClasses: what the picker records is what
// the safety rules recognise.
func TestAllergenSearchOffersTheRulesClasses(t *testing.T) {
	for query, want := range map[string]string{"penicillin": "penicillins", "cephalosporins": "cephalosporins",
		"sulfa": "sulfonamide-antibiotics", "pcn": "penicillins"} {
		got := allergens(query, 5)
		if len(got) == 0 || got[0].System != chart.SystemAllergyClass || got[0].Code != want || got[0].Source == "" {
			t.Errorf("%q: %+v, want the class %s first", query, got, want)
		}
	}
	if got := allergens("penicillin", 5); got[0].Display != "Penicillins" || !strings.Contains(got[0].Detail, "amoxicillin") {
		t.Errorf("penicillins offered as %+v", got[0])
	}
}

// TestVocabularyAndRulesAgree checks the seams between the chart's rules
// and the shipped vocabularies, which import neither the other.
func TestVocabularyAndRulesAgree(t *testing.T) {
	if chart.SystemAllergyClass != codes.SystemAllergyClass || chart.SystemAllergen != codes.SystemAllergen ||
		chart.SystemRxNorm != codes.SystemRxNorm || chart.SystemLOINC != codes.SystemLOINC {
		t.Error("chart and codes name the code systems differently")
	}
	rules, err := chart.DefaultSafetyRules()
	if err != nil {
		t.Fatal(err)
	}
	// Every class member and interacting drug that RxNorm's prescribable
	// content names is spelled as RxNorm spells the ingredient, so coded
	// drugs match; members it lacks (withdrawn drugs) are matched by name.
	known := 0
	for _, c := range rules.AllergyClasses() {
		for _, m := range c.Members {
			if rxnormIngredient(m) {
				known++
			}
		}
	}
	if known < 30 {
		t.Errorf("only %d class members are RxNorm ingredients; is a name misspelt?", known)
	}
	for _, x := range rules.Interactions {
		for _, m := range append(append([]string{}, x.Drugs...), x.With...) {
			if !rxnormIngredient(m) && m != "mefenamic acid" {
				t.Errorf("interaction %s: %q is not an RxNorm ingredient", x.ID, m)
			}
		}
	}
	// Vital signs carry LOINC codes of the shipped list, in its units.
	for _, f := range []chart.VitalField{chart.VitalSystolic, chart.VitalDiastolic, chart.VitalHeartRate, chart.VitalRespiratoryRate,
		chart.VitalTemperature, chart.VitalSpO2, chart.VitalWeight, chart.VitalHeight, chart.VitalPain, chart.VitalBMI} {
		v, _ := chart.VitalLOINC(f)
		if c, ok := codes.LookupLOINC(v.LOINC); !ok || c.Unit != v.Unit {
			t.Errorf("%s: LOINC %s %+v (shipped %+v)", f, v.LOINC, v, c)
		}
	}
}

func rxnormIngredient(name string) bool {
	for _, c := range codes.Allergens(name, 20, nil) {
		if c.Kind == "ingredient" && strings.EqualFold(c.Display, name) {
			return true
		}
	}
	return false
}
