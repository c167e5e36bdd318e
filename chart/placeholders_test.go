package chart

import (
	"strings"
	"testing"
)

func ptr(x float64) *float64 { return &x }

// placeholderChart is a chart with something under every placeholder.
func placeholderChart() PlaceholderData {
	vitals := &VitalsRecord{TakenAt: "2026-11-23T08:35", Signs: VitalSigns{Systolic: ptr(150), Diastolic: ptr(95),
		HeartRate: ptr(72), Temperature: ptr(37.2), Weight: ptr(70)},
		Flags: []VitalFlag{{Field: VitalSystolic, Level: FlagHigh}}}
	return PlaceholderData{
		Summary: ChartSummary{
			LatestVitals:  vitals,
			AllergyStatus: AllergiesListed,
			Allergies: []Allergy{
				{Substance: Coded{Display: "Penicillin"}, Reaction: "hives", Severity: "severe", Verification: AllergyConfirmed},
				{Substance: Coded{Display: "Latex"}, Verification: AllergyRefuted},
			},
			Problems: []Problem{
				{Condition: Coded{System: SystemICD10CM, Code: "I10", Display: "Essential hypertension"}, Onset: "2019", Status: ProblemActive, Chronic: true},
				{Condition: Coded{Display: "Ankle sprain"}, Status: ProblemResolved},
			},
			Medications: []Medication{{Drug: Coded{Display: "Lisinopril 10 MG Oral Tablet"}, Dose: "10", Unit: "mg",
				Route: "oral", Frequency: "once daily", Status: MedActive}},
		},
		Encounter: &Encounter{Diagnoses: []Coded{{System: SystemICD10CM, Code: "J02.9", Display: "Acute pharyngitis, unspecified"}}},
		Units:     MetricUnits(),
	}
}

func TestExpandPlaceholdersFillsEachFromTheChart(t *testing.T) {
	d := placeholderChart()
	cases := map[string][]string{
		"{{vitals}}":        {"Vitals (23 Nov 2026 08:35)", "BP 150/95 mmHg (high)", "HR 72 /min", "Temp 37.2 °C", "Weight 70.0 kg"},
		"{{ Medications }}": {"Active medications:", "- Lisinopril 10 MG Oral Tablet 10 mg oral once daily"},
		"{{allergies}}":     {"Allergies: Penicillin (hives, severe)."},
		"{{problems}}":      {"Active problems:", "- Essential hypertension (I10), since 2019 (chronic)"},
		"{{diagnoses}}":     {"Diagnoses:", "- Acute pharyngitis, unspecified (J02.9)"},
	}
	for in, wants := range cases {
		got := ExpandPlaceholders("Before\n"+in+"\nAfter", d)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s expanded to %q, want it to contain %q", in, got, w)
			}
		}
		if !strings.HasPrefix(got, "Before\n") || !strings.HasSuffix(got, "\nAfter") || strings.Contains(got, "{{") {
			t.Errorf("%s: the text around the placeholder changed or it was left: %q", in, got)
		}
	}
	if got := ExpandPlaceholders("{{allergies}}", d); strings.Contains(got, "Latex") {
		t.Errorf("a refuted allergy is listed: %q", got)
	}
	if got := ExpandPlaceholders("{{problems}}", d); strings.Contains(got, "sprain") {
		t.Errorf("a resolved problem is listed: %q", got)
	}
}

func TestExpandPlaceholdersSaysWhatIsMissing(t *testing.T) {
	empty := PlaceholderData{Summary: ChartSummary{AllergyStatus: AllergiesNotAsked}, Units: MetricUnits()}
	for in, want := range map[string]string{
		"{{vitals}}":      "Vitals: none recorded.",
		"{{medications}}": "Active medications: none recorded.",
		"{{allergies}}":   "Allergies: not yet asked.",
		"{{problems}}":    "Active problems: none listed.",
		"{{diagnoses}}":   "Diagnoses: this note is not linked to a visit.",
	} {
		if got := ExpandPlaceholders(in, empty); got != want {
			t.Errorf("%s = %q, want %q", in, got, want)
		}
	}
	nka := PlaceholderData{Summary: ChartSummary{AllergyStatus: AllergiesNone, NoKnownProblems: true}, Encounter: &Encounter{}}
	if got := ExpandPlaceholders("{{allergies}} {{problems}} {{diagnoses}}", nka); got !=
		"No known allergies. No known problems. Diagnoses: none recorded for this visit yet." {
		t.Errorf("statements = %q", got)
	}
	damaged := PlaceholderData{Summary: ChartSummary{AllergyStatus: AllergiesUnreadable,
		Allergies: []Allergy{{Meta: Meta{Damaged: "could not be opened"}}}, NoKnownProblems: true,
		Problems: []Problem{{Meta: Meta{Damaged: "x"}}}}}
	got := ExpandPlaceholders("{{allergies}}\n{{problems}}", damaged)
	if strings.Contains(got, "No known") || !strings.Contains(got, "1 allergy record could not be opened") ||
		!strings.Contains(got, "1 problem could not be opened") {
		t.Errorf("a damaged record must never read as none known: %q", got)
	}
}

func TestUnknownPlaceholdersAreKeptAndNamed(t *testing.T) {
	text := "{{vital}} and {{vitals}} and {{ vital }} and {{vital}}"
	if got := UnknownPlaceholders(text); strings.Join(got, ",") != "{{vital}},{{ vital }}" {
		t.Fatalf("UnknownPlaceholders = %q", got)
	}
	if got := ExpandPlaceholders("{{vital}}", placeholderChart()); got != "{{vital}}" {
		t.Fatalf("an unknown placeholder was replaced: %q", got)
	}
	tpl := Template{Name: "Mine", Sections: []TemplateSection{{Key: "o", Label: "Objective", Text: "{{vitlas}}"}}}
	err := tpl.Validate()
	if fieldOf(t, err) != "sections.o" || !strings.Contains(ErrorMessage(err), "{{vitlas}}") ||
		!strings.Contains(ErrorMessage(err), "{{vitals}}") {
		t.Fatalf("template with a misspelt placeholder: %v", err)
	}
	tpl.Sections[0].Text = "{{vitals}}\n{{diagnoses}}"
	if err := tpl.Validate(); err != nil {
		t.Fatalf("template with known placeholders: %v", err)
	}
}
