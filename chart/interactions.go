package chart

import (
	"fmt"
	"slices"
	"strings"
)

// Interaction is a drug-drug interaction rule: a medication with an
// ingredient of Drugs given with one of With (either way round) alerts,
// unless the product's name shows a dose form in ExcludeForms (a topical
// or eye product of the same ingredient does not interact the same way).
type Interaction struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`     // "warfarin and an NSAID"
	Drugs        []string `json:"drugs"`    // ingredient names, lower case
	With         []string `json:"with"`     // ingredient names, lower case
	WithName     string   `json:"withName"` // what the With group is called: "an NSAID"
	ExcludeForms []string `json:"excludeForms,omitempty"`
	Severity     string   `json:"severity"`
	Note         string   `json:"note"`
	Source       string   `json:"source"`
}

func (r *SafetyRules) validateInteractions() error {
	ids := map[string]bool{}
	for _, x := range r.Interactions {
		switch {
		case !ruleIDPattern.MatchString(x.ID) || ids[x.ID]:
			return fmt.Errorf("interaction id %q is malformed or repeated", x.ID)
		case len(x.Drugs) == 0 || len(x.With) == 0 || strings.TrimSpace(x.Name) == "" || strings.TrimSpace(x.WithName) == "":
			return fmt.Errorf("interaction %q needs a name, drugs, what they interact with and its name", x.ID)
		case slices.ContainsFunc(append(slices.Clone(x.Drugs), x.With...), func(s string) bool { return !isLowerTerm(s) }):
			return fmt.Errorf("interaction %q: ingredients must be lower-case words", x.ID)
		case slices.ContainsFunc(x.ExcludeForms, func(s string) bool { return !isLowerTerm(s) }):
			return fmt.Errorf("interaction %q: excluded forms must be lower-case words", x.ID)
		case !validSeverity(x.Severity):
			return fmt.Errorf("interaction %q: severity %q must be high or moderate", x.ID, x.Severity)
		case strings.TrimSpace(x.Note) == "" || strings.TrimSpace(x.Source) == "":
			return fmt.Errorf("interaction %q needs a note and a source", x.ID)
		}
		ids[x.ID] = true
	}
	return nil
}

// interactionAlerts returns one alert per active medication that
// interacts with the new one (the first rule that applies).
func (r *SafetyRules) interactionAlerts(drugName string, ings []string, active []MedicationFact) []SafetyAlert {
	var out []SafetyAlert
	for _, m := range active {
		other := r.Ingredients(m.Name, m.Ingredients)
		for _, x := range r.Interactions {
			a, b, ok := x.applies(drugName, ings, m.Name, other)
			if !ok {
				continue
			}
			out = append(out, SafetyAlert{Kind: AlertDrugInteraction, Severity: x.Severity, RuleID: "interaction-" + x.ID,
				Message: fmt.Sprintf("Interaction: %s and %s. %s contains %s; the active medication %s contains %s. %s Source: %s.",
					x.Name, x.WithName, drugName, a, m.Name, b, x.Note, x.Source)})
			break
		}
	}
	return out
}

// applies reports whether the two medications meet the rule, and the
// ingredient of each that does.
func (x *Interaction) applies(nameA string, ingsA []string, nameB string, ingsB []string) (string, string, bool) {
	if x.excluded(nameA) || x.excluded(nameB) {
		return "", "", false
	}
	for _, pair := range [][2][]string{{x.Drugs, x.With}, {x.With, x.Drugs}} {
		a, okA := firstIn(ingsA, pair[0])
		b, okB := firstIn(ingsB, pair[1])
		if okA && okB {
			return a, b, true
		}
	}
	return "", "", false
}

func (x *Interaction) excluded(name string) bool {
	words := wordsOf(name, nil)
	return slices.ContainsFunc(x.ExcludeForms, func(f string) bool { return containsWords(words, strings.Fields(f)) })
}

func firstIn(ings, members []string) (string, bool) {
	for _, i := range ings {
		if slices.Contains(members, i) {
			return i, true
		}
	}
	return "", false
}
