package chart

import "strings"

// Sig is a medication's dose, route and frequency written as one line
// ("500 mg oral twice daily"). The FHIR export writes it as the dosage
// text; the importer reads a dosage text that says no more than this as
// those parts, not as instructions someone wrote.
func (m *Medication) Sig() string {
	var parts []string
	for _, p := range []string{strings.TrimSpace(m.Dose + " " + m.Unit), m.Route, m.Frequency} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}
