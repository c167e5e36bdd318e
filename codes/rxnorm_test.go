package codes

import (
	"slices"
	"strings"
	"testing"
)

// TestDrugSearchFindsTheRightProductFirst: the queries, each with
// the product it must find first (Outpost issue #9).
func TestDrugSearchFindsTheRightProductFirst(t *testing.T) {
	for _, tc := range []struct{ query, first, display string }{
		{"azithro", "308460", "azithromycin 250 MG Oral Tablet"},
		{"cephalexin", "309114", "cephalexin 500 MG Oral Capsule"},
		{"bactrim", "849580", "sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet [Bactrim]"},
		{"Bactrim DS", "849580", "sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet [Bactrim]"},
		{"omeprazole", "198051", "omeprazole 20 MG Delayed Release Oral Capsule"},
		{"insulin glargine", "847230", "3 ML insulin glargine 100 UNT/ML Pen Injector"},
		{"metformin 500", "861007", "metformin hydrochloride 500 MG Oral Tablet"},
	} {
		got := RxNorm(tc.query, 10)
		if len(got) == 0 || got[0].Code != tc.first || got[0].Display != tc.display {
			t.Errorf("%q: first %v, want %s %s", tc.query, codesOf(got), tc.first, tc.display)
		}
	}
}

func TestDrugSearchRanking(t *testing.T) {
	// A brand's own products, then the brand name itself.
	got := RxNorm("bactrim", 10)
	if len(got) != 3 || got[0].Kind != "branded drug" || got[1].Kind != "branded drug" || got[2].Kind != "brand name" {
		t.Errorf("bactrim: %+v", got)
	}
	// "Bactrim DS" is only the double-strength tablet.
	if got := RxNorm("bactrim ds", 10); len(got) != 1 {
		t.Errorf("bactrim ds: %v", codesOf(got))
	}
	// An ingredient's single-ingredient products before its combinations,
	// generic before branded, and the ingredient itself after its products.
	met := RxNorm("metformin", MaxLimit)
	stage := 0 // 0 single generic, 1 single branded, 2 combinations, 3 ingredient and brand names
	for _, c := range met {
		s := 3
		switch {
		case c.Kind == "ingredient" || c.Kind == "brand name":
		case strings.Contains(bracketed.ReplaceAllString(c.Display, ""), " / "):
			s = 2
		case c.Kind == "branded drug":
			s = 1
		default:
			s = 0
		}
		if s < stage {
			t.Errorf("metformin: %s %q (stage %d) after stage %d", c.Code, c.Display, s, stage)
		}
		stage = max(stage, s)
	}
	// A curated abbreviation finds the ingredient's products; a strength
	// is a whole word ("25" does not find 6.25 MG).
	hctz := RxNorm("hctz 25", 20)
	if len(hctz) == 0 || hctz[0].Display != "hydrochlorothiazide 25 MG Oral Tablet" {
		t.Errorf("hctz 25: %v", codesOf(hctz))
	}
	for _, c := range hctz {
		if strings.Contains(c.Display, "6.25") {
			t.Errorf("hctz 25 found %q", c.Display)
		}
	}
	if got := RxNorm("z-pak", 5); len(got) == 0 || got[0].Code != "749783" {
		t.Errorf("z-pak: %v", codesOf(got))
	}
	if got := RxNorm("308460", 5); len(got) == 0 || got[0].Code != "308460" {
		t.Errorf("by rxcui: %v", codesOf(got))
	}
}

func TestDrugResultsSayWhatTheyAreAndWhatTheyContain(t *testing.T) {
	c, ok := LookupRxNorm("849580")
	if !ok || c.System != SystemRxNorm || c.Kind != "branded drug" {
		t.Fatalf("LookupRxNorm(849580) = %+v", c)
	}
	if got := codesOf(c.Ingredients); !slices.Equal(got, []string{"10180", "10829"}) {
		t.Errorf("Bactrim DS ingredients %v", got)
	}
	for _, ing := range c.Ingredients {
		if ing.Kind != "ingredient" || ing.System != SystemRxNorm || ing.Display == "" {
			t.Errorf("ingredient %+v", ing)
		}
	}
	kinds := map[string]string{"308460": "clinical drug", "18631": "ingredient", "151399": "brand name", "749783": "pack"}
	for rxcui, want := range kinds {
		if c, ok := LookupRxNorm(rxcui); !ok || c.Kind != want {
			t.Errorf("%s: %+v, want %s", rxcui, c, want)
		}
	}
	// Ingredients for the safety checks: a product's, a brand's (those of
	// its products), an ingredient's (itself); none for unknown codes.
	for rxcui, want := range map[string][]string{
		"308460": {"azithromycin"},
		"151399": {"sulfamethoxazole", "trimethoprim"},
		"723":    {"amoxicillin"},
		"562508": {"amoxicillin", "clavulanate"},
	} {
		ings, ok := RxNormIngredients(rxcui)
		var names []string
		for _, i := range ings {
			names = append(names, i.Display)
		}
		slices.Sort(names)
		if !ok || !slices.Equal(names, want) {
			t.Errorf("RxNormIngredients(%s) = %v, %v; want %v", rxcui, names, ok, want)
		}
	}
	for _, unknown := range []string{"999999999", "abc", ""} {
		if _, ok := RxNormIngredients(unknown); ok {
			t.Errorf("RxNormIngredients(%q) found something", unknown)
		}
	}
}

// TestHistoricalCodesAreRecognisedButNotOffered: codes that left the
// prescribable content are found for old records, never in the picker.
func TestHistoricalCodesAreRecognisedButNotOffered(t *testing.T) {
	if c, ok := LookupRxNorm("251200"); !ok || c.Display != "sertraline 200 MG Oral Tablet" {
		t.Errorf("LookupRxNorm(251200) = %+v, %v", c, ok)
	}
	for _, q := range []string{"sertraline 200", "251200"} {
		if slices.Contains(codesOf(RxNorm(q, MaxLimit)), "251200") {
			t.Errorf("%q offers the historical code 251200", q)
		}
	}
}

func TestCuratedDrugTermsCiteASource(t *testing.T) {
	rows, err := readCurated("rxnorm-terms.csv", "term", "rxcui", "kind", "source")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, ok := LookupRxNorm(r["rxcui"]); !ok {
			t.Errorf("term %q: rxcui %s not in the extract", r["term"], r["rxcui"])
		}
		if !slices.Contains([]string{"abbreviation", "international name", "brand strength"}, r["kind"]) {
			t.Errorf("term %q: kind %q", r["term"], r["kind"])
		}
	}
	if _, err := newRxNorm(nil, map[string][]string{"1": {"x"}}); err == nil {
		t.Error("a term naming an rxcui outside the extract: no error")
	}
}
