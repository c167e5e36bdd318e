package codes

import (
	"strings"
	"testing"
)

// TestAllergensFindSubstancesAndClasses: the allergy entries.
func TestAllergensFindSubstancesAndClasses(t *testing.T) {
	penicillins := Allergen{Code: Code{System: SystemAllergyClass, Code: "penicillins", Display: "Penicillins", Kind: KindDrugClass},
		Terms: []string{"penicillin", "pcn"}}
	sulfonamides := Allergen{Code: Code{System: SystemAllergyClass, Code: "sulfonamide-antibiotics", Display: "Sulfonamide antibiotics", Kind: KindDrugClass},
		Terms: []string{"sulfa", "sulfonamides"}}
	classes := []Allergen{penicillins, sulfonamides}
	for _, tc := range []struct{ query, system, code string }{
		{"Penicillin", SystemAllergyClass, "penicillins"},
		{"pcn", SystemAllergyClass, "penicillins"},
		{"Sulfonamide antibiotics", SystemAllergyClass, "sulfonamide-antibiotics"},
		{"sulfa", SystemAllergyClass, "sulfonamide-antibiotics"},
		{"Latex", SystemAllergen, "latex"},
		{"Peanut", SystemAllergen, "peanut"},
		{"Eggs", SystemAllergen, "egg"},
		{"Bee venom", SystemAllergen, "bee-venom"},
		{"shellfish", SystemAllergen, "shellfish"},
		{"cephalexin", SystemRxNorm, "2231"},
	} {
		got := Allergens(tc.query, 10, classes)
		if len(got) == 0 || got[0].System != tc.system || got[0].Code != tc.code {
			t.Errorf("%q: first %+v, want %s %s", tc.query, got, tc.system, tc.code)
		}
	}
	// After the curated entries come RxNorm ingredients, then brands.
	got := Allergens("penicillin", 10, classes)
	if len(got) < 3 || got[1].Display != "penicillin G" || got[1].Kind != "ingredient" {
		t.Errorf("penicillin: %+v", got)
	}
	for _, c := range Allergens("sertraline", 20, nil) {
		if c.Kind != "ingredient" && c.Kind != "brand name" {
			t.Errorf("sertraline offers a %s: %q", c.Kind, c.Display)
		}
	}
}

func TestNonDrugAllergensCiteASource(t *testing.T) {
	list, err := nonDrugAllergens()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 12 {
		t.Errorf("%d non-drug allergens", len(list))
	}
	for _, a := range list {
		if a.Code.Source == "" || a.Code.System != SystemAllergen || strings.ContainsAny(a.Code.Code, " ,") {
			t.Errorf("allergen %+v", a.Code)
		}
	}
}
