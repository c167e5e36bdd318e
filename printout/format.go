package printout

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"outpost/chart"
)

// Formats for dates and times on paper: ISO order reads the same in every
// country a practice may be in.
const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02 15:04"
)

// startDoc opens a document whose pages all name practice and patient.
func startDoc(paper Paper, title string, practice chart.Practice, p chart.Patient, printedAt time.Time) *layout {
	return newLayout(paper, title, printedAt, headFor(title, practice, p, printedAt))
}

func headFor(title string, practice chart.Practice, p chart.Patient, printedAt time.Time) runningHead {
	return runningHead{
		practice: practice.Name,
		patient:  patientLine(p),
		printed:  "Printed " + printedAt.Format(dateTimeLayout),
		title:    title,
	}
}

// patientLine identifies the patient on every page: name, date of birth
// and record number, the identifiers staff check before acting.
func patientLine(p chart.Patient) string {
	parts := []string{"Patient: " + fullName(p), "DOB " + orDash(p.BirthDate)}
	if p.MRN != "" {
		parts = append(parts, "MRN "+p.MRN)
	}
	return strings.Join(parts, "  ·  ")
}

func fullName(p chart.Patient) string {
	return strings.TrimSpace(p.GivenName + " " + p.FamilyName)
}

// nameWithPreferred adds the name the patient goes by, when it differs
// from the name already printed.
func nameWithPreferred(p chart.Patient) string {
	preferred := strings.TrimSpace(p.PreferredName)
	if preferred == "" || strings.EqualFold(preferred, strings.TrimSpace(p.GivenName)) || strings.EqualFold(preferred, fullName(p)) {
		return fullName(p)
	}
	return fmt.Sprintf("%s (goes by %s)", fullName(p), preferred)
}

// startsWithWord reports whether text begins with word, case aside, as a
// whole word: "Addendum to …" starts with "Addendum", "Addenda" does not.
func startsWithWord(text, word string) bool {
	word = strings.TrimSpace(word)
	if word == "" || len(text) < len(word) || !strings.EqualFold(text[:len(word)], word) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(text[len(word):])
	return next == utf8.RuneError || strings.ContainsRune(" :,.–-", next)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// localDateTime renders a chart local time, "YYYY-MM-DDTHH:MM".
func localDateTime(s string) string { return strings.Replace(s, "T", " ", 1) }

// stamp renders an instant in the zone the document was printed in, so
// every time on one page is in the same zone.
func stamp(t time.Time, printedAt time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(printedAt.Location()).Format(dateTimeLayout)
}

// coded renders a coded concept as "code display", or whichever is known.
func coded(c chart.Coded) string {
	switch {
	case c.Code == "":
		return c.Display
	case c.Display == "":
		return c.Code
	}
	return c.Code + "  " + c.Display
}

// label returns the display text of a concept, falling back to its code.
func label(c chart.Coded) string {
	if c.Display != "" {
		return c.Display
	}
	return c.Code
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

func sexLabel(s chart.Sex) string {
	switch s {
	case chart.SexFemale:
		return "Female"
	case chart.SexMale:
		return "Male"
	case chart.SexOther:
		return "Other"
	}
	return ""
}

// ageLine is "78 years · Female · DOB 1948-03-14".
func ageLine(p chart.Patient, now time.Time) string {
	age := ""
	switch a := chart.Age(p.BirthDate, now); {
	case a == 1:
		age = "1 year"
	case a >= 0:
		age = fmt.Sprintf("%d years", a)
	}
	return joinNonEmpty("  ·  ", age, sexLabel(p.Sex), "DOB "+orDash(p.BirthDate))
}

// addressText is the postal address on as many lines as it needs.
func addressText(a chart.Address) string {
	return joinNonEmpty("\n", a.Line1, a.Line2,
		joinNonEmpty(" ", joinNonEmpty(", ", a.City, a.Region), a.PostalCode), a.Country)
}

func emergencyText(c chart.EmergencyContact) string {
	name := c.Name
	if c.Relationship != "" {
		name = joinNonEmpty(" ", name, "("+c.Relationship+")")
	}
	return joinNonEmpty("  ·  ", name, c.Phone)
}

// patientMismatch refuses to print a record that belongs to another
// patient: a printout that mixes two charts is worse than none.
func patientMismatch(p chart.Patient, other chart.PatientID, what string) error {
	if p.ID == "" || other == "" || other == p.ID {
		return nil
	}
	return chart.Errorf(chart.EINVALID, "This %s belongs to another patient's chart, so nothing was printed. Reopen %s's chart and try again.", what, fullName(p))
}

func itoa(n int) string { return fmt.Sprint(n) }
