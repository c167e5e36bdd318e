package codes

// Version says which release of a vocabulary is shipped, for the About
// screen. The figures are fixed here (a test checks them against the
// loaded lists) so that showing them loads nothing.
type Version struct {
	Name    string `json:"name"`
	Release string `json:"release"`
	Entries int    `json:"entries"`
	// Note says what the shipped list holds and lacks.
	Note string `json:"note"`
}

// Versions lists the shipped vocabularies; docs/VOCABULARIES.md says how
// to update each.
func Versions() []Version {
	return []Version{
		{"RxNorm", "2025-10-06 Current Prescribable Content, with A-ingredient supplements (2019–2025 value sets)", 27377,
			"Prescribable products, ingredients and brands; ingredients starting with A only partly covered. Drugs not found are recorded as uncoded free text."},
		{"ICD-10-CM", "FY2022 (1 October 2021 – 30 September 2022)", 95524,
			"72,748 billable codes, with 123 curated entry terms and abbreviations; codes added since FY2022 are missing."},
		{"CVX", "CDC CVX, export of 2025-10-31", 287, "Vaccines administered, active and historical."},
		{"LOINC", "codes observed in Synthea and Inferno FHIR test data (fixtures of 2025-12)", 172,
			"Vital signs and common laboratory tests with UCUM units; not the full LOINC table."},
		{"Allergens", "Outpost curated list, 2026-12", 16,
			"Major food allergens (FALCPA, FASTER Act), stinging insect venoms, latex and gelatin; drug classes come from the safety rules."},
	}
}
