package codes

import (
	"fmt"
	"strings"
)

// icd10 is ICD-10-CM FY2022 with the curated entry terms and the set of
// codes common in family practice.
type icd10 struct {
	ix       *index
	display  []string
	billable []bool
	common   []bool
	rank     order
}

var icd10List = &lazy[icd10]{
	build: func() (*icd10, error) { return loadICD10(icd10Data) },
	empty: func() *icd10 { return newICD10(nil, nil, nil, nil) },
}

// ICD10 searches ICD-10-CM, billable codes and headers, as the user types:
// by code prefix with or without the dot ("E11.9", "e119"), or by words,
// each query word matching the start of a word of the title or of a
// curated entry term ("diab mel type 2", "htn", "strep throat"). Code
// matches come first; then entries a query word names (a title's first
// word, an entry term's first word), then the rest; within each, codes
// common in family practice, then billable codes, then shorter titles.
func ICD10(query string, limit int) []Code {
	l := icd10List.get()
	return l.ix.search(query, limit, nil, l.rank)
}

// ICD10Billable is ICD10 restricted to codes valid for coding an encounter.
func ICD10Billable(query string, limit int) []Code {
	l := icd10List.get()
	return l.ix.search(query, limit, func(e int32) bool { return l.billable[e] }, l.rank)
}

// LookupICD10 finds an ICD-10-CM code written with or without the dot.
func LookupICD10(code string) (Code, bool) { return icd10List.get().ix.lookup(code) }

// rankKey ranks codes common in family practice first, then billable
// codes, then shorter titles, then tabular order.
func (l *icd10) rankKey(e int32) rankKey {
	return rankKey{flag(!l.common[e]), flag(!l.billable[e]), int32(len(l.display[e]))}
}

func flag(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func (l *icd10) code(e int32) Code {
	return Code{System: SystemICD10CM, Code: dotted(l.ix.keys[e]), Display: l.display[e], Billable: l.billable[e]}
}

// dotted writes a code the way records show it (E119 → E11.9).
func dotted(key string) string {
	if len(key) <= 3 {
		return key
	}
	return key[:3] + "." + key[3:]
}

// icd10Key accepts "E11.9", "e119", "E11.": a letter, a digit, then letters
// and digits, dots ignored.
func icd10Key(q string) (string, bool) {
	k := strings.ToUpper(strings.ReplaceAll(q, ".", ""))
	if len(k) < 2 || k[0] < 'A' || k[0] > 'Z' || k[1] < '0' || k[1] > '9' || len(k) > 7 {
		return "", false
	}
	for _, c := range k {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", false
		}
	}
	return k, true
}

func loadICD10(data []byte) (*icd10, error) {
	raw, err := gunzip(data)
	if err != nil {
		return nil, fmt.Errorf("load ICD-10-CM: %w", err)
	}
	keys := make([]string, 0, 96000)
	display := make([]string, 0, 96000)
	billable := make([]bool, 0, 96000)
	err = readTSV(raw, 3, func(f []string) error {
		if f[1] != "0" && f[1] != "1" {
			return fmt.Errorf("billable flag %q", f[1])
		}
		if _, ok := icd10Key(f[0]); !ok || strings.Contains(f[0], ".") {
			return fmt.Errorf("code %q", f[0])
		}
		keys = append(keys, f[0])
		display = append(display, f[2])
		billable = append(billable, f[1] == "1")
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load ICD-10-CM: %w", err)
	}
	terms, err := icd10Terms(keys)
	if err != nil {
		return nil, fmt.Errorf("load ICD-10-CM entry terms: %w", err)
	}
	return newICD10(keys, display, billable, terms), nil
}

// icd10Curated is what the curated tables add to entry e.
type icd10Curated struct {
	terms  []string
	common bool
}

func newICD10(keys, display []string, billable []bool, curated map[string]*icd10Curated) *icd10 {
	l := &icd10{display: display, billable: billable, common: make([]bool, len(keys))}
	text := make([]entryText, len(keys))
	for i := range keys {
		text[i].text = display[i]
		c := curated[keys[i]]
		if c == nil {
			continue
		}
		l.common[i] = c.common
		if len(c.terms) > 0 {
			text[i] = entryText{text: display[i] + " | " + strings.Join(c.terms, " | "), leads: append([]string{display[i]}, c.terms...)}
		}
	}
	l.ix = buildIndex(keys, text, icd10Key, l.code)
	l.rank = newOrder(len(keys), l.rankKey)
	return l
}

// icd10Terms reads the curated entry terms and common codes, by code key;
// a row naming a code that is not in the list is an error.
func icd10Terms(keys []string) (map[string]*icd10Curated, error) {
	known := make(map[string]bool, len(keys))
	for _, k := range keys {
		known[k] = true
	}
	out := map[string]*icd10Curated{}
	at := func(code string) (*icd10Curated, error) {
		k, ok := icd10Key(code)
		if !ok || !known[k] {
			return nil, fmt.Errorf("%q is not an ICD-10-CM FY2022 code", code)
		}
		if out[k] == nil {
			out[k] = &icd10Curated{}
		}
		return out[k], nil
	}
	terms, err := readCurated("icd10cm-terms.csv", "term", "code", "kind", "source")
	if err != nil {
		return nil, err
	}
	for _, r := range terms {
		c, err := at(r["code"])
		if err != nil {
			return nil, fmt.Errorf("term %q: %w", r["term"], err)
		}
		c.terms = append(c.terms, r["term"])
	}
	common, err := readCurated("icd10cm-common.csv", "code", "group", "source")
	if err != nil {
		return nil, err
	}
	for _, r := range common {
		c, err := at(r["code"])
		if err != nil {
			return nil, err
		}
		c.common = true
	}
	return out, nil
}
