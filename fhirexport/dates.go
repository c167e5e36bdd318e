package fhirexport

import (
	"time"

	"outpost/chart"
	"outpost/fhir"
)

// The chart writes dates as "YYYY", "YYYY-MM", "YYYY-MM-DD" (all valid
// FHIR dates and dateTimes as they are) and local times as
// "YYYY-MM-DDTHH:MM", which FHIR wants with seconds and a zone offset.

// dateTime converts a chart date or local time to a FHIR dateTime; ""
// when s is neither (the caller warns).
func (b *builder) dateTime(s string) string {
	switch len(s) {
	case 0:
		return ""
	case 4, 7, 10:
		if validDate(s) {
			return s
		}
	case len(chart.LocalDateTimeLayout):
		if t, err := time.ParseInLocation(chart.LocalDateTimeLayout, s, b.opts.zone()); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return ""
}

// date converts a chart date to a FHIR date (the day of a local time).
func (b *builder) date(s string) string {
	if len(s) > 10 {
		s = s[:10]
	}
	if validDate(s) {
		return s
	}
	return ""
}

// instant is a FHIR instant: a full time with its zone.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// instantOf is a FHIR instant for a chart local time; a date alone is not
// an instant, so it gives "".
func (b *builder) instantOf(s string) string {
	if len(s) != len(chart.LocalDateTimeLayout) {
		return ""
	}
	return b.dateTime(s)
}

func validDate(s string) bool {
	for _, layout := range []string{"2006", "2006-01", time.DateOnly} {
		if len(s) == len(layout) {
			_, err := time.Parse(layout, s)
			return err == nil
		}
	}
	return false
}

// checkedDateTime converts s, warning when a value is lost.
func (b *builder) checkedDateTime(what, s string) string {
	d := b.dateTime(s)
	if d == "" && s != "" {
		b.warnf("%s %q is not a date FHIR can carry; left out", what, s)
	}
	return d
}

// period is a FHIR Period from chart start and end times; an end before
// the start (per-1 forbids it) is left out with a warning. Nil when both
// are empty.
func (b *builder) period(what, start, end string) *fhir.Period {
	s, e := b.checkedDateTime(what+" start", start), b.checkedDateTime(what+" end", end)
	if s != "" && e != "" && endsBefore(end, start) {
		b.warnf("%s ends (%s) before it starts (%s); the end was left out", what, end, start)
		e = ""
	}
	if s == "" && e == "" {
		return nil
	}
	return &fhir.Period{Start: s, End: e}
}

// endsBefore compares two chart dates or local times over the precision
// both have ("2026-03" does not end before "2026-03-04").
func endsBefore(end, start string) bool {
	n := min(len(end), len(start))
	return end[:n] < start[:n]
}
