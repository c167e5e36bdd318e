package chart

import (
	"strings"
	"testing"
)

// TestAllergyToAClassExplainsTheLink: an allergy recorded to a class (or
// to a member, by its RxNorm ingredient) alerts for every member, and the
// alert says how the drug belongs to it (Outpost issue #9).
func TestAllergyToAClassExplainsTheLink(t *testing.T) {
	r := mustRules(t)
	amox := MedicationCandidate{Name: "amoxicillin 500 MG Oral Capsule", RxNorm: "308191", Ingredients: []string{"amoxicillin"}}
	tests := []struct {
		name    string
		drug    MedicationCandidate
		allergy AllergyFact
		ruleID  string
		starts  string
		also    []string
	}{
		{"coded class", amox, AllergyFact{Substance: "Penicillins", System: SystemAllergyClass, Code: "penicillins"},
			"class-penicillins", "Allergy to penicillins: amoxicillin is a penicillin.", []string{"amoxicillin 500 MG Oral Capsule", "Penicillins", "2022 practice parameter"}},
		{"class code whatever the text", amox, AllergyFact{Substance: "the class of drug", System: SystemAllergyClass, Code: "penicillins"},
			"class-penicillins", "Allergy to penicillins: amoxicillin is a penicillin.", nil},
		{"coded member", amox, AllergyFact{Substance: "penicillin G", System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "7980", Ingredients: []string{"penicillin G"}},
			"class-penicillins", "Allergy to penicillins: amoxicillin is a penicillin.", []string{"penicillin G, also a penicillin"}},
		{"coded brand allergy, drug coded by ingredients", MedicationCandidate{Name: "Zithromax whatever", Ingredients: []string{"sulfadiazine"}},
			AllergyFact{Substance: "Bactrim", Ingredients: []string{"sulfamethoxazole", "trimethoprim"}},
			"class-sulfonamide-antibiotics", "Allergy to sulfonamide antibiotics: sulfadiazine is a sulfonamide antibiotic.", nil},
		{"coded sulfonamide class", MedicationCandidate{Name: "sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet [Bactrim]", Ingredients: []string{"sulfamethoxazole", "trimethoprim"}},
			AllergyFact{Substance: "Sulfonamide antibiotics", System: SystemAllergyClass, Code: "sulfonamide-antibiotics"},
			"class-sulfonamide-antibiotics", "Allergy to sulfonamide antibiotics: sulfamethoxazole is a sulfonamide antibiotic.", nil},
		{"cephalosporin class, cross to penicillins", amox, AllergyFact{Substance: "Cephalosporins", System: SystemAllergyClass, Code: "cephalosporins"},
			"cross-cephalosporin-penicillin", "Possible cross-sensitivity", nil},
	}
	for _, tt := range tests {
		alerts := r.Check(tt.drug, []AllergyFact{tt.allergy}, nil)
		if len(alerts) != 1 || alerts[0].RuleID != tt.ruleID || !strings.HasPrefix(alerts[0].Message, tt.starts) {
			t.Errorf("%s: %+v; want %s starting %q", tt.name, alerts, tt.ruleID, tt.starts)
			continue
		}
		for _, m := range tt.also {
			if !strings.Contains(alerts[0].Message, m) {
				t.Errorf("%s: %q does not mention %q", tt.name, alerts[0].Message, m)
			}
		}
	}
	// A class allergy stays within its class: no alert for non-members.
	for _, drug := range []MedicationCandidate{
		{Name: "furosemide 40 MG Oral Tablet", Ingredients: []string{"furosemide"}},
		{Name: "azithromycin 250 MG Oral Tablet", Ingredients: []string{"azithromycin"}},
	} {
		for _, class := range []string{"sulfonamide-antibiotics", "penicillins"} {
			if a := r.Check(drug, []AllergyFact{{Substance: class, System: SystemAllergyClass, Code: class}}, nil); len(a) != 0 {
				t.Errorf("%s with a %s allergy: %+v", drug.Name, class, a)
			}
		}
	}
	// A non-drug allergen never alerts for a drug.
	if a := r.Check(amox, []AllergyFact{{Substance: "Peanut", System: SystemAllergen, Code: "peanut"}}, nil); len(a) != 0 {
		t.Errorf("peanut allergy: %+v", a)
	}
}

func TestDrugInteractions(t *testing.T) {
	r := mustRules(t)
	warfarin := MedicationFact{Name: "warfarin sodium 5 MG Oral Tablet", Ingredients: []string{"warfarin"}}
	tests := []struct {
		name   string
		drug   MedicationCandidate
		active MedicationFact
		ruleID string // "" = no alert
	}{
		{"ibuprofen on warfarin", MedicationCandidate{Name: "ibuprofen 800 MG Oral Tablet", Ingredients: []string{"ibuprofen"}}, warfarin, "interaction-warfarin-nsaids"},
		{"naproxen by name on warfarin", MedicationCandidate{Name: "Naproxen 500 mg tablets"}, warfarin, "interaction-warfarin-nsaids"},
		{"warfarin on naproxen", MedicationCandidate{Name: "warfarin sodium 2 MG Oral Tablet", Ingredients: []string{"warfarin"}},
			MedicationFact{Name: "naproxen 500 MG Oral Tablet", Ingredients: []string{"naproxen"}}, "interaction-warfarin-nsaids"},
		{"aspirin on warfarin", MedicationCandidate{Name: "aspirin 81 MG Delayed Release Oral Tablet", Ingredients: []string{"aspirin"}}, warfarin, "interaction-warfarin-nsaids"},
		{"topical diclofenac on warfarin", MedicationCandidate{Name: "diclofenac sodium 0.01 MG/MG Topical Gel [Voltaren]", Ingredients: []string{"diclofenac"}}, warfarin, ""},
		{"eye drops on warfarin", MedicationCandidate{Name: "ketorolac tromethamine 5 MG/ML Ophthalmic Solution", Ingredients: []string{"ketorolac"}}, warfarin, ""},
		{"acetaminophen on warfarin", MedicationCandidate{Name: "acetaminophen 500 MG Oral Tablet", Ingredients: []string{"acetaminophen"}}, warfarin, ""},
		{"cyclosporine on digoxin", MedicationCandidate{Name: "cyclosporine 100 MG Oral Capsule", Ingredients: []string{"cyclosporine"}},
			MedicationFact{Name: "digoxin 0.125 MG Oral Tablet", Ingredients: []string{"digoxin"}}, "interaction-digoxin-cyclosporine"},
		{"cyclosporine eye emulsion on digoxin", MedicationCandidate{Name: "cyclosporine 0.5 MG/ML Ophthalmic Emulsion", Ingredients: []string{"cyclosporine"}},
			MedicationFact{Name: "digoxin 0.125 MG Oral Tablet", Ingredients: []string{"digoxin"}}, ""},
	}
	for _, tt := range tests {
		alerts := r.Check(tt.drug, nil, []MedicationFact{tt.active})
		if tt.ruleID == "" {
			if len(alerts) != 0 {
				t.Errorf("%s: want no alert, got %+v", tt.name, alerts)
			}
			continue
		}
		if len(alerts) != 1 || alerts[0].Kind != AlertDrugInteraction || alerts[0].RuleID != tt.ruleID || alerts[0].Severity != SeverityModerate {
			t.Errorf("%s: %+v, want %s", tt.name, alerts, tt.ruleID)
			continue
		}
		for _, m := range []string{tt.drug.Name, tt.active.Name, "Interaction:", "PDDI"} {
			if !strings.Contains(alerts[0].Message, m) {
				t.Errorf("%s: %q does not mention %q", tt.name, alerts[0].Message, m)
			}
		}
	}
}

func TestAllergyClassesForThePicker(t *testing.T) {
	classes := mustRules(t).AllergyClasses()
	names := map[string]string{}
	for _, c := range classes {
		names[c.ID] = c.Name
		if len(c.Members) == 0 || c.Source == "" || len(c.Terms) == 0 {
			t.Errorf("class %+v", c)
		}
	}
	for id, want := range map[string]string{"penicillins": "Penicillins", "cephalosporins": "Cephalosporins", "sulfonamide-antibiotics": "Sulfonamide antibiotics"} {
		if names[id] != want {
			t.Errorf("class %s named %q, want %q", id, names[id], want)
		}
	}
}
