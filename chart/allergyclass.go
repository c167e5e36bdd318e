package chart

import "strings"

// Outpost's own code systems for allergies recorded to something no open
// code system names (package codes defines the same URIs): a drug class of
// the safety rules (the code is the class id, "penicillins"), or a common
// non-drug allergen ("peanut", "latex").
const (
	SystemAllergyClass = "urn:outpost:allergy-class"
	SystemAllergen     = "urn:outpost:allergen"
)

// AllergyClass is a drug class an allergy can be recorded to, for the
// allergy picker.
type AllergyClass struct {
	ID      string
	Name    string   // "Penicillins"
	Members []string // ingredient names
	Terms   []string // other words that name it ("pcn", "sulfa")
	Source  string
}

// AllergyClasses lists the classes of the rules for the allergy picker.
func (r *SafetyRules) AllergyClasses() []AllergyClass {
	out := make([]AllergyClass, len(r.Classes))
	for i := range r.Classes {
		c := &r.Classes[i]
		plural := c.Plural()
		out[i] = AllergyClass{ID: c.ID, Name: strings.ToUpper(plural[:1]) + plural[1:], Members: c.Members,
			Terms: append([]string{c.Name}, c.AllergyTerms...), Source: c.Source}
	}
	return out
}
