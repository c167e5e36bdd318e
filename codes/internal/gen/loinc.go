package main

import (
	"fmt"
	"io"
	"strings"
)

// LOINC kinds written in the kind column.
const (
	LOINCLab   = "lab"   // a laboratory test with one value
	LOINCVital = "vital" // a vital sign
	LOINCPanel = "panel" // a panel or report: its values are other codes
)

// convertLOINC writes code, kind, UCUM unit and display for the vital
// signs and laboratory codes of the observed list; surveys, social history,
// imaging and note types are left out (the chart records none of them).
func convertLOINC(in io.Reader, out io.Writer) error {
	want := []string{"loinc", "display", "category", "value_type", "ucum_unit"}
	n := 0
	err := readCSV(in, want, func(get func(string) string) error {
		kind := loincKind(get("category"), get("value_type"))
		if kind == "" {
			return nil
		}
		code, display := get("loinc"), stripInvisible(get("display"))
		if !isLOINCCode(code) || strings.TrimSpace(display) == "" {
			return fmt.Errorf("LOINC row %q %q", code, display)
		}
		n++
		return writeRow(out, code, kind, get("ucum_unit"), display)
	})
	if err == nil && n < 100 {
		err = fmt.Errorf("only %d LOINC lab and vital codes; is the file complete?", n)
	}
	return err
}

func loincKind(category, valueType string) string {
	cats := strings.Split(category, "|")
	has := func(names ...string) bool {
		for _, c := range cats {
			for _, n := range names {
				if c == n {
					return true
				}
			}
		}
		return false
	}
	switch {
	case !has("laboratory", "LAB", "vital-signs", "vital-sign"):
		return ""
	case valueType == "" || valueType == "component":
		return LOINCPanel
	case has("vital-signs", "vital-sign"):
		return LOINCVital
	}
	return LOINCLab
}

// stripInvisible drops zero-width characters some displays carry.
func stripInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u200b', '\u200c', '\u200d', '\ufeff':
			return -1
		}
		return r
	}, s)
}

// isLOINCCode accepts "4548-4": digits, a hyphen, a check digit.
func isLOINCCode(s string) bool {
	num, check, ok := strings.Cut(s, "-")
	return ok && isDigits(num) && len(check) == 1 && isDigits(check)
}
