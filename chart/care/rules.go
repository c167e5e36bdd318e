// Package care evaluates preventive-care rules (screenings, well-child
// visits) and chronic-care registries against a patient's chart. The
// rules are data (rules.json, each with its source, version and grade);
// this package is pure: no store, no clock of its own.
package care

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

//go:embed rules.json
var rulesJSON []byte

// Span is a length of time in calendar units, added as time.AddDate adds.
type Span struct {
	Years  int `json:"years,omitempty"`
	Months int `json:"months,omitempty"`
	Days   int `json:"days,omitempty"`
}

// After returns t moved forward by the span.
func (s Span) After(t time.Time) time.Time { return t.AddDate(s.Years, s.Months, s.Days) }

// Before returns t moved back by the span.
func (s Span) Before(t time.Time) time.Time { return t.AddDate(-s.Years, -s.Months, -s.Days) }

// Zero reports an empty span.
func (s Span) Zero() bool { return s == Span{} }

// Who is whom a rule applies to. Ages are whole years (or months, days)
// reached on a birthday; MaxAge is inclusive (maxAge 75: until the day
// before the 76th birthday).
type Who struct {
	Sex    string `json:"sex,omitempty"` // "female" | "male" | "" (anyone)
	MinAge *Span  `json:"minAge,omitempty"`
	MaxAge *Span  `json:"maxAge,omitempty"`
	// ProblemsOr: an active problem with one of these ICD-10-CM prefixes
	// qualifies the patient (as MinBMI does: either is enough when both
	// are given).
	ProblemsOr []string `json:"problemsOr,omitempty"`
	// MinBMI: the latest BMI at least this.
	MinBMI float64 `json:"minBMI,omitempty"`
	// ExcludeProblems: an active problem with one of these prefixes makes
	// the rule not apply (a cancer under follow-up, a hysterectomy).
	ExcludeProblems []string `json:"excludeProblems,omitempty"`
	// Smoking: "ever" (has smoked) or "current-or-quit-within" (smokes,
	// or quit within QuitWithinYears), with MinPackYears when set.
	Smoking         string  `json:"smoking,omitempty"`
	QuitWithinYears int     `json:"quitWithinYears,omitempty"`
	MinPackYears    float64 `json:"minPackYears,omitempty"`
}

// Satisfier is one way to meet a rule, with its own interval (nil: once
// in a lifetime). A record matches on any of its codes (LOINC for
// results, SNOMED CT or ICD-10-CM prefixes for procedures and encounter
// diagnoses), a vital sign, or a word of its text (lower case, matched
// within a procedure's or encounter's name: CPT is licensed and not
// shipped, so procedures charted with CPT codes match on their text).
type Satisfier struct {
	Name     string   `json:"name"`
	LOINC    []string `json:"loinc,omitempty"`
	SNOMED   []string `json:"snomed,omitempty"`
	ICD10    []string `json:"icd10,omitempty"`
	Text     []string `json:"text,omitempty"`
	Vital    string   `json:"vital,omitempty"` // "bp"
	Interval *Span    `json:"interval"`
}

// Rule is one recommendation.
type Rule struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Category    string      `json:"category"`
	Source      string      `json:"source"`
	Version     string      `json:"version"`
	Grade       string      `json:"grade"`
	Why         string      `json:"why"`
	Who         Who         `json:"who"`
	SatisfiedBy []Satisfier `json:"satisfiedBy"`
	// GraceDays: how long past its due date an item is "due" before it is
	// "overdue" (default 90).
	GraceDays int `json:"graceDays,omitempty"`
}

// WellChild is the well-child visit schedule (Bright Futures): a visit at
// each age of Visits until EndAge; a visit counts for an age from
// EarlyDays before it.
type WellChild struct {
	Rule
	Visits    []Span `json:"visits"`
	EndAge    Span   `json:"endAge"`
	EarlyDays int    `json:"earlyDays"`
}

// RuleSet is the whole of rules.json.
type RuleSet struct {
	Version   string    `json:"version"`
	Rules     []Rule    `json:"rules"`
	WellChild WellChild `json:"wellChild"`
}

// defaultGraceDays is how long past due an item stays "due".
const defaultGraceDays = 90

// dueSoonDays: an item coming due within this many days is shown as due,
// so the recall list of a month finds it.
const dueSoonDays = 30

var (
	rulesOnce sync.Once
	rules     RuleSet
	rulesErr  error
)

// Rules returns the built-in rule set.
func Rules() (RuleSet, error) {
	rulesOnce.Do(func() { rules, rulesErr = ParseRules(rulesJSON) })
	return rules, rulesErr
}

// ParseRules reads and checks a rule set.
func ParseRules(data []byte) (RuleSet, error) {
	var rs RuleSet
	if err := json.Unmarshal(data, &rs); err != nil {
		return rs, fmt.Errorf("care rules: %w", err)
	}
	seen := map[string]bool{}
	for _, r := range append(append([]Rule(nil), rs.Rules...), rs.WellChild.Rule) {
		switch {
		case r.ID == "" || seen[r.ID]:
			return rs, fmt.Errorf("care rules: rule id %q is empty or repeated", r.ID)
		case r.Title == "" || r.Source == "" || r.Version == "":
			return rs, fmt.Errorf("care rules: rule %s lacks a title, source or version", r.ID)
		case len(r.SatisfiedBy) == 0:
			return rs, fmt.Errorf("care rules: nothing satisfies rule %s", r.ID)
		}
		seen[r.ID] = true
	}
	if len(rs.WellChild.Visits) == 0 {
		return rs, fmt.Errorf("care rules: the well-child schedule has no visits")
	}
	return rs, nil
}
