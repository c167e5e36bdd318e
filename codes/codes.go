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

// FHIR code-system URIs. The last two are Outpost's own: FHIR has no
// open code system for drug classes or for non-drug allergens (SNOMED CT
// needs a licence), so allergies recorded to one carry these, with the
// name as the text a receiving system reads.
const (
	SystemICD10CM      = "http://hl7.org/fhir/sid/icd-10-cm"
	SystemCVX          = "http://hl7.org/fhir/sid/cvx"
	SystemRxNorm       = "http://www.nlm.nih.gov/research/umls/rxnorm"
	SystemLOINC        = "http://loinc.org"
	SystemAllergyClass = "urn:outpost:allergy-class"
	SystemAllergen     = "urn:outpost:allergen"
)

// Search limits: a picker shows a screenful, never the whole list.
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// Code is one entry of a code list, as a search or lookup returns it.
type Code struct {
	System  string `json:"system"`
	Code    string `json:"code"` // as written in records: "E11.9", "03", "308182"
	Display string `json:"display"`
	// Detail is a longer name where the display is an abbreviation (CVX),
	// or what a curated entry covers (an allergy class's members).
	Detail string `json:"detail,omitempty"`
	// Billable marks ICD-10-CM codes valid for coding an encounter; the
	// others are category headers, kept for browsing.
	Billable bool `json:"billable,omitempty"`
	// Status is the CVX status: Active, Inactive, Non-US or Never Active.
	Status string `json:"status,omitempty"`
	// Kind says in words what the entry is: an RxNorm term type ("clinical
	// drug", "branded drug", "pack", "ingredient", "brand name"), an
	// allergen's kind ("drug class", "food", …), a LOINC "lab test".
	Kind string `json:"kind,omitempty"`
	// Ingredients of an RxNorm drug or brand: RxNorm ingredients (IN), what
	// the safety checks compare.
	Ingredients []Code `json:"ingredients,omitempty"`
	// Unit is the UCUM unit a LOINC test reports in ("g/dL").
	Unit string `json:"unit,omitempty"`
	// Source cites where a curated entry comes from.
	Source string `json:"source,omitempty"`
}

var (
	//go:embed data/icd10cm-2022.tsv.gz
	icd10Data []byte
	//go:embed data/cvx.tsv
	cvxData []byte
	//go:embed data/rxnorm.tsv.gz
	rxnormData []byte
	//go:embed data/loinc.tsv
	loincData []byte
)

// lazy is a code list loaded on first use, so that start-up does not pay
// for lists the user never searches. A load error leaves the list empty
// (searches find nothing) and is reported by Load.
type lazy[T any] struct {
	once  sync.Once
	v     *T
	err   error
	build func() (*T, error)
	empty func() *T
}

func (l *lazy[T]) get() *T {
	l.once.Do(func() {
		l.v, l.err = l.build()
		if l.err != nil {
			l.v = l.empty()
		}
	})
	return l.v
}

func (l *lazy[T]) loadErr() error {
	l.get()
	return l.err
}

// Load loads every list now (rather than on first search) and reports a
// damaged embedded file. Safe to call from several goroutines.
func Load() error {
	for _, load := range []func() error{icd10List.loadErr, cvxList.loadErr, rxnormList.loadErr, loincList.loadErr} {
		if err := load(); err != nil {
			return err
		}
	}
	return nil
}

// gunzip decompresses an embedded file into one string, sized from the
// gzip trailer (the uncompressed length) to avoid regrowth and a copy.
func gunzip(data []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	var raw strings.Builder
	if len(data) >= 4 {
		raw.Grow(int(binary.LittleEndian.Uint32(data[len(data)-4:])))
	}
	if _, err := io.Copy(&raw, zr); err != nil {
		return "", err
	}
	return raw.String(), nil
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
