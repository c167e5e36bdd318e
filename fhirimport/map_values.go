package fhirimport

import (
	"strings"
	"time"
	"unicode/utf8"

	"outpost/chart"
	"outpost/fhir"
)

// Times. The chart keeps local wall-clock times ("YYYY-MM-DDTHH:MM") with
// no zone. An imported time keeps the wall-clock time as the source wrote
// it, and its offset is dropped: "2012-11-10T09:49:03+01:00" becomes
// "2012-11-10T09:49". A visit at 09:49 in the sending clinic reads 09:49
// here, which is what its notes and letters say; converting to this
// workstation's zone would move visits across midnight and make the chart
// disagree with the documents that came with it. The exact instant stays
// in the original JSON.

// wallClock is a FHIR date or dateTime as the chart's local date and time;
// a date alone reads as midnight. "" when s is neither.
func wallClock(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case len(s) >= 16 && s[10] == 'T':
		if _, err := time.Parse(chart.LocalDateTimeLayout, s[:16]); err == nil {
			return s[:16]
		}
	case len(s) == 10:
		if _, err := time.Parse(time.DateOnly, s); err == nil {
			return s + "T00:00"
		}
	}
	return ""
}

// dateOnly is the date part of a FHIR date or dateTime (YYYY-MM-DD), or ""
// when it has no full date.
func dateOnly(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 10 || (len(s) > 10 && s[10] != 'T') {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return ""
	}
	return s[:10]
}

// partialDate is a FHIR date or dateTime as the chart's partial date
// (YYYY-MM-DD, YYYY-MM or YYYY), or "".
func partialDate(s string) string {
	if d := dateOnly(s); d != "" {
		return d
	}
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01", "2006"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return s
			}
		}
	}
	return ""
}

// dateOrTime is a FHIR dateTime as the chart's date-or-time fields take it:
// the wall-clock time when there is one, else the date.
func dateOrTime(s string) string {
	if len(strings.TrimSpace(s)) > 10 {
		return wallClock(s)
	}
	return dateOnly(s)
}

// clip shortens s to at most n characters (an ellipsis marks the cut), on
// one line: imported text longer than a chart field allows is shortened
// rather than lost (the whole text stays in the original JSON).
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Code systems the chart keeps codes of; a concept coded only in another
// system is kept as text (its codes stay in the original JSON).
var chartSystems = map[string]bool{
	chart.SystemICD10CM: true, chart.SystemRxNorm: true, chart.SystemCVX: true,
	chart.SystemLOINC: true, chart.SystemSNOMED: true,
}

// coded picks the coding of the first preferred system present (else of
// any system the chart keeps) from cc, named by its display or the
// concept's text. With no such coding it is free text.
func coded(cc *fhir.CodeableConcept, preferred ...string) chart.Coded {
	if cc == nil {
		return chart.Coded{}
	}
	pick := func(ok func(string) bool) *fhir.Coding {
		for j := range cc.Coding {
			if c := &cc.Coding[j]; ok(c.System) && strings.TrimSpace(c.Code) != "" && len(c.Code) <= chart.MaxCodeLen {
				return c
			}
		}
		return nil
	}
	var c *fhir.Coding
	for _, sys := range preferred {
		if c = pick(func(s string) bool { return s == sys }); c != nil {
			break
		}
	}
	if c == nil {
		c = pick(func(s string) bool { return chartSystems[s] })
	}
	text := conceptText(cc)
	if c == nil {
		return chart.Coded{Display: text}
	}
	display := clip(c.Display, chart.MaxShortTextLen)
	if display == "" {
		display = text
	}
	if display == "" {
		display = c.Code
	}
	return chart.Coded{System: c.System, Code: strings.TrimSpace(c.Code), Display: display}
}

// conceptText is what a person reads of a concept: its text, else the
// first coding's display, else the first code.
func conceptText(cc *fhir.CodeableConcept) string {
	if cc == nil {
		return ""
	}
	if t := clip(cc.Text, chart.MaxShortTextLen); t != "" {
		return t
	}
	for _, c := range cc.Coding {
		if d := clip(c.Display, chart.MaxShortTextLen); d != "" {
			return d
		}
	}
	for _, c := range cc.Coding {
		if d := clip(c.Code, chart.MaxShortTextLen); d != "" {
			return d
		}
	}
	return ""
}

// hasCode reports whether cc carries code in system (any system if "").
func hasCode(cc *fhir.CodeableConcept, system, code string) bool {
	if cc == nil {
		return false
	}
	for _, c := range cc.Coding {
		if c.Code == code && (system == "" || c.System == system) {
			return true
		}
	}
	return false
}

// firstCode is the first code of cc (any system), or "".
func firstCode(cc *fhir.CodeableConcept) string {
	if cc == nil {
		return ""
	}
	for _, c := range cc.Coding {
		if c.Code != "" {
			return c.Code
		}
	}
	return ""
}

// categoryCodes lists the codes of a resource's categories.
func categoryCodes(cats []fhir.CodeableConcept) map[string]bool {
	out := map[string]bool{}
	for i := range cats {
		for _, c := range cats[i].Coding {
			out[c.Code] = true
		}
	}
	return out
}

// joinTexts joins the texts of concepts ("hives; wheezing").
func joinTexts(ccs []fhir.CodeableConcept) string {
	var parts []string
	for i := range ccs {
		if t := conceptText(&ccs[i]); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "; ")
}

// annotations joins notes' texts.
func annotations(notes []fhir.Annotation) string {
	var parts []string
	for _, n := range notes {
		if t := strings.TrimSpace(n.Text); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

// Outpost's own extensions (its export writes the few facts FHIR has no
// element for; reading them back makes a round trip whole).
const (
	extOutpostChronic    = "urn:outpost:fhir:chronic"
	extOutpostDirections = "urn:outpost:fhir:address-directions"
	// extOutpostResultedDate is the day a result came out, when the chart
	// has no time for it (Observation.issued is an instant).
	extOutpostResultedDate = "urn:outpost:fhir:resulted-date"
)

func extensionTrue(exts []fhir.Extension, url string) bool {
	for _, e := range exts {
		if e.URL == url && e.ValueBoolean != nil {
			return *e.ValueBoolean
		}
	}
	return false
}

func extensionString(exts []fhir.Extension, url string) string {
	return findExtension(exts, url).ValueString
}

func extensionDateTime(exts []fhir.Extension, url string) string {
	return findExtension(exts, url).ValueDateTime
}

// findExtension is the first extension with url, or none.
func findExtension(exts []fhir.Extension, url string) fhir.Extension {
	for _, e := range exts {
		if e.URL == url {
			return e
		}
	}
	return fhir.Extension{}
}
