package codes

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Allergen is an entry of a small curated allergen list: what the allergy
// picker offers before RxNorm ingredients. Terms are other words that find
// it ("sulfa" for sulfonamide antibiotics, "honey bee" for bee venom).
type Allergen struct {
	Code  Code
	Terms []string
}

// Allergen kinds, the first for classes the caller supplies.
const (
	KindDrugClass = "drug class"
)

// nonDrugAllergens is the curated list of common non-drug allergens.
var nonDrugAllergens = sync.OnceValues(func() ([]Allergen, error) {
	rows, err := readCurated("allergens.csv", "code", "display", "kind", "source")
	if err != nil {
		return nil, err
	}
	out := make([]Allergen, len(rows))
	for i, r := range rows {
		if !slices.Contains([]string{"food", "venom", "other"}, r["kind"]) {
			return nil, fmt.Errorf("allergen %s: kind %q", r["code"], r["kind"])
		}
		out[i] = Allergen{Code: Code{System: SystemAllergen, Code: r["code"], Display: r["display"], Kind: r["kind"], Source: r["source"]}}
		for _, t := range strings.Split(r["terms"], ";") {
			if t = strings.TrimSpace(t); t != "" {
				out[i].Terms = append(out[i].Terms, t)
			}
		}
	}
	return out, nil
})

// Allergens searches what an allergy can be recorded to: the drug classes
// given (the safety rules own them, with their sources), the common
// non-drug allergens shipped here, then RxNorm ingredients and brand names.
// Curated entries come first, those a query word names (a first word)
// before the rest.
func Allergens(query string, limit int, classes []Allergen) []Code {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	nonDrug, _ := nonDrugAllergens() // a damaged list is reported by Load
	out := matchAllergens(query, classes, nonDrug)
	if len(out) >= limit {
		return out[:limit]
	}
	l := rxnormList.get()
	return append(out, l.ix.search(query, limit-len(out), l.substance, l.substanceRank)...)
}

// substance keeps the current ingredients and brand names.
func (l *rxnorm) substance(e int32) bool {
	return l.current(e) && (l.tty[e] == ttyIN || l.tty[e] == ttyBN)
}

// substanceKey ranks ingredients before brand names, then shorter names.
func (l *rxnorm) substanceKey(e int32) rankKey {
	return rankKey{int32(l.tty[e]), int32(len(l.display[e]))}
}

// matchAllergens returns the curated entries every query word starts a
// word of, lead matches first, then in list order (classes first).
func matchAllergens(query string, lists ...[]Allergen) []Code {
	terms := tokenize(query)
	if len(terms) == 0 {
		return nil
	}
	type found struct {
		code Code
		lead bool
		pos  int
	}
	var hits []found
	for _, list := range lists {
		for _, a := range list {
			phrases := append([]string{a.Code.Display}, a.Terms...)
			words := tokenize(strings.Join(phrases, " "))
			if !everyPrefixes(terms, words) {
				continue
			}
			lead := false
			for _, p := range phrases {
				if first := tokenize(p); len(first) > 0 && anyPrefixes(terms, first[0]) {
					lead = true
				}
			}
			hits = append(hits, found{a.Code, lead, len(hits)})
		}
	}
	slices.SortStableFunc(hits, func(a, b found) int {
		return cmp.Or(cmp.Compare(flag(!a.lead), flag(!b.lead)), cmp.Compare(a.pos, b.pos))
	})
	out := make([]Code, len(hits))
	for i, h := range hits {
		out[i] = h.code
	}
	return out
}

// everyPrefixes reports whether each term starts one of words.
func everyPrefixes(terms, words []string) bool {
	for _, t := range terms {
		if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, t) }) {
			return false
		}
	}
	return true
}

func anyPrefixes(terms []string, word string) bool {
	return slices.ContainsFunc(terms, func(t string) bool { return strings.HasPrefix(word, t) })
}

// AllergenKind is the kind (food, venom, other) of the curated non-drug
// allergen with code, or "" when the list has no such code: the FHIR
// export's AllergyIntolerance category.
func AllergenKind(code string) string {
	list, _ := nonDrugAllergens()
	for _, a := range list {
		if a.Code.Code == code {
			return a.Code.Kind
		}
	}
	return ""
}
