package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The RxNorm extract (see rxnorm/SOURCE.md) comes in three parts with the
// same columns: the 2025-10-06 prescribable content without A-ingredients,
// an A-ingredient slice of the eCQM value sets ("-a") and a supplement of
// value-set and Synthea codes ("-supplement").
var rxnormParts = []struct{ suffix, origin string }{
	{"", RxMain},
	{"-a", RxValueSetA},
	{"-supplement", RxSupplement},
}

// Origins written in the origin column. RxSupplement rows whose
// ingredients all start with another letter than "a" become RxHistorical:
// their ingredients are in the prescribable content, so their absence from
// it means they are obsolete or not prescribable (SOURCE.md). They are kept
// to recognise codes in old records, never offered in the picker.
const (
	RxMain       = "p"
	RxValueSetA  = "a"
	RxSupplement = "s"
	RxHistorical = "h"
)

// rxShipped are the term types the app uses: products to prescribe, and
// ingredients and brands to record allergies to. Components (SCDC) and
// precise or multiple ingredients (PIN, MIN) are left out.
var rxShipped = map[string]bool{"IN": true, "BN": true, "SCD": true, "SBD": true, "GPCK": true, "BPCK": true}

type rxConcept struct {
	rxcui, tty, name, origin string
	ingredients              []string // IN rxcuis
	brand                    string   // BN rxcui of an SBD
	ndcs                     int      // NDCs of the concept (and of its branded versions, for an SCD)
}

// convertRxNorm writes one row per shipped concept: rxcui, tty, origin,
// popularity (a count of NDCs, the ranking's measure of how widely a
// product is marketed), name, ingredient rxcuis (comma-separated) and the
// brand rxcui of a branded drug. Rows are in rxcui order.
func convertRxNorm(dir string, out io.Writer) error {
	open := func(name string) (io.ReadCloser, error) { return openFixture(filepath.Join(dir, name)) }
	concepts := map[string]*rxConcept{}
	for _, p := range rxnormParts {
		if err := readRxConcepts(open, "rxnorm-concepts"+p.suffix+".csv.gz", p.origin, concepts); err != nil {
			return err
		}
	}
	for _, p := range rxnormParts {
		if err := readRxIngredients(open, "rxnorm-drug-ingredients"+p.suffix+".csv.gz", concepts); err != nil {
			return err
		}
	}
	generic, err := readRxRelations(open, concepts)
	if err != nil {
		return err
	}
	if err := countNDCs(open, concepts, generic); err != nil {
		return err
	}
	n := 0
	for _, id := range slices.SortedFunc(maps.Keys(concepts), byNumber) {
		c := concepts[id]
		if !rxShipped[c.tty] {
			continue
		}
		if c.origin == RxSupplement && !hasAIngredient(c, concepts) {
			c.origin = RxHistorical
		}
		n++
		if err := writeRow(out, c.rxcui, c.tty, c.origin, strconv.Itoa(c.ndcs), c.name,
			strings.Join(c.ingredients, ","), c.brand); err != nil {
			return err
		}
	}
	if n < 25000 {
		return fmt.Errorf("only %d RxNorm concepts; is the extract complete?", n)
	}
	return nil
}

func byNumber(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

func readRxConcepts(open func(string) (io.ReadCloser, error), name, origin string, into map[string]*rxConcept) error {
	return readFixtureCSV(open, name, []string{"rxcui", "tty", "name"}, func(get func(string) string) error {
		id := get("rxcui")
		if !isDigits(id) {
			return fmt.Errorf("rxcui %q", id)
		}
		if _, dup := into[id]; dup {
			return fmt.Errorf("rxcui %s is in two files", id)
		}
		into[id] = &rxConcept{rxcui: id, tty: get("tty"), name: clean(get("name")), origin: origin}
		return nil
	})
}

// readRxIngredients links each drug to its ingredients (IN only: the
// safety checks compare ingredients, whatever salt a product names).
func readRxIngredients(open func(string) (io.ReadCloser, error), name string, concepts map[string]*rxConcept) error {
	want := []string{"drug_rxcui", "ingredient_rxcui", "ingredient_tty"}
	return readFixtureCSV(open, name, want, func(get func(string) string) error {
		if get("ingredient_tty") != "IN" {
			return nil
		}
		drug, ing := concepts[get("drug_rxcui")], get("ingredient_rxcui")
		if drug == nil || concepts[ing] == nil {
			return fmt.Errorf("link %s → %s names an unknown concept", get("drug_rxcui"), ing)
		}
		if !slices.Contains(drug.ingredients, ing) {
			drug.ingredients = append(drug.ingredients, ing)
			slices.SortFunc(drug.ingredients, byNumber)
		}
		return nil
	})
}

// readRxRelations sets each branded drug's brand and returns, for each
// branded drug, its clinical drug (tradename_of).
func readRxRelations(open func(string) (io.ReadCloser, error), concepts map[string]*rxConcept) (map[string]string, error) {
	generic := map[string]string{}
	err := readFixtureCSV(open, "rxnorm-relationships.csv.gz", []string{"rxcui1", "rela", "rxcui2", "tty2"}, func(get func(string) string) error {
		from, to := get("rxcui1"), get("rxcui2")
		switch {
		case get("rela") == "has_ingredient" && get("tty2") == "BN" && concepts[from] != nil:
			concepts[from].brand = to
		case get("rela") == "tradename_of":
			generic[from] = to
		}
		return nil
	})
	return generic, err
}

// countNDCs counts the NDCs of each product; a clinical drug also counts
// those of its branded versions, so "insulin glargine" ranks the generic
// that Lantus, Basaglar and Semglee are brands of.
func countNDCs(open func(string) (io.ReadCloser, error), concepts map[string]*rxConcept, generic map[string]string) error {
	return readFixtureCSV(open, "rxnorm-ndc.csv.gz", []string{"rxcui", "ndc11"}, func(get func(string) string) error {
		id := get("rxcui")
		if c := concepts[id]; c != nil {
			c.ndcs++
		}
		if c := concepts[generic[id]]; c != nil {
			c.ndcs++
		}
		return nil
	})
}

var (
	bracketed    = regexp.MustCompile(`\[[^\]]*\]`)
	leadingCount = regexp.MustCompile(`^(\d[\d.]*|HR|ML|ACTUAT|Sensor|(NDA|ANDA|BLA)\d+)$`)
)

// hasAIngredient reports whether an ingredient of c starts with "a", by
// its links or by the ingredient phrases of its name ("24 HR albuterol …").
func hasAIngredient(c *rxConcept, concepts map[string]*rxConcept) bool {
	for _, id := range c.ingredients {
		if strings.HasPrefix(strings.ToLower(concepts[id].name), "a") {
			return true
		}
	}
	name := strings.NewReplacer("{", " / ", "}", " / ", "(", " / ", ")", " / ").Replace(bracketed.ReplaceAllString(c.name, ""))
	for _, phrase := range strings.Split(name, " / ") {
		words := strings.Fields(phrase)
		for len(words) > 0 && leadingCount.MatchString(words[0]) {
			words = words[1:]
		}
		if len(words) > 0 && strings.HasPrefix(strings.ToLower(words[0]), "a") {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
