package chart

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func mustRules(t *testing.T) *SafetyRules {
	t.Helper()
	r, err := DefaultSafetyRules()
	if err != nil {
		t.Fatalf("embedded safety rules do not load: %v", err)
	}
	return r
}

func TestIngredientParsing(t *testing.T) {
	r := mustRules(t)
	tests := []struct {
		name string
		want []string
	}{
		{"Amoxicillin 500 MG Oral Capsule", []string{"amoxicillin"}},
		{"Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet", []string{"amoxicillin", "clavulanate"}},
		{"Penicillin V Potassium 500 MG Oral Tablet", []string{"penicillin v"}},
		{"piperacillin 4000 MG / tazobactam 500 MG Injection", []string{"piperacillin", "tazobactam"}},
		{"24 HR metoprolol succinate 100 MG Extended Release Oral Tablet [Toprol]", []string{"metoprolol"}},
		{"10 ML Furosemide 10 MG/ML Injection", []string{"furosemide"}},
		{"NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector", []string{"epinephrine"}},
		{"Acetaminophen 21.7 MG/ML / Dextromethorphan Hydrobromide 1 MG/ML / doxylamine succinate 0.417 MG/ML Oral Solution",
			[]string{"acetaminophen", "dextromethorphan", "doxylamine"}},
		{"Acetaminophen/Hydrocodone", []string{"acetaminophen", "hydrocodone"}},
		{"Carbamazepine[Tegretol]", []string{"carbamazepine"}},
		{"Lasix 40mg", []string{"furosemide"}},
		{"Bactrim DS", []string{"sulfamethoxazole", "trimethoprim"}},
		{"sulfamethoxazole-trimethoprim", []string{"sulfamethoxazole", "trimethoprim"}},
		{"Sulfamethoxazole 800 MG / Trimethoprim 160 MG Oral Tablet", []string{"sulfamethoxazole", "trimethoprim"}},
		{"Abuse-Deterrent 12 HR Oxycodone Hydrochloride 15 MG Extended Release Oral Tablet", []string{"oxycodone"}},
		{"Cefalexin 500 mg capsules", []string{"cephalexin"}},
		{"Sodium Chloride 9 MG/ML Injectable Solution", []string{"sodium chloride"}},
		{"Vasopressin (USP) 20 UNT/ML Injection", []string{"vasopressin"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := r.Ingredients(tt.name, nil); !slices.Equal(got, tt.want) {
			t.Errorf("Ingredients(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := r.Ingredients("Whatever Brand 5 MG", []string{"Amoxicillin", "Clavulanic acid"}); !slices.Equal(got, []string{"amoxicillin", "clavulanate acid"}) {
		t.Errorf("given ingredients: %q", got)
	}
}

func TestDrugAllergyAlerts(t *testing.T) {
	r := mustRules(t)
	tests := []struct {
		name      string
		drug      string
		allergy   AllergyFact
		severity  string // "" = no alert
		ruleID    string
		mentioned []string // words the message must contain
	}{
		{"penicillin → amoxicillin", "Amoxicillin 500 MG Oral Capsule", AllergyFact{Substance: "Penicillin"},
			SeverityHigh, "class-penicillins", []string{"Amoxicillin 500 MG Oral Capsule", "Penicillin", "2022 practice parameter"}},
		{"penicillin → penicillin V", "Penicillin V Potassium 250 MG Oral Tablet", AllergyFact{Substance: "Penicillin G"},
			SeverityHigh, "class-penicillins", nil},
		{"same ingredient", "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet", AllergyFact{Substance: "amoxicillin", Verification: AllergyConfirmed},
			SeverityHigh, "ingredient-match", []string{"amoxicillin"}},
		{"brand allergy", "Amoxicillin 500 MG Oral Capsule", AllergyFact{Substance: "Augmentin"},
			SeverityHigh, "ingredient-match", nil},
		{"penicillin → cephalexin", "Cephalexin 500 MG Oral Capsule", AllergyFact{Substance: "Penicillin"},
			SeverityModerate, "cross-penicillin-cephalosporin", []string{"Cephalexin 500 MG Oral Capsule", "Penicillin", "cross-sensitivity", "2022"}},
		{"penicillins → cefalexin (INN)", "Cefalexin 250 mg capsules", AllergyFact{Substance: "Penicillins"},
			SeverityModerate, "cross-penicillin-cephalosporin", nil},
		{"amoxicillin → ceftriaxone", "Rocephin", AllergyFact{Substance: "Amoxicillin"},
			SeverityModerate, "cross-penicillin-cephalosporin", nil},
		{"PCN → meropenem", "Meropenem 1000 MG Injection", AllergyFact{Substance: "PCN allergy"},
			SeverityModerate, "cross-penicillin-carbapenem", nil},
		{"cephalosporin → piperacillin", "piperacillin 2000 MG / tazobactam 250 MG Injection", AllergyFact{Substance: "Cefuroxime"},
			SeverityModerate, "cross-cephalosporin-penicillin", nil},
		{"sulfa → Bactrim", "Bactrim", AllergyFact{Substance: "Sulfa antibiotics"},
			SeverityHigh, "class-sulfonamide-antibiotics", []string{"Bactrim", "Sulfa antibiotics", "sulfamethoxazole", "N Engl J Med"}},
		{"sulfa → SMX-TMP", "sulfamethoxazole-trimethoprim 800-160 mg tablet", AllergyFact{Substance: "Sulfa drugs"},
			SeverityHigh, "class-sulfonamide-antibiotics", nil},
		{"sulfonamide antibiotic → sulfasalazine", "Sulfasalazine 500 MG Oral Tablet", AllergyFact{Substance: "Sulfonamide antibiotic"},
			SeverityHigh, "class-sulfonamide-antibiotics", nil},
		{"Bactrim allergy → sulfadiazine", "Sulfadiazine 500 MG Oral Tablet", AllergyFact{Substance: "Bactrim"},
			SeverityHigh, "class-sulfonamide-antibiotics", nil},
		{"sulfonamide → Bactrim", "Bactrim", AllergyFact{Substance: "Sulfonamide"},
			SeverityHigh, "class-sulfonamide-antibiotics", nil},
		{"sulfonamide → furosemide", "Furosemide 40 MG Oral Tablet", AllergyFact{Substance: "Sulfonamides"}, "", "", nil},
		{"sulfa → furosemide", "Furosemide 40 MG Oral Tablet", AllergyFact{Substance: "Sulfa antibiotics"}, "", "", nil},
		{"sulfa → Lasix", "Lasix 40mg", AllergyFact{Substance: "Sulfa drugs"}, "", "", nil},
		{"sulfa → hydrochlorothiazide", "Hydrochlorothiazide 25 MG Oral Tablet", AllergyFact{Substance: "Sulfa"}, "", "", nil},
		{"sulfa → ferrous sulfate", "ferrous sulfate 325 MG Oral Tablet", AllergyFact{Substance: "Sulfa"}, "", "", nil},
		{"refuted", "Amoxicillin 500 MG Oral Capsule", AllergyFact{Substance: "Penicillin", Verification: AllergyRefuted}, "", "", nil},
		{"entered in error", "Amoxicillin 500 MG Oral Capsule", AllergyFact{Substance: "Penicillin", Verification: AllergyEnteredInError}, "", "", nil},
		{"unrelated drug", "Lisinopril 10 MG Oral Tablet", AllergyFact{Substance: "Penicillin"}, "", "", nil},
		{"food allergy", "Amoxicillin 500 MG Oral Capsule", AllergyFact{Substance: "Peanut"}, "", "", nil},
		{"generic word only", "Alendronic acid 10 MG Oral Tablet", AllergyFact{Substance: "Acid"}, "", "", nil},
		{"penicillin → vancomycin", "vancomycin 1000 MG Injection", AllergyFact{Substance: "Penicillin"}, "", "", nil},
	}
	for _, tt := range tests {
		alerts := r.Check(MedicationCandidate{Name: tt.drug}, []AllergyFact{tt.allergy}, nil)
		if tt.severity == "" {
			if len(alerts) != 0 {
				t.Errorf("%s: want no alert, got %+v", tt.name, alerts)
			}
			continue
		}
		if len(alerts) != 1 {
			t.Errorf("%s: want one alert, got %+v", tt.name, alerts)
			continue
		}
		a := alerts[0]
		if a.Kind != AlertDrugAllergy || a.Severity != tt.severity || a.RuleID != tt.ruleID {
			t.Errorf("%s: got %s/%s/%s, want %s/%s/%s", tt.name, a.Kind, a.Severity, a.RuleID, AlertDrugAllergy, tt.severity, tt.ruleID)
		}
		for _, m := range tt.mentioned {
			if !strings.Contains(a.Message, m) {
				t.Errorf("%s: message %q does not mention %q", tt.name, a.Message, m)
			}
		}
	}
}

func TestDuplicateTherapy(t *testing.T) {
	r := mustRules(t)
	active := []MedicationFact{
		{Name: "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet"},
		{Name: "Lisinopril 10 MG Oral Tablet"},
		{Name: "Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet"},
	}
	alerts := r.Check(MedicationCandidate{Name: "Amoxicillin 500 MG Oral Capsule"}, nil, active)
	if len(alerts) != 1 || alerts[0].Kind != AlertDuplicateTherapy || alerts[0].Severity != SeverityModerate {
		t.Fatalf("want one duplicate-therapy alert, got %+v", alerts)
	}
	for _, m := range []string{"Amoxicillin 500 MG Oral Capsule", "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet", "amoxicillin", "NPSG.03.06.01"} {
		if !strings.Contains(alerts[0].Message, m) {
			t.Errorf("message %q does not mention %q", alerts[0].Message, m)
		}
	}
	if a := r.Check(MedicationCandidate{Name: "Tylenol 500 mg"}, nil, active); len(a) != 1 || !strings.Contains(a[0].Message, "acetaminophen") {
		t.Errorf("brand duplicate of an acetaminophen combination: %+v", a)
	}
	if a := r.Check(MedicationCandidate{Name: "Amlodipine 5 MG Oral Tablet"}, nil, active); len(a) != 0 {
		t.Errorf("unrelated drug: %+v", a)
	}
}

func TestCheckCombinesAlerts(t *testing.T) {
	r := mustRules(t)
	alerts := r.Check(MedicationCandidate{Name: "Augmentin 875 mg", RxNorm: "562251"},
		[]AllergyFact{{Substance: "Penicillin"}, {Substance: "Cephalexin"}, {Substance: "Latex"}},
		[]MedicationFact{{Name: "Amoxicillin 500 MG Oral Capsule"}})
	var got []string
	for _, a := range alerts {
		got = append(got, a.Kind+"/"+a.Severity)
	}
	want := []string{"drug-allergy/high", "drug-allergy/moderate", "duplicate-therapy/moderate"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestValidateOverride(t *testing.T) {
	alerts := []SafetyAlert{{Kind: AlertDrugAllergy, Severity: SeverityHigh}}
	if err := ValidateOverride(nil, ""); err != nil {
		t.Errorf("no alerts needs no reason: %v", err)
	}
	for _, reason := range []string{"", "   ", "ok", "abcd", " abcd "} {
		if err := ValidateOverride(alerts, reason); ErrorCode(err) != EINVALID || ErrorField(err) != "overrideReason" {
			t.Errorf("reason %q: got %v", reason, err)
		}
	}
	if err := ValidateOverride(alerts, "Tolerated cephalexin in 2023 without reaction"); err != nil {
		t.Errorf("good reason refused: %v", err)
	}
	if err := ValidateOverride(alerts, "bad \x00 reason"); ErrorField(err) != "overrideReason" {
		t.Errorf("control character: %v", err)
	}
}

// rulesJSON returns the embedded rules with edit applied, re-encoded.
func rulesJSON(t *testing.T, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(defaultSafetyRulesJSON, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func firstClass(m map[string]any) map[string]any {
	return m["classes"].([]any)[0].(map[string]any)
}

func firstInteraction(m map[string]any) map[string]any {
	return m["interactions"].([]any)[0].(map[string]any)
}

func firstCross(m map[string]any) map[string]any {
	return m["crossSensitivities"].([]any)[0].(map[string]any)
}

func TestLoadSafetyRulesRefusesMalformedFiles(t *testing.T) {
	if _, err := LoadSafetyRules(rulesJSON(t, func(map[string]any) {})); err != nil {
		t.Fatalf("round-tripped rules refused: %v", err)
	}
	bad := map[string][]byte{
		"not JSON":          []byte(`{"version": 1, "classes": [`),
		"empty":             []byte(``),
		"trailing data":     append(slices.Clone(defaultSafetyRulesJSON), []byte(`{}`)...),
		"unknown field":     rulesJSON(t, func(m map[string]any) { m["clases"] = []any{} }),
		"wrong version":     rulesJSON(t, func(m map[string]any) { m["version"] = 2 }),
		"no classes":        rulesJSON(t, func(m map[string]any) { m["classes"] = []any{} }),
		"class no source":   rulesJSON(t, func(m map[string]any) { firstClass(m)["source"] = " " }),
		"class no members":  rulesJSON(t, func(m map[string]any) { firstClass(m)["members"] = []any{} }),
		"class bad id":      rulesJSON(t, func(m map[string]any) { firstClass(m)["id"] = "Penicillins!" }),
		"upper-case member": rulesJSON(t, func(m map[string]any) { firstClass(m)["members"] = []any{"Amoxicillin"} }),
		"member twice": rulesJSON(t, func(m map[string]any) {
			firstClass(m)["members"] = append(firstClass(m)["members"].([]any), "cephalexin")
		}),
		"duplicate class": rulesJSON(t, func(m map[string]any) {
			m["classes"] = append(m["classes"].([]any), firstClass(m))
		}),
		"cross unknown class": rulesJSON(t, func(m map[string]any) { firstCross(m)["drugClass"] = "macrolides" }),
		"cross bad severity":  rulesJSON(t, func(m map[string]any) { firstCross(m)["severity"] = "low" }),
		"cross no source":     rulesJSON(t, func(m map[string]any) { delete(firstCross(m), "source") }),
		"cross to itself":     rulesJSON(t, func(m map[string]any) { firstCross(m)["drugClass"] = firstCross(m)["allergyClass"] }),
		"brand no ingredients": rulesJSON(t, func(m map[string]any) {
			m["brands"].(map[string]any)["bactrim"] = []any{}
		}),
		"synonym phrase": rulesJSON(t, func(m map[string]any) {
			m["synonyms"].(map[string]any)["co trimoxazole"] = "bactrim"
		}),
		"duplicate policy":         rulesJSON(t, func(m map[string]any) { delete(m, "duplicateTherapy") }),
		"interaction no source":    rulesJSON(t, func(m map[string]any) { delete(firstInteraction(m), "source") }),
		"interaction no partner":   rulesJSON(t, func(m map[string]any) { firstInteraction(m)["with"] = []any{} }),
		"interaction bad severity": rulesJSON(t, func(m map[string]any) { firstInteraction(m)["severity"] = "info" }),
		"interaction upper case":   rulesJSON(t, func(m map[string]any) { firstInteraction(m)["drugs"] = []any{"Warfarin"} }),
	}
	for name, data := range bad {
		if r, err := LoadSafetyRules(data); err == nil || r != nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
}

func TestEverySafetyRuleCitesASource(t *testing.T) {
	r := mustRules(t)
	for _, c := range r.Classes {
		if !strings.Contains(c.Source, "20") {
			t.Errorf("class %s: source %q has no year", c.ID, c.Source)
		}
	}
	for _, x := range r.CrossSensitivities {
		if x.Severity != SeverityModerate {
			t.Errorf("cross-sensitivity %s should alert below a same-class allergy", x.ID)
		}
	}
	for _, x := range r.Interactions {
		if !strings.Contains(x.Source, "CC0") || !strings.Contains(x.Source, "github.com/HL7/PDDI-CDS") {
			t.Errorf("interaction %s: source %q does not name its openly licensed origin", x.ID, x.Source)
		}
	}
}
