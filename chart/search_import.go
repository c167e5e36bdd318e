package chart

import "strings"

// ImportMatches are the indexed patients an incoming (imported) patient
// may be, by strength of the evidence.
type ImportMatches struct {
	// ByIdentifier share a number in the same system.
	ByIdentifier []PatientSummary
	// Exact have the same family and given names (ignoring case) and date
	// of birth.
	Exact []PatientSummary
	// Similar share the date of birth and one of the names, or a name that
	// starts the other's: not enough to merge without a person.
	Similar []PatientSummary
}

// MatchImport finds the patients p may be. It scans the whole index once:
// about as long as a search.
func (ix *PatientIndex) MatchImport(p *Patient) ImportMatches {
	var m ImportMatches
	given, family := foldText(p.GivenName), foldText(p.FamilyName)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for i := range ix.sorted {
		s := &ix.sorted[i]
		e := s.rec
		switch {
		case sharesIdentifier(p.Identifiers, e.identifiers):
			m.ByIdentifier = append(m.ByIdentifier, e.summary)
		case s.birth != p.BirthDate || p.BirthDate == "":
		case e.family == family && e.given == given:
			m.Exact = append(m.Exact, e.summary)
		case similarName(e.family, family) || similarName(e.given, given):
			m.Similar = append(m.Similar, e.summary)
		}
	}
	return m
}

func sharesIdentifier(in, have []Identifier) bool {
	for _, a := range in {
		for _, b := range have {
			if SameIdentifier(a, b) {
				return true
			}
		}
	}
	return false
}

// similarName: equal, or one starts the other ("Ann" and "Anna", "Smith"
// and "Smith-Jones"), folded.
func similarName(a, b string) bool {
	return a != "" && b != "" && (strings.HasPrefix(a, b) || strings.HasPrefix(b, a))
}
