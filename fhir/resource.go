package fhir

import (
	"encoding/json"
	"fmt"
)

// Location says where in the input a resource or a problem was found, in
// the words an administrator needs to find it: the file, the line of an
// NDJSON file, and the index of a Bundle entry (0-based; -1 when the
// resource is not a Bundle entry).
type Location struct {
	File  string `json:"file"`
	Line  int    `json:"line,omitempty"`
	Entry int    `json:"entry"`
}

func (l Location) String() string {
	switch {
	case l.Line > 0 && l.Entry >= 0:
		return fmt.Sprintf("%s, line %d, entry %d", l.File, l.Line, l.Entry)
	case l.Line > 0:
		return fmt.Sprintf("%s, line %d", l.File, l.Line)
	case l.Entry >= 0:
		return fmt.Sprintf("%s, entry %d", l.File, l.Entry)
	}
	return l.File
}

// Resource is one resource as read, before it is mapped: its type and id,
// the Bundle entry's fullUrl when it came from one, and its JSON exactly as
// it stood in the file (kept so that nothing is lost and a later version
// can map more).
type Resource struct {
	Type    string          `json:"resourceType"`
	ID      string          `json:"id,omitempty"`
	FullURL string          `json:"fullUrl,omitempty"`
	Raw     json.RawMessage `json:"-"`
	At      Location        `json:"at"`
}

// Severity says whether a problem stops a resource (or a file) from being
// imported, or is only reported.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Problem is one thing wrong with the input: where, which rule, and what a
// person should know, e.g. {At: "a.json, entry 3", Rule: "primitive-value",
// Message: "birthDate \"not a date\" is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)"}.
type Problem struct {
	At       Location `json:"at"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
}

func (p Problem) Error() string { return fmt.Sprintf("%s: %s (%s)", p.At, p.Message, p.Rule) }
