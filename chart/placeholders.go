package chart

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Placeholders pull the chart into a note as text: a template section (or
// the note editor's Insert menu) holds {{vitals}}, and when the note is
// started the placeholder becomes the patient's vitals as they are at that
// moment, text the writer may then edit. Nothing stays linked: the note
// says what the chart said when it was written, which is what a signature
// attests.

// Placeholder is one name that may be written {{name}}.
type Placeholder struct {
	Name        string `json:"name"`
	Label       string `json:"label"`
	Description string `json:"description"`
}

// Placeholders lists every placeholder, in the order menus show them.
var Placeholders = []Placeholder{
	{"vitals", "Vitals", "The latest vital signs, when they were taken, and any value outside the typical range."},
	{"medications", "Medications", "The active medications with dose and directions."},
	{"allergies", "Allergies", "The allergies with reactions, or “no known allergies” or “not yet asked”."},
	{"problems", "Problems", "The active problems, with codes and onset."},
	{"diagnoses", "Today's diagnoses", "The diagnoses of the visit the note belongs to."},
}

// placeholderPattern matches {{name}}, spaces inside the braces allowed.
var placeholderPattern = regexp.MustCompile(`\{\{\s*([A-Za-z]+)\s*\}\}`)

// PlaceholderData is what placeholders are filled from.
type PlaceholderData struct {
	Summary ChartSummary
	// Encounter is the visit the note belongs to (nil: none).
	Encounter *Encounter
	Units     PracticeUnits
}

// ExpandPlaceholders replaces every known placeholder in text with its
// text; unknown ones are left as written.
func ExpandPlaceholders(text string, d PlaceholderData) string {
	return placeholderPattern.ReplaceAllStringFunc(text, func(m string) string {
		name := strings.ToLower(placeholderPattern.FindStringSubmatch(m)[1])
		if s, ok := d.render(name); ok {
			return s
		}
		return m
	})
}

// UnknownPlaceholders lists the {{names}} in text that are not
// placeholders, as written, each once.
func UnknownPlaceholders(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
		if !knownPlaceholder(strings.ToLower(m[1])) && !seen[m[0]] {
			seen[m[0]] = true
			out = append(out, m[0])
		}
	}
	return out
}

// UsedPlaceholders lists the known placeholders text uses, each once, in
// the order of Placeholders.
func UsedPlaceholders(text string) []string {
	found := map[string]bool{}
	for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
		found[strings.ToLower(m[1])] = true
	}
	var out []string
	for _, p := range Placeholders {
		if found[p.Name] {
			out = append(out, p.Name)
		}
	}
	return out
}

// HasPlaceholders reports whether text holds any {{name}}.
func HasPlaceholders(text string) bool { return placeholderPattern.MatchString(text) }

func knownPlaceholder(name string) bool {
	for _, p := range Placeholders {
		if p.Name == name {
			return true
		}
	}
	return false
}

func placeholderNames() string {
	names := make([]string, len(Placeholders))
	for i, p := range Placeholders {
		names[i] = "{{" + p.Name + "}}"
	}
	return strings.Join(names, ", ")
}

func (d PlaceholderData) render(name string) (string, bool) {
	switch name {
	case "vitals":
		return d.vitalsText(), true
	case "medications":
		return d.medicationsText(), true
	case "allergies":
		return d.allergiesText(), true
	case "problems":
		return d.problemsText(), true
	case "diagnoses":
		return d.diagnosesText(), true
	}
	return "", false
}

// vitalLabels name each measurement as a note writes it, in note order.
var vitalLabels = []struct {
	field VitalField
	label string
}{
	{VitalHeartRate, "HR"}, {VitalRespiratoryRate, "RR"}, {VitalTemperature, "Temp"}, {VitalSpO2, "SpO₂"},
	{VitalWeight, "Weight"}, {VitalHeight, "Height"}, {VitalHeadCircumference, "HC"}, {VitalBMI, "BMI"}, {VitalPain, "Pain"},
}

func (d PlaceholderData) vitalsText() string {
	v := d.Summary.LatestVitals
	var lines []string
	if v == nil {
		lines = append(lines, "Vitals: none recorded.")
	} else {
		lines = append(lines, "Vitals ("+localDateTime(v.TakenAt)+"): "+strings.Join(vitalParts(v, d.Units), ", ")+".")
	}
	if d.Summary.DamagedVitals != nil {
		lines = append(lines, "A vitals set charted later could not be opened; check the Vitals tab.")
	}
	return strings.Join(lines, "\n")
}

func vitalParts(v *VitalsRecord, units PracticeUnits) []string {
	flagged := func(f VitalField, s string) string {
		for _, fl := range v.Flags {
			if fl.Field == f {
				return s + " (" + fl.Level + ")"
			}
		}
		return s
	}
	var parts []string
	sys, okS := v.Signs.Value(VitalSystolic)
	dia, okD := v.Signs.Value(VitalDiastolic)
	if okS && okD {
		bp := flagged(VitalSystolic, "BP "+FormatBloodPressure(sys, dia))
		if !strings.HasSuffix(bp, ")") {
			bp = flagged(VitalDiastolic, bp)
		}
		parts = append(parts, bp)
	}
	for _, l := range vitalLabels {
		if x, ok := v.Signs.Value(l.field); ok {
			parts = append(parts, flagged(l.field, l.label+" "+FormatVital(l.field, x, units)))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no values")
	}
	return parts
}

func (d PlaceholderData) medicationsText() string {
	var lines []string
	damaged := 0
	for _, m := range d.Summary.Medications {
		switch {
		case m.IsDamaged():
			damaged++
		case m.Status == MedActive && m.EnteredInError == nil:
			lines = append(lines, "- "+medicationLine(m))
		}
	}
	if len(lines) == 0 {
		lines = []string{"Active medications: none recorded."}
	} else {
		lines = append([]string{"Active medications:"}, lines...)
	}
	return strings.Join(append(lines, unreadableLine(damaged, "medication", "medications")...), "\n")
}

func medicationLine(m Medication) string {
	parts := []string{m.Drug.Display}
	if m.Dose != "" {
		parts = append(parts, strings.TrimSpace(m.Dose+" "+m.Unit))
	}
	parts = appendNonEmpty(parts, m.Route, m.Frequency)
	line := strings.Join(parts, " ")
	if m.Instructions != "" {
		line += "; " + strings.Join(strings.Fields(m.Instructions), " ")
	}
	return line
}

func (d PlaceholderData) allergiesText() string {
	s := d.Summary
	damaged := 0
	var listed []string
	for _, a := range s.Allergies {
		switch {
		case a.IsDamaged():
			damaged++
		case a.Verification != AllergyRefuted && a.EnteredInError == nil:
			listed = append(listed, allergyLine(a))
		}
	}
	var line string
	switch {
	case len(listed) > 0:
		line = "Allergies: " + strings.Join(listed, "; ") + "."
	case s.AllergyStatus == AllergiesNone:
		line = "No known allergies."
	case s.AllergyStatus == AllergiesUnreadable || damaged > 0:
		line = "Allergies: could not be read; ask the patient."
	default:
		line = "Allergies: not yet asked."
	}
	return strings.Join(append([]string{line}, unreadableLine(damaged, "allergy record", "allergy records")...), "\n")
}

func allergyLine(a Allergy) string {
	detail := appendNonEmpty(nil, a.Reaction, a.Severity)
	if a.Verification == AllergyUnconfirmed {
		detail = append(detail, "unconfirmed")
	}
	if a.Type == "intolerance" {
		detail = append(detail, "intolerance")
	}
	if len(detail) == 0 {
		return a.Substance.Display
	}
	return a.Substance.Display + " (" + strings.Join(detail, ", ") + ")"
}

func (d PlaceholderData) problemsText() string {
	var lines []string
	damaged := 0
	for _, p := range d.Summary.Problems {
		switch {
		case p.IsDamaged():
			damaged++
		case p.Status == ProblemActive && p.EnteredInError == nil:
			lines = append(lines, "- "+problemLine(p))
		}
	}
	switch {
	case len(lines) > 0:
		lines = append([]string{"Active problems:"}, lines...)
	case d.Summary.NoKnownProblems && damaged == 0:
		lines = []string{"No known problems."}
	default:
		lines = []string{"Active problems: none listed."}
	}
	return strings.Join(append(lines, unreadableLine(damaged, "problem", "problems")...), "\n")
}

func problemLine(p Problem) string {
	line := codedLine(p.Condition)
	if p.Onset != "" {
		line += ", since " + p.Onset
	}
	if p.Chronic {
		line += " (chronic)"
	}
	return line
}

// codedLine writes "Essential hypertension (I10)", or the name alone.
func codedLine(c Coded) string {
	if c.Code == "" {
		return c.Display
	}
	return c.Display + " (" + c.Code + ")"
}

func (d PlaceholderData) diagnosesText() string {
	e := d.Encounter
	if e == nil {
		return "Diagnoses: this note is not linked to a visit."
	}
	if len(e.Diagnoses) == 0 {
		return "Diagnoses: none recorded for this visit yet."
	}
	lines := []string{"Diagnoses:"}
	for _, dx := range e.Diagnoses {
		lines = append(lines, "- "+codedLine(dx))
	}
	return strings.Join(lines, "\n")
}

func unreadableLine(n int, one, many string) []string {
	if n == 0 {
		return nil
	}
	noun := many
	if n == 1 {
		noun = one
	}
	return []string{fmt.Sprintf("%d %s could not be opened and %s not listed here.", n, noun, map[bool]string{true: "is", false: "are"}[n == 1])}
}

func appendNonEmpty(parts []string, vals ...string) []string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	return parts
}

// localDateTime writes a local "YYYY-MM-DDTHH:MM" as "23 Nov 2026 08:35".
func localDateTime(s string) string {
	t, err := time.Parse(LocalDateTimeLayout, s)
	if err != nil {
		return s
	}
	return ShortDate(t.Year(), int(t.Month()), t.Day()) + " " + t.Format("15:04")
}
