package chart

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Medication safety checks run when a medication is added, before it is
// saved. They are deliberately simple and explainable: ingredients (from
// RxNorm when the drug is coded, else read from its name), a small table of
// drug classes, and the two drug-drug interactions of the only openly
// licensed source found, each rule with its cited source. They support the
// prescriber; they are not a substitute for a drug-interaction database.

//go:embed safetyrules.json
var defaultSafetyRulesJSON []byte

// Alert kinds and severities.
const (
	AlertDrugAllergy      = "drug-allergy"
	AlertDrugInteraction  = "drug-interaction"
	AlertDuplicateTherapy = "duplicate-therapy"

	SeverityHigh     = "high"
	SeverityModerate = "moderate"
)

// Allergy verification statuses (FHIR AllergyIntolerance.verificationStatus).
const (
	AllergyConfirmed      = "confirmed"
	AllergyUnconfirmed    = "unconfirmed"
	AllergyRefuted        = "refuted"
	AllergyEnteredInError = "entered-in-error"
)

// MedicationCandidate is the medication about to be added.
type MedicationCandidate struct {
	Name   string `json:"name"`             // RxNorm-style display, brand or generic
	RxNorm string `json:"rxnorm,omitempty"` // kept for the record; matching is on text
	// Ingredients, when known, replace parsing them out of Name.
	Ingredients []string `json:"ingredients,omitempty"`
}

// MedicationFact is a medication already on the chart (pass only active
// ones); it has the same fields as a candidate.
type MedicationFact MedicationCandidate

// AllergyFact is a recorded allergy: to a drug class (System is
// SystemAllergyClass, Code the class id), to a substance whose ingredients
// the caller knows (an RxNorm ingredient, brand or product), or to free
// text, whose words are matched.
type AllergyFact struct {
	Substance    string `json:"substance"`
	System       string `json:"system,omitempty"`
	Code         string `json:"code,omitempty"`
	Verification string `json:"verification,omitempty"`
	// Ingredients, when known, replace reading them from Substance.
	Ingredients []string `json:"ingredients,omitempty"`
}

// SafetyAlert is one reason to stop and think before saving.
type SafetyAlert struct {
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	RuleID   string `json:"ruleId"`
}

// SafetyRules is the parsed, validated rules table.
type SafetyRules struct {
	Version            int                    `json:"version"`
	Classes            []DrugClass            `json:"classes"`
	CrossSensitivities []CrossSensitivity     `json:"crossSensitivities"`
	Interactions       []Interaction          `json:"interactions"`
	Synonyms           map[string]string      `json:"synonyms"`
	Brands             map[string][]string    `json:"brands"`
	DuplicateTherapy   DuplicateTherapyPolicy `json:"duplicateTherapy"`
}

// DrugClass is a group of ingredients an allergy to one member extends to.
type DrugClass struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Members      []string `json:"members"`
	AllergyTerms []string `json:"allergyTerms"`
	Note         string   `json:"note,omitempty"`
	Source       string   `json:"source"`
}

// CrossSensitivity says an allergy to one class alerts for another.
type CrossSensitivity struct {
	ID           string `json:"id"`
	AllergyClass string `json:"allergyClass"`
	DrugClass    string `json:"drugClass"`
	Severity     string `json:"severity"`
	Note         string `json:"note,omitempty"`
	Source       string `json:"source"`
}

// DuplicateTherapyPolicy sets the severity and source of duplicate alerts.
type DuplicateTherapyPolicy struct {
	Severity string `json:"severity"`
	Source   string `json:"source"`
}

// DefaultSafetyRules returns the rules shipped in the binary. The error is
// never expected (a test loads the same file); callers should refuse to add
// a medication rather than skip the checks if it ever happens.
var DefaultSafetyRules = sync.OnceValues(func() (*SafetyRules, error) {
	return LoadSafetyRules(defaultSafetyRulesJSON)
})

// LoadSafetyRules parses and validates a rules file.
func LoadSafetyRules(data []byte) (*SafetyRules, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r SafetyRules
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("parse safety rules: %w", err)
	}
	if dec.More() {
		return nil, errors.New("parse safety rules: unexpected data after the rules object")
	}
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("invalid safety rules: %w", err)
	}
	return &r, nil
}

var ruleIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func validSeverity(s string) bool { return s == SeverityHigh || s == SeverityModerate }

func (r *SafetyRules) validate() error {
	if r.Version != 1 {
		return fmt.Errorf("version %d is not supported (want 1)", r.Version)
	}
	if len(r.Classes) == 0 {
		return errors.New("no drug classes")
	}
	classes := map[string]bool{}
	members := map[string]string{}
	for _, c := range r.Classes {
		if err := c.validate(classes, members); err != nil {
			return err
		}
	}
	if err := r.validateCross(classes); err != nil {
		return err
	}
	if err := r.validateInteractions(); err != nil {
		return err
	}
	for from, to := range r.Synonyms {
		if !isLowerTerm(from) || strings.Contains(from, " ") || !isLowerTerm(to) {
			return fmt.Errorf("synonym %q → %q: both must be lower-case, the first a single word", from, to)
		}
	}
	for brand, ings := range r.Brands {
		if !isLowerTerm(brand) || len(ings) == 0 || slices.ContainsFunc(ings, func(s string) bool { return !isLowerTerm(s) }) {
			return fmt.Errorf("brand %q: needs a lower-case name and lower-case ingredients", brand)
		}
	}
	if !validSeverity(r.DuplicateTherapy.Severity) || strings.TrimSpace(r.DuplicateTherapy.Source) == "" {
		return errors.New("duplicateTherapy needs a severity (high or moderate) and a source")
	}
	return nil
}

func (c DrugClass) validate(seen map[string]bool, members map[string]string) error {
	switch {
	case !ruleIDPattern.MatchString(c.ID):
		return fmt.Errorf("class id %q must be lower-case words joined by hyphens", c.ID)
	case seen[c.ID]:
		return fmt.Errorf("class %q is defined twice", c.ID)
	case strings.TrimSpace(c.Name) == "":
		return fmt.Errorf("class %q has no name", c.ID)
	case len(c.Members) == 0:
		return fmt.Errorf("class %q has no members", c.ID)
	case strings.TrimSpace(c.Source) == "":
		return fmt.Errorf("class %q cites no source", c.ID)
	}
	seen[c.ID] = true
	for _, m := range c.Members {
		if !isLowerTerm(m) {
			return fmt.Errorf("class %q: member %q must be lower-case words", c.ID, m)
		}
		if other, dup := members[m]; dup {
			return fmt.Errorf("member %q is in both %q and %q", m, other, c.ID)
		}
		members[m] = c.ID
	}
	for _, t := range c.AllergyTerms {
		if !isLowerTerm(t) {
			return fmt.Errorf("class %q: allergy term %q must be lower-case words", c.ID, t)
		}
	}
	return nil
}

func (r *SafetyRules) validateCross(classes map[string]bool) error {
	ids := map[string]bool{}
	for _, x := range r.CrossSensitivities {
		switch {
		case !ruleIDPattern.MatchString(x.ID) || ids[x.ID]:
			return fmt.Errorf("cross-sensitivity id %q is malformed or repeated", x.ID)
		case !classes[x.AllergyClass] || !classes[x.DrugClass]:
			return fmt.Errorf("cross-sensitivity %q names an unknown class", x.ID)
		case x.AllergyClass == x.DrugClass:
			return fmt.Errorf("cross-sensitivity %q links a class to itself", x.ID)
		case !validSeverity(x.Severity):
			return fmt.Errorf("cross-sensitivity %q: severity %q must be high or moderate", x.ID, x.Severity)
		case strings.TrimSpace(x.Source) == "":
			return fmt.Errorf("cross-sensitivity %q cites no source", x.ID)
		}
		ids[x.ID] = true
	}
	return nil
}

// isLowerTerm reports whether s is non-empty, trimmed, lower-case words.
func isLowerTerm(s string) bool {
	return s != "" && s == strings.TrimSpace(s) && s == strings.ToLower(s) && !strings.Contains(s, "  ")
}

// Check returns the alerts for adding newMed to a chart with these
// allergies and active medications: at most one per allergy (the most
// severe), then one per interacting active medication, then one per active
// medication sharing an ingredient.
func (r *SafetyRules) Check(newMed MedicationCandidate, allergies []AllergyFact, active []MedicationFact) []SafetyAlert {
	ings := r.Ingredients(newMed.Name, newMed.Ingredients)
	var alerts []SafetyAlert
	for _, a := range allergies {
		if a.Verification == AllergyRefuted || a.Verification == AllergyEnteredInError {
			continue
		}
		if alert, ok := r.allergyAlert(newMed.Name, ings, a); ok {
			alerts = append(alerts, alert)
		}
	}
	alerts = append(alerts, r.interactionAlerts(newMed.Name, ings, active)...)
	for _, m := range active {
		shared := sharedIngredients(ings, r.Ingredients(m.Name, m.Ingredients))
		if len(shared) == 0 {
			continue
		}
		alerts = append(alerts, SafetyAlert{
			Kind:     AlertDuplicateTherapy,
			Severity: r.DuplicateTherapy.Severity,
			RuleID:   "duplicate-ingredient",
			Message: fmt.Sprintf("Duplicate therapy: %s and the active medication %s both contain %s. Source: %s.",
				newMed.Name, m.Name, strings.Join(shared, " and "), r.DuplicateTherapy.Source),
		})
	}
	return alerts
}

// allergyAlert finds the most severe reason drugName (with ingredients
// ings) should not be given to someone with allergy a.
func (r *SafetyRules) allergyAlert(drugName string, ings []string, a AllergyFact) (SafetyAlert, bool) {
	substance := a.Substance
	var allergens []string
	if a.System != SystemAllergyClass {
		allergens = r.Ingredients(substance, a.Ingredients)
	}
	allergyClasses := r.allergyClasses(a, allergens)
	var best SafetyAlert
	found := false
	consider := func(severity, ruleID, msg string) {
		if !found || (severity == SeverityHigh && best.Severity != SeverityHigh) {
			best = SafetyAlert{Kind: AlertDrugAllergy, Severity: severity, RuleID: ruleID, Message: msg}
			found = true
		}
	}
	for _, ing := range ings {
		if matchesAllergen(ing, allergens) {
			consider(SeverityHigh, "ingredient-match", fmt.Sprintf(
				"Allergy: %s contains %s, and the patient has a recorded allergy to %s. Rule: same ingredient.",
				drugName, ing, substance))
		}
		for _, dc := range r.classesOf(ing) {
			if slices.Contains(allergyClasses, dc) {
				consider(SeverityHigh, "class-"+dc.ID, classAlertMessage(drugName, ing, substance, dc, a.System == SystemAllergyClass))
			}
			for _, x := range r.CrossSensitivities {
				if x.DrugClass == dc.ID && slices.ContainsFunc(allergyClasses, func(c *DrugClass) bool { return c.ID == x.AllergyClass }) {
					consider(x.Severity, "cross-"+x.ID, fmt.Sprintf(
						"Possible cross-sensitivity: %s contains %s, a %s, and the patient has a recorded allergy to %s (%s class). %s Source: %s.",
						drugName, ing, dc.Name, substance, x.AllergyClass, x.Note, x.Source))
				}
			}
		}
	}
	return best, found
}

// classesOf returns the classes ingredient ing belongs to.
func (r *SafetyRules) classesOf(ing string) []*DrugClass {
	words := strings.Fields(ing)
	var out []*DrugClass
	for i := range r.Classes {
		c := &r.Classes[i]
		if slices.ContainsFunc(c.Members, func(m string) bool { return containsWords(words, strings.Fields(m)) }) {
			out = append(out, c)
		}
	}
	return out
}

// classAlertMessage explains a class alert the way a clinician says it:
// "Allergy to penicillins: amoxicillin is a penicillin."
func classAlertMessage(drugName, ing, substance string, dc *DrugClass, toClass bool) string {
	recorded := "the patient has a recorded allergy to " + substance
	if !toClass && !strings.EqualFold(substance, dc.Name) && !strings.EqualFold(substance, dc.Plural()) {
		recorded += ", also " + article(dc.Name) + " " + dc.Name
	}
	return fmt.Sprintf("Allergy to %s: %s is %s %s. %s contains %s, and %s. Rule: %s class. Source: %s.",
		dc.Plural(), ing, article(dc.Name), dc.Name, drugName, ing, recorded, dc.Name, dc.Source)
}

func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// Plural names the class as a whole: "penicillins".
func (c *DrugClass) Plural() string { return c.Name + "s" }

// allergyClasses returns the classes allergy a covers: recorded to the
// class, named by a class term ("penicillins", "sulfa drugs") or by one of
// its members.
func (r *SafetyRules) allergyClasses(a AllergyFact, allergens []string) []*DrugClass {
	words := wordsOf(a.Substance, r.Synonyms)
	out := []*DrugClass{}
	for i := range r.Classes {
		c := &r.Classes[i]
		if a.System == SystemAllergyClass && a.Code == c.ID {
			out = append(out, c)
			continue
		}
		terms := append([]string{c.Name, c.Plural()}, c.AllergyTerms...)
		named := slices.ContainsFunc(terms, func(t string) bool { return containsWords(words, strings.Fields(t)) })
		if named || slices.ContainsFunc(allergens, func(a string) bool {
			return slices.Contains(r.classesOf(a), c)
		}) {
			out = append(out, c)
		}
	}
	return out
}

// matchesAllergen reports whether ingredient ing is an allergen, comparing
// whole words so "penicillin" matches "penicillin v" but "sulfa" does not
// match "sulfamethoxazole" (classes handle that).
func matchesAllergen(ing string, allergens []string) bool {
	iw := strings.Fields(ing)
	for _, a := range allergens {
		aw := slices.DeleteFunc(strings.Fields(a), func(w string) bool { return genericWords[w] })
		if len(aw) > 0 && (containsWords(iw, aw) || containsWords(aw, iw)) {
			return true
		}
	}
	return false
}

// genericWords never identify a substance on their own.
var genericWords = setOf(`acid allergy allergic to of the drug drugs medication medications medicine antibiotic antibiotics
	class intolerance`)

// containsWords reports whether every word of sub is in words.
func containsWords(words, sub []string) bool {
	if len(sub) == 0 {
		return false
	}
	for _, w := range sub {
		if !slices.Contains(words, w) {
			return false
		}
	}
	return true
}

func sharedIngredients(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// ValidateOverride requires a reason before a medication with alerts is
// saved anyway; the reason is kept with the record for the audit trail.
func ValidateOverride(alerts []SafetyAlert, reason string) error {
	if len(alerts) == 0 {
		return nil
	}
	reason, err := cleanText("overrideReason", "The override reason", reason, MaxLongTextLen, false)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(reason) < MinOverrideReasonLen {
		return FieldError("overrideReason", "Please say why you are overriding the safety alert (at least 5 characters).")
	}
	return nil
}

// Ingredients returns the normalised ingredient names of a medication:
// from given when the caller knows them, else parsed from an RxNorm-style
// display ("Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet" →
// amoxicillin, clavulanate). Brands expand to their ingredients, spelling
// variants map to one name, and salts are dropped so "Penicillin V
// Potassium" and "penicillin V" are the same ingredient.
func (r *SafetyRules) Ingredients(name string, given []string) []string {
	sources := given
	if len(sources) == 0 {
		sources = []string{name}
	}
	var out []string
	for _, s := range sources {
		for _, ing := range r.parseIngredients(s) {
			if !slices.Contains(out, ing) {
				out = append(out, ing)
			}
		}
	}
	return out
}

var (
	bracketPattern   = regexp.MustCompile(`\[[^\]]*\]|\([^)]*\)`)
	partSeparator    = regexp.MustCompile(`\s+/\s+|\s+\+\s+|\s+and\s+|\s+with\s+|;`)
	tokenJunk        = regexp.MustCompile(`[^a-z0-9/\-.]+`)
	applicationCode  = regexp.MustCompile(`^(nda|anda|bla)\d+$`)
	leadingQualifier = map[string]bool{"ml": true, "hr": true, "actuat": true, "abuse-deterrent": true}
)

// doseFormWords end an ingredient name: what follows is form, not substance.
var doseFormWords = setOf(`mg ml mcg unt meq oral tablet tablets capsule capsules injection injectable solution suspension
	cream ointment topical chewable extended delayed release disintegrating inhaler inhalation inhalant
	metered dose powder dry spray mucosal nasal ophthalmic otic patch transdermal system prefilled
	syringe auto-injector product implant intrauterine vaginal ring pack day kit suppository rectal
	sublingual buccal film gel lotion drops elixir syrup liquid granules lozenge gum foam emulsion per`)

// saltWords name the salt or hydrate of an ingredient, not the ingredient.
var saltWords = setOf(`potassium sodium calcium hydrochloride hcl hydrobromide bitartrate tartrate succinate maleate
	acetate phosphate sulfate mesylate besylate citrate fumarate monohydrate trihydrate dihydrate
	anhydrous hyclate bromide chloride benzathine propionate dipropionate xinafoate usp`)

func (r *SafetyRules) parseIngredients(s string) []string {
	s = strings.ToLower(s)
	var bracketed []string
	for _, b := range bracketPattern.FindAllString(s, -1) {
		bracketed = append(bracketed, strings.Trim(b, "[]()"))
	}
	s = bracketPattern.ReplaceAllString(s, " ")
	var out []string
	for _, part := range partSeparator.Split(s, -1) {
		for _, phrase := range r.ingredientPhrases(part) {
			out = append(out, r.normalizeIngredient(phrase)...)
		}
	}
	if len(out) == 0 {
		// "Carbamazepine[Tegretol]" keeps its generic; "[Keflex]" alone has only the brand.
		for _, b := range bracketed {
			out = append(out, r.normalizeIngredient(strings.Fields(b))...)
		}
	}
	return out
}

// ingredientPhrases takes the words of one part of a display that name a
// substance: after counts and qualifiers ("24 HR", "10 ML", "NDA020800"),
// before the strength or dose form. Unspaced slashes and hyphens between
// names separate ingredients ("Acetaminophen/Hydrocodone",
// "sulfamethoxazole-trimethoprim") unless the whole word is a known name.
func (r *SafetyRules) ingredientPhrases(part string) [][]string {
	// RxNorm puts qualifiers after a comma: "heparin sodium, porcine".
	part, _, _ = strings.Cut(part, ",")
	tokens := strings.Fields(tokenJunk.ReplaceAllString(part, " "))
	i := 0
	for i < len(tokens) && (startsWithDigit(tokens[i]) || leadingQualifier[tokens[i]] || applicationCode.MatchString(tokens[i])) {
		i++
	}
	var phrases [][]string
	var cur []string
	for ; i < len(tokens); i++ {
		t := tokens[i]
		if startsWithDigit(t) || doseFormWords[t] {
			break
		}
		pieces := r.splitCompound(t)
		for j, p := range pieces {
			if j > 0 && len(cur) > 0 {
				phrases, cur = append(phrases, cur), nil
			}
			cur = append(cur, strings.Trim(p, "."))
		}
	}
	if len(cur) > 0 {
		phrases = append(phrases, cur)
	}
	return phrases
}

// setOf makes a set of the space-separated words of s.
func setOf(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(s) {
		set[w] = true
	}
	return set
}

// splitCompound splits "sulfamethoxazole-trimethoprim" into its names but
// leaves known names ("co-trimoxazole") and short pieces ("Tri-Cyclen") alone.
func (r *SafetyRules) splitCompound(t string) []string {
	if _, known := r.Brands[t]; known || r.Synonyms[t] != "" {
		return []string{t}
	}
	pieces := strings.FieldsFunc(t, func(c rune) bool { return c == '/' || c == '-' })
	for _, p := range pieces {
		if len(p) < 4 {
			return []string{t}
		}
	}
	return pieces
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// normalizeIngredient maps spelling variants, expands brands and drops
// salt words (unless nothing else is left, as in "sodium chloride").
func (r *SafetyRules) normalizeIngredient(words []string) []string {
	words = slices.DeleteFunc(slices.Clone(words), func(w string) bool { return w == "" })
	for i, w := range words {
		if to, ok := r.Synonyms[w]; ok {
			words[i] = to
		}
	}
	if len(words) == 0 {
		return nil
	}
	if ings, ok := r.Brands[strings.Join(words, " ")]; ok {
		return ings
	}
	for _, w := range words {
		if ings, ok := r.Brands[w]; ok {
			return ings
		}
	}
	core := slices.DeleteFunc(slices.Clone(words), func(w string) bool { return saltWords[w] })
	if len(core) == 0 {
		core = words
	}
	return []string{strings.Join(core, " ")}
}

// wordsOf splits free text into lower-case words, mapping spelling variants.
func wordsOf(s string, synonyms map[string]string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
	})
	for i, w := range words {
		if to, ok := synonyms[w]; ok {
			words[i] = to
		}
	}
	return words
}
