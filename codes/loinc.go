package codes

import (
	"fmt"
	"strings"
)

// LOINC kinds of the shipped list (internal/gen), and what each is in words.
var loincKinds = map[string]string{"lab": "lab test", "vital": "vital sign", "panel": "panel"}

// loinc is the LOINC list: vital signs and laboratory codes observed in
// real FHIR data, each with the UCUM unit it reports in.
type loinc struct {
	ix    *index
	codes []Code
	rank  order
}

var loincList = &lazy[loinc]{
	build: func() (*loinc, error) { return loadLOINC(loincData) },
	empty: func() *loinc { return newLOINC(nil) },
}

// LOINCLabs searches the laboratory tests a result can be entered for, by
// code ("4548-4", "4548") or by words of the name; single tests before
// panels, names a query word starts first.
func LOINCLabs(query string, limit int) []Code {
	l := loincList.get()
	return l.ix.search(query, limit, func(e int32) bool { return l.codes[e].Kind != loincKinds["vital"] }, l.rank)
}

// LookupLOINC finds a code of the shipped LOINC list.
func LookupLOINC(code string) (Code, bool) { return loincList.get().ix.lookup(code) }

// rankKey ranks single tests before panels, then shorter names.
func (l *loinc) rankKey(e int32) rankKey {
	c := &l.codes[e]
	return rankKey{flag(c.Kind == loincKinds["panel"]), int32(len(c.Display))}
}

// loincKey accepts "4548-4" or its number alone.
func loincKey(q string) (string, bool) {
	num, check, hasCheck := strings.Cut(q, "-")
	if _, ok := digitsKey(num); !ok || len(num) > 7 || hasCheck && len(check) > 1 {
		return "", false
	}
	if hasCheck && check != "" {
		if _, ok := digitsKey(check); !ok {
			return "", false
		}
	}
	return q, true
}

func loadLOINC(data []byte) (*loinc, error) {
	var codes []Code
	err := readTSV(string(data), 4, func(f []string) error {
		kind, ok := loincKinds[f[1]]
		if _, valid := loincKey(f[0]); !ok || !valid || !strings.Contains(f[0], "-") || f[3] == "" {
			return fmt.Errorf("LOINC %q: malformed row", f[0])
		}
		codes = append(codes, Code{System: SystemLOINC, Code: f[0], Display: f[3], Kind: kind, Unit: f[2]})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load LOINC: %w", err)
	}
	return newLOINC(codes), nil
}

func newLOINC(codes []Code) *loinc {
	l := &loinc{codes: codes}
	keys := make([]string, len(codes))
	text := make([]entryText, len(codes))
	for i, c := range codes {
		keys[i], text[i].text = c.Code, c.Display
	}
	l.ix = buildIndex(keys, text, loincKey, func(e int32) Code { return l.codes[e] })
	l.rank = newOrder(len(codes), l.rankKey)
	return l
}
