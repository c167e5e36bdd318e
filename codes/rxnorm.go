package codes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// RxNorm term types shipped (see internal/gen), and what each is in words.
const (
	ttyIN uint8 = iota
	ttyBN
	ttySCD
	ttySBD
	ttyGPCK
	ttyBPCK
)

var (
	ttyNames = []string{"IN", "BN", "SCD", "SBD", "GPCK", "BPCK"}
	ttyWords = []string{"ingredient", "brand name", "clinical drug", "branded drug", "pack", "branded pack"}
)

// Origins of a row (internal/gen): the 2025-10-06 prescribable content,
// the eCQM A-ingredient slice, the A rows of the supplement, and historical
// codes kept only to recognise old records.
const (
	originMain       = 'p'
	originValueSetA  = 'a'
	originSupplement = 's'
	originHistorical = 'h'
)

// rxnorm is the RxNorm extract: prescribable products, their ingredients
// and brands, indexed for the drug picker and the allergy picker.
type rxnorm struct {
	ix       *index
	display  []string
	tty      []uint8
	origin   []byte
	pop      []int32 // NDCs marketed (a clinical drug counts its brands')
	form     []int8  // dose-form rank, common oral forms first
	combo    []bool  // a product of several ingredients
	strength []int32 // the first strength in the name, × 100
	ingStart []int32 // ingredients of entry e: ing[ingStart[e]:ingStart[e+1]], entry ids
	ing      []int32
	// drugRank orders the drug picker, substanceRank the allergy picker.
	drugRank, substanceRank order
}

var rxnormList = &lazy[rxnorm]{
	build: func() (*rxnorm, error) { return loadRxNorm(rxnormData) },
	empty: func() *rxnorm { l, _ := newRxNorm(nil, nil); return l },
}

// RxNorm searches drugs as the user types: products (clinical and branded
// drugs, packs) with their ingredients and brand names, by RXCUI or by
// words. A query word naming an ingredient or brand (or one of its curated
// abbreviations, "hctz", "Bactrim DS") ranks that drug's products first:
// single-ingredient products before combinations, generic before branded
// (a brand's own products match its name), the most widely marketed (by
// NDC count) first, then common oral forms and lower strengths. Codes
// kept only for old records are not offered.
func RxNorm(query string, limit int) []Code {
	l := rxnormList.get()
	return l.ix.search(query, limit, l.current, l.drugRank)
}

// LookupRxNorm finds an RxNorm concept by RXCUI, with its ingredients.
func LookupRxNorm(rxcui string) (Code, bool) { return rxnormList.get().ix.lookup(rxcui) }

// RxNormIngredients returns the ingredients (RxNorm IN) of the drug,
// brand or ingredient rxcui: what the safety checks compare. It reports
// false for a code the extract does not hold, or a drug it has no
// ingredient links for; the caller then reads the name.
func RxNormIngredients(rxcui string) ([]Code, bool) {
	l := rxnormList.get()
	e, ok := l.ix.find(rxcui)
	if !ok {
		return nil, false
	}
	if l.tty[e] == ttyIN {
		return []Code{l.plain(e)}, true
	}
	ings := l.ingredients(e)
	return ings, len(ings) > 0
}

func (l *rxnorm) current(e int32) bool { return l.origin[e] != originHistorical }

// drugKey ranks products of one ingredient before combinations, and both
// before ingredients and brand names; then generic before branded, more
// NDCs first, common oral forms, lower strengths, shorter names.
func (l *rxnorm) drugKey(e int32) rankKey {
	group := int32(0) // a product of one ingredient
	switch {
	case l.tty[e] == ttyIN || l.tty[e] == ttyBN:
		group = 2
	case l.combo[e]:
		group = 1
	}
	branded := l.tty[e] == ttySBD || l.tty[e] == ttyBPCK
	return rankKey{group, flag(branded), -l.pop[e], int32(l.form[e]), l.strength[e], int32(len(l.display[e]))}
}

// plain is entry e's Code without its ingredients.
func (l *rxnorm) plain(e int32) Code {
	return Code{System: SystemRxNorm, Code: l.ix.keys[e], Display: l.display[e], Kind: ttyWords[l.tty[e]]}
}

func (l *rxnorm) code(e int32) Code {
	c := l.plain(e)
	c.Ingredients = l.ingredients(e)
	return c
}

func (l *rxnorm) ingredients(e int32) []Code {
	ids := l.ing[l.ingStart[e]:l.ingStart[e+1]]
	if len(ids) == 0 {
		return nil
	}
	out := make([]Code, len(ids))
	for i, id := range ids {
		out[i] = l.plain(id)
	}
	return out
}

// rxRow is one row of the data file.
type rxRow struct {
	rxcui, name string
	tty         uint8
	origin      byte
	pop         int32
	ings        []string // rxcuis
	brand       string   // rxcui of the brand name of a branded drug
}

func loadRxNorm(data []byte) (*rxnorm, error) {
	raw, err := gunzip(data)
	if err != nil {
		return nil, fmt.Errorf("load RxNorm: %w", err)
	}
	var rows []rxRow
	err = readTSV(raw, 7, func(f []string) error {
		r, err := parseRxRow(f)
		rows = append(rows, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load RxNorm: %w", err)
	}
	terms, err := rxnormTerms()
	if err != nil {
		return nil, fmt.Errorf("load RxNorm terms: %w", err)
	}
	return newRxNorm(rows, terms)
}

func parseRxRow(f []string) (rxRow, error) {
	r := rxRow{rxcui: f[0], name: f[4], brand: f[6]}
	if _, ok := digitsKey(r.rxcui); !ok {
		return r, fmt.Errorf("rxcui %q", r.rxcui)
	}
	tty := -1
	for i, n := range ttyNames {
		if f[1] == n {
			tty = i
		}
	}
	pop, err := strconv.Atoi(f[3])
	if tty < 0 || len(f[2]) != 1 || !strings.Contains("pash", f[2]) || err != nil || r.name == "" {
		return r, fmt.Errorf("rxcui %s: malformed row", r.rxcui)
	}
	r.tty, r.origin, r.pop = uint8(tty), f[2][0], int32(pop)
	if f[5] != "" {
		r.ings = strings.Split(f[5], ",")
	}
	return r, nil
}

// newRxNorm builds the list; terms maps an rxcui to curated words it is
// also found by (an ingredient's words apply to its products too).
func newRxNorm(rows []rxRow, terms map[string][]string) (*rxnorm, error) {
	n := len(rows)
	l := &rxnorm{display: make([]string, n), tty: make([]uint8, n), origin: make([]byte, n), pop: make([]int32, n),
		form: make([]int8, n), combo: make([]bool, n), strength: make([]int32, n), ingStart: make([]int32, 1, n+1)}
	keys := make([]string, n)
	at := make(map[string]int32, n)
	for i, r := range rows {
		keys[i], l.display[i], l.tty[i], l.origin[i], l.pop[i] = r.rxcui, r.name, r.tty, r.origin, r.pop
		l.form[i], l.strength[i] = doseFormRank(r.name), firstStrength(r.name)
		at[r.rxcui] = int32(i)
	}
	for rxcui := range terms {
		if _, ok := at[rxcui]; !ok {
			return nil, fmt.Errorf("a curated term names rxcui %s, which is not in the extract", rxcui)
		}
	}
	links, err := rxLinks(rows, at)
	if err != nil {
		return nil, err
	}
	text := make([]entryText, n)
	for i, r := range rows {
		// Some combinations lack a link for their A-ingredient: the name counts too.
		l.combo[i] = r.tty != ttyIN && r.tty != ttyBN &&
			(len(links[i]) > 1 || strings.Contains(bracketed.ReplaceAllString(r.name, ""), " / "))
		l.ing = append(l.ing, links[i]...)
		l.ingStart = append(l.ingStart, int32(len(l.ing)))
		text[i] = l.entryText(int32(i), r, rows, links[i], terms)
	}
	l.ix = buildIndex(keys, text, digitsKey, l.code)
	l.drugRank, l.substanceRank = newOrder(n, l.drugKey), newOrder(n, l.substanceKey)
	return l, nil
}

// rxLinks resolves each row's ingredients to entry ids; a brand name gets
// the ingredients of its branded drugs.
func rxLinks(rows []rxRow, at map[string]int32) ([][]int32, error) {
	links := make([][]int32, len(rows))
	for i, r := range rows {
		for _, id := range r.ings {
			e, ok := at[id]
			if !ok || rows[e].tty != ttyIN {
				return nil, fmt.Errorf("rxcui %s: ingredient %s is not an ingredient of the extract", r.rxcui, id)
			}
			links[i] = append(links[i], e)
		}
	}
	for i, r := range rows {
		b, ok := at[r.brand]
		if r.brand == "" {
			continue
		}
		if !ok || rows[b].tty != ttyBN {
			return nil, fmt.Errorf("rxcui %s: brand %s is not a brand name of the extract", r.rxcui, r.brand)
		}
		for _, e := range links[i] {
			if !containsID(links[b], e) {
				links[b] = append(links[b], e)
			}
		}
	}
	return links, nil
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// entryText is what entry i is found by: its name and curated terms (its
// own and its ingredients'), led by its ingredients' and brand's words.
func (l *rxnorm) entryText(i int32, r rxRow, rows []rxRow, ings []int32, terms map[string][]string) entryText {
	var leads []string
	extra := terms[r.rxcui]
	switch r.tty {
	case ttyIN, ttyBN:
		leads = strings.Fields(r.name)
	default:
		for _, e := range ings {
			leads = append(leads, strings.Fields(rows[e].name)...)
			extra = append(extra, terms[rows[e].rxcui]...)
		}
		if b := bracketed.FindString(r.name); b != "" {
			leads = append(leads, strings.Fields(strings.Trim(b, "[]"))...)
		}
	}
	for _, t := range extra {
		leads = append(leads, strings.Fields(t)[0])
	}
	if len(leads) == 0 {
		leads = nil // no links: the name's first word leads
	}
	if len(extra) == 0 {
		return entryText{text: r.name, leads: leads}
	}
	return entryText{text: r.name + " | " + strings.Join(extra, " | "), leads: leads}
}

var bracketed = regexp.MustCompile(`\[[^\]]*\]`)

// doseForms rank dose forms, the forms most often prescribed in primary
// care first; the first phrase a name contains decides.
var doseForms = []struct {
	phrase string
	rank   int8
}{
	{"} Pack", 6},
	{"Release", 2},
	{"Chewable", 1}, {"Disintegrating", 1}, {"Oral Suspension", 1}, {"Oral Solution", 1},
	{"Oral Tablet", 0}, {"Oral Capsule", 0},
	{"Inject", 3}, {"Syringe", 3}, {"Pen Injector", 3}, {"Cartridge", 3},
	{"Inhal", 4}, {"Nasal", 4},
}

func doseFormRank(name string) int8 {
	for _, f := range doseForms {
		if strings.Contains(name, f.phrase) {
			return f.rank
		}
	}
	return 5
}

var strengthPattern = regexp.MustCompile(`(\d+(?:\.\d+)?) (?:MG|MCG|UNT|MEQ|%)`)

// firstStrength is the first strength a name states, × 100, so that lower
// strengths (usually the starting dose) come first among equals.
func firstStrength(name string) int32 {
	m := strengthPattern.FindStringSubmatch(name)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || v > 2e7 {
		return 0
	}
	return int32(v * 100)
}

// rxnormTerms reads the curated drug terms, by rxcui.
func rxnormTerms() (map[string][]string, error) {
	rows, err := readCurated("rxnorm-terms.csv", "term", "rxcui", "kind", "source")
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rows {
		if len(tokenize(r["term"])) == 0 {
			return nil, fmt.Errorf("term %q has no words", r["term"])
		}
		out[r["rxcui"]] = append(out[r["rxcui"]], r["term"])
	}
	return out, nil
}
