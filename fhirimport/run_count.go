package fhirimport

import (
	"fmt"

	"outpost/chart"
	"outpost/fhir"
)

// merged counts a resource already in the chart (a matched patient, or a
// record from an earlier import of the same source).
const merged Status = "merged"

// Lines kept in a report: the counts stay exact, the explanations are cut
// to what a person reads.
const (
	maxErrorLines      = 30
	maxWarningLines    = 50
	maxUnresolvedLines = 50
)

// reportFile is one file's part of the report as it is counted.
type reportFile struct {
	*chart.FileReport
	warnings   int
	unresolved map[string]bool
}

func newReportFile(path string) *reportFile {
	return &reportFile{FileReport: &chart.FileReport{Path: path, Types: map[string]*chart.TypeCounts{}},
		unresolved: map[string]bool{}}
}

// count accounts for one resource read.
func (f *reportFile) count(typ string, s Status, reason string) {
	c := f.Types[typ]
	if c == nil {
		c = &chart.TypeCounts{}
		f.Types[typ] = c
	}
	c.Read++
	switch s {
	case Imported:
		c.Imported++
	case merged:
		c.Merged++
	case Skipped:
		c.Skipped++
		if c.SkipReasons == nil {
			c.SkipReasons = map[string]int{}
		}
		c.SkipReasons[reason]++
	default:
		c.Failed++
		if len(c.Errors) < maxErrorLines {
			c.Errors = append(c.Errors, reason)
		}
	}
}

func (f *reportFile) warn(msg string) {
	f.warnings++
	if f.warnings <= maxWarningLines {
		f.Warnings = append(f.Warnings, msg)
	}
}

func (f *reportFile) warnAll(c fhir.Checked) {
	for _, p := range c.Problems {
		if p.Severity == fhir.SeverityWarning {
			f.warn(problemText(p))
		}
	}
}

func (f *reportFile) unresolvedRef(ref string, from fhir.Resource) {
	if f.unresolved[ref] || len(f.unresolved) >= maxUnresolvedLines {
		return
	}
	f.unresolved[ref] = true
	f.Unresolved = append(f.Unresolved, fmt.Sprintf("%s (from %s %s, %s)", ref, from.Type, from.ID, from.At))
}

// close notes the lines left out.
func (f *reportFile) close() {
	if n := f.warnings - maxWarningLines; n > 0 {
		f.Warnings = append(f.Warnings, fmt.Sprintf("… and %d more warnings", n))
	}
}

func addCounts(t, c *chart.TypeCounts) {
	t.Read += c.Read
	t.Imported += c.Imported
	t.Merged += c.Merged
	t.Skipped += c.Skipped
	t.Failed += c.Failed
	for k, v := range c.SkipReasons {
		if t.SkipReasons == nil {
			t.SkipReasons = map[string]int{}
		}
		t.SkipReasons[k] += v
	}
	for _, e := range c.Errors {
		if len(t.Errors) < maxErrorLines {
			t.Errors = append(t.Errors, e)
		}
	}
}
