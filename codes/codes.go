package codes

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync"
)

// FHIR code-system URIs.
const (
	SystemICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
	SystemCVX     = "http://hl7.org/fhir/sid/cvx"
	SystemRxNorm  = "http://www.nlm.nih.gov/research/umls/rxnorm"
)

// Search limits: a picker shows a screenful, never the whole list.
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// Code is one entry of a code list.
type Code struct {
	System  string `json:"system"`
	Code    string `json:"code"` // as written in records: "E11.9", "03", "308182"
	Display string `json:"display"`
	// Detail is a longer name where the display is an abbreviation (CVX).
	Detail string `json:"detail,omitempty"`
	// Billable marks ICD-10-CM codes valid for coding an encounter; the
	// others are category headers, kept for browsing.
	Billable bool `json:"billable,omitempty"`
	// Status is the CVX status: Active, Inactive, Non-US or Never Active.
	Status string `json:"status,omitempty"`
}

var (
	//go:embed data/icd10cm-2022.tsv.gz
	icd10Data []byte
	//go:embed data/cvx.tsv
	cvxData []byte
	//go:embed data/rxnorm.tsv
	rxnormData []byte
)

// list is a lazily loaded code list. A load error leaves the list empty
// (searches find nothing) and is reported by Load.
type list struct {
	once  sync.Once
	ix    *index
	err   error
	build func() (*index, error)
}

func (l *list) get() *index {
	l.once.Do(func() {
		l.ix, l.err = l.build()
		if l.err != nil {
			l.ix = buildIndex(nil, nil, nil, nil, func(string) (string, bool) { return "", false })
		}
	})
	return l.ix
}

var (
	icd10List  = &list{build: func() (*index, error) { return loadICD10(icd10Data) }}
	cvxList    = &list{build: func() (*index, error) { return loadCVX(cvxData) }}
	rxnormList = &list{build: func() (*index, error) { return loadRxNorm(rxnormData) }}
)

// Load loads every list now (rather than on first search) and reports a
// damaged embedded file. Safe to call from several goroutines.
func Load() error {
	for _, l := range []*list{icd10List, cvxList, rxnormList} {
		l.get()
		if l.err != nil {
			return l.err
		}
	}
	return nil
}

// ICD10 searches ICD-10-CM, billable codes and headers, as the user types:
// by code prefix with or without the dot ("E11.9", "e119"), or by words of
// the description, each query word matching the start of a word
// ("diab mel type 2"). Code matches come first, then descriptions that
// start with a query word, then the rest; shorter descriptions first.
func ICD10(query string, limit int) []Code {
	return icd10List.get().search(query, limit, nil)
}

// ICD10Billable is ICD10 restricted to codes valid for coding an encounter.
func ICD10Billable(query string, limit int) []Code {
	return icd10List.get().search(query, limit, func(c *Code) bool { return c.Billable })
}

// LookupICD10 finds an ICD-10-CM code written with or without the dot.
func LookupICD10(code string) (Code, bool) { return icd10List.get().lookup(code) }

// CVX searches vaccines by code ("03", or "3") or by words of the short or
// full name. Inactive and non-US vaccines rank after active ones.
func CVX(query string, limit int) []Code { return cvxList.get().search(query, limit, nil) }

// LookupCVX finds a CVX code; leading zeros are optional.
func LookupCVX(code string) (Code, bool) { return cvxList.get().lookup(code) }

// RxNorm searches the small RxNorm list by RXCUI prefix or display words.
func RxNorm(query string, limit int) []Code { return rxnormList.get().search(query, limit, nil) }

// LookupRxNorm finds an RxNorm concept by RXCUI.
func LookupRxNorm(rxcui string) (Code, bool) { return rxnormList.get().lookup(rxcui) }

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

// digitsKey accepts numeric codes (CVX, RXCUI).
func digitsKey(q string) (string, bool) {
	if q == "" || len(q) > 12 {
		return "", false
	}
	for _, c := range q {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return q, true
}

// readTSV calls row with the fields of each line of data; want is the
// field count. Fields are substrings of data: loading copies no text.
func readTSV(data string, want int, row func(f []string) error) error {
	f := make([]string, want)
	for line := 1; data != ""; line++ {
		var text string
		text, data, _ = strings.Cut(data, "\n")
		n := 0
		for n < want-1 {
			var ok bool
			if f[n], text, ok = strings.Cut(text, "\t"); !ok {
				break
			}
			n++
		}
		f[n] = text
		if n != want-1 || f[0] == "" || strings.Contains(text, "\t") {
			return fmt.Errorf("line %d: want %d tab-separated fields with a code", line, want)
		}
		if err := row(f); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
	return nil
}

func loadICD10(data []byte) (*index, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("load ICD-10-CM: %w", err)
	}
	// Reading straight into a Builder sized from the gzip trailer (the
	// uncompressed length) avoids both regrowth and a final copy.
	var raw strings.Builder
	if len(data) >= 4 {
		raw.Grow(int(binary.LittleEndian.Uint32(data[len(data)-4:])))
	}
	if _, err := io.Copy(&raw, zr); err != nil {
		return nil, fmt.Errorf("load ICD-10-CM: %w", err)
	}
	codes := make([]Code, 0, 96000)
	keys := make([]string, 0, 96000)
	err = readTSV(raw.String(), 3, func(f []string) error {
		if f[1] != "0" && f[1] != "1" {
			return fmt.Errorf("billable flag %q", f[1])
		}
		if _, ok := icd10Key(f[0]); !ok || strings.Contains(f[0], ".") {
			return fmt.Errorf("code %q", f[0])
		}
		codes = append(codes, Code{System: SystemICD10CM, Display: f[2], Billable: f[1] == "1"})
		keys = append(keys, f[0])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load ICD-10-CM: %w", err)
	}
	setDotted(codes, keys)
	text := make([]string, len(codes))
	for i := range codes {
		text[i] = codes[i].Display
	}
	return buildIndex(codes, keys, text, make([]bool, len(codes)), icd10Key), nil
}

// setDotted writes each ICD-10-CM code the way records show it (E119 →
// E11.9), all in one allocation.
func setDotted(codes []Code, keys []string) {
	var b strings.Builder
	b.Grow(len(keys) * 9)
	ends := make([]int, len(keys))
	for i, k := range keys {
		if len(k) > 3 {
			b.WriteString(k[:3])
			b.WriteByte('.')
			k = k[3:]
		}
		b.WriteString(k)
		ends[i] = b.Len()
	}
	all, start := b.String(), 0
	for i := range codes {
		codes[i].Code = all[start:ends[i]]
		start = ends[i]
	}
}

func loadCVX(data []byte) (*index, error) {
	var codes []Code
	var keys, text []string
	var demoted []bool
	err := readTSV(string(data), 4, func(f []string) error {
		if _, ok := digitsKey(f[0]); !ok {
			return fmt.Errorf("code %q", f[0])
		}
		detail := f[3]
		if detail == f[2] {
			detail = ""
		}
		codes = append(codes, Code{System: SystemCVX, Code: f[0], Display: f[2], Detail: detail, Status: f[1]})
		keys = append(keys, f[0])
		text = append(text, f[2]+" "+detail)
		demoted = append(demoted, f[1] != "Active")
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load CVX: %w", err)
	}
	ix := buildIndex(codes, keys, text, demoted, digitsKey)
	for i, c := range codes {
		if short := strings.TrimLeft(c.Code, "0"); short != c.Code && short != "" {
			ix.alias[short] = int32(i)
		}
	}
	return ix, nil
}

func loadRxNorm(data []byte) (*index, error) {
	var codes []Code
	var keys, text []string
	err := readTSV(string(data), 2, func(f []string) error {
		if _, ok := digitsKey(f[0]); !ok {
			return fmt.Errorf("code %q", f[0])
		}
		codes = append(codes, Code{System: SystemRxNorm, Code: f[0], Display: f[1]})
		keys = append(keys, f[0])
		text = append(text, f[1])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load RxNorm: %w", err)
	}
	return buildIndex(codes, keys, text, make([]bool, len(codes)), digitsKey), nil
}
