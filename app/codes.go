package app

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"outpost/chart"
	"outpost/codes"
)

// Codes is bound to the frontend: the vocabularies shipped inside the app
// (ICD-10-CM, CVX, RxNorm, LOINC, allergens), searched as you type, fully
// offline.
type Codes struct{ a *App }

const codeLimit = 20

// search runs a code-list search for a signed-in user (the lists are not
// secret, but the chart's screens are for staff only).
func search(a *App, query string, find func(query string, limit int) []codes.Code) ([]codes.Code, error) {
	return call(a, func(context.Context, chart.Session) ([]codes.Code, error) { return nonNil(find(query, codeLimit)), nil })
}

// ICD10 searches billable ICD-10-CM codes by code, description words or
// the words clinicians use ("htn", "strep throat").
func (c *Codes) ICD10(query string) ([]codes.Code, error) {
	return search(c.a, query, codes.ICD10Billable)
}

// CVX searches vaccine codes.
func (c *Codes) CVX(query string) ([]codes.Code, error) {
	return search(c.a, query, codes.CVX)
}

// RxNorm searches drugs: products with their ingredients, ingredients and
// brand names.
func (c *Codes) RxNorm(query string) ([]codes.Code, error) {
	return search(c.a, query, codes.RxNorm)
}

// Allergens searches what an allergy can be recorded to: drug classes,
// common non-drug allergens, RxNorm ingredients and brands.
func (c *Codes) Allergens(query string) ([]codes.Code, error) {
	return search(c.a, query, allergens)
}

// LOINC searches the laboratory tests a result can be entered for, each
// with its UCUM unit.
func (c *Codes) LOINC(query string) ([]codes.Code, error) {
	return search(c.a, query, codes.LOINCLabs)
}

// Versions says which release of each vocabulary is shipped.
func (c *Codes) Versions() ([]codes.Version, error) {
	return ready(c.a, func(context.Context) ([]codes.Version, error) { return codes.Versions(), nil })
}

// Attribution is the licence text of the shipped code lists.
func (c *Codes) Attribution() string { return codes.Attribution }

func allergens(query string, limit int) []codes.Code {
	return codes.Allergens(query, limit, allergyClasses())
}

// allergyClasses are the safety rules' drug classes as the allergy picker
// offers them: an allergy recorded to one alerts for all its members.
var allergyClasses = sync.OnceValue(func() []codes.Allergen {
	rules, err := chart.DefaultSafetyRules()
	if err != nil {
		return nil // the medication checks refuse to run and say so
	}
	var out []codes.Allergen
	for _, c := range rules.AllergyClasses() {
		out = append(out, codes.Allergen{Terms: c.Terms, Code: codes.Code{System: codes.SystemAllergyClass, Code: c.ID,
			Display: c.Name, Kind: codes.KindDrugClass, Detail: membersLine(c.Members), Source: c.Source}})
	}
	return out
})

// membersLine names a class's first members: "amoxicillin, ampicillin, … (21 drugs)".
func membersLine(members []string) string {
	if len(members) <= 5 {
		return strings.Join(members, ", ")
	}
	return fmt.Sprintf("%s, … (%d drugs)", strings.Join(members[:5], ", "), len(members))
}
