package printout

import (
	"fmt"
	"strings"
	"time"

	"outpost/chart"
)

// current reports whether a record belongs on paper: entered-in-error
// records were never true and are never printed.
func current(m chart.Meta) bool { return m.EnteredInError == nil }

// unopened stands on paper for a record the chart could not open (its
// placeholder has no content): the reader must know something is missing.
func unopened(noun string) string {
	return "A " + noun + " record could not be opened: check the chart on the workstation."
}

// allergyStatement returns the heading and items of the allergy box. The
// wording keeps "nobody asked" apart from "asked, and there are none".
func allergyStatement(s chart.ChartSummary) (heading string, items []string) {
	for _, a := range s.Allergies {
		if current(a.Meta) {
			items = append(items, allergyText(a))
		}
	}
	switch {
	case len(items) > 0:
		return "Allergies and intolerances", items
	case s.AllergyStatus == chart.AllergiesNone:
		return "No known allergies", nil
	case s.AllergyStatus == chart.AllergiesUnreadable:
		return "Allergies unknown", []string{"The chart's allergy record could not be opened. Ask the patient before giving any medicine."}
	case s.AllergyStatus == chart.AllergiesListed:
		// Every listed allergy was retracted: nobody has confirmed "none".
		return "Allergies not confirmed", []string{"Every allergy on the chart was entered in error. Ask the patient before giving any medicine."}
	}
	return "Allergies not yet asked", []string{"Ask the patient about allergies before giving any medicine."}
}

func allergyText(a chart.Allergy) string {
	if a.IsDamaged() {
		return "AN ALLERGY RECORD COULD NOT BE OPENED – ask the patient and check the chart before giving any medicine."
	}
	detail := joinNonEmpty(", ", a.Reaction, a.Severity)
	if a.Criticality == "high" {
		detail = joinNonEmpty(", ", detail, "HIGH criticality")
	}
	text := strings.ToUpper(label(a.Substance))
	if a.Type == "intolerance" {
		text += " (intolerance)"
	}
	if detail != "" {
		text += " – " + detail
	}
	if a.Verification == "unconfirmed" || a.Verification == "refuted" {
		text += " [" + a.Verification + "]"
	}
	if a.Comment != "" {
		text += ". " + a.Comment
	}
	return text
}

// activeMedications keeps the medications the patient takes now.
func activeMedications(meds []chart.Medication) []chart.Medication {
	var out []chart.Medication
	for _, m := range meds {
		if current(m.Meta) && (m.Status == chart.MedActive || m.Status == "") {
			out = append(out, m)
		}
	}
	return out
}

func doseText(m chart.Medication) string { return joinNonEmpty(" ", m.Dose, m.Unit) }

func medicationRows(meds []chart.Medication) [][]string {
	rows := make([][]string, 0, len(meds))
	for _, m := range meds {
		if m.IsDamaged() {
			rows = append(rows, []string{"(could not be opened)", "", "", "", unopened("medication")})
			continue
		}
		rows = append(rows, []string{label(m.Drug), doseText(m), m.Route, m.Frequency, m.Instructions})
	}
	return rows
}

var medicationColumns = []column{
	{"Medication", 3}, {"Dose", 1.3}, {"Route", 1.1}, {"How often", 1.7}, {"Instructions", 3},
}

// medicationTable prints the medications, or says there are none.
func (l *layout) medicationTable(meds []chart.Medication) {
	if len(meds) == 0 {
		l.paragraph(styleBody, "No current medications recorded.")
		return
	}
	l.table(medicationColumns, medicationRows(meds))
}

// problemItems lists problems as "code display – status, since onset";
// active problems come first, as the chart keeps them.
func problemItems(problems []chart.Problem, activeOnly bool) []string {
	var items []string
	for _, p := range problems {
		if p.IsDamaged() {
			items = append(items, unopened("problem"))
			continue
		}
		if !current(p.Meta) || (activeOnly && p.Status != chart.ProblemActive) {
			continue
		}
		status := string(p.Status)
		if p.Chronic {
			status = joinNonEmpty(", ", status, "chronic")
		}
		if p.Onset != "" {
			status = joinNonEmpty(", ", status, "since "+p.Onset)
		}
		text := coded(p.Condition)
		if status != "" {
			text += " – " + status
		}
		if p.Comment != "" {
			text += ". " + p.Comment
		}
		items = append(items, text)
	}
	return items
}

// problemList prints problems, or the right statement when there are none.
func (l *layout) problemList(s chart.ChartSummary, activeOnly bool) {
	items := problemItems(s.Problems, activeOnly)
	switch {
	case len(items) > 0:
		l.bullets(items)
	case s.NoKnownProblems:
		l.paragraph(styleBody, "No known problems.")
	default:
		l.paragraph(styleBody, "No problems recorded.")
	}
}

// vitalItems renders a vitals set in the practice's units, each flagged
// value marked, in the order they are usually taken.
func vitalItems(v chart.VitalsRecord, units chart.PracticeUnits) [][2]string {
	levels := map[chart.VitalField]string{}
	for _, f := range v.Flags {
		levels[f.Field] = f.Level
	}
	flag := func(f chart.VitalField) string { return parenthesized(levels[f]) }
	s := v.Signs
	var out [][2]string
	if s.Systolic != nil && s.Diastolic != nil {
		out = append(out, [2]string{"Blood pressure",
			chart.FormatBloodPressure(*s.Systolic, *s.Diastolic) + parenthesized(pressureFlag(levels))})
	}
	for _, f := range []struct {
		field chart.VitalField
		name  string
	}{
		{chart.VitalHeartRate, "Heart rate"}, {chart.VitalRespiratoryRate, "Respiratory rate"},
		{chart.VitalTemperature, "Temperature"}, {chart.VitalSpO2, "Oxygen saturation"},
		{chart.VitalWeight, "Weight"}, {chart.VitalHeight, "Height"}, {chart.VitalHeadCircumference, "Head circumference"},
		{chart.VitalBMI, "BMI"}, {chart.VitalPain, "Pain"},
	} {
		if x, ok := s.Value(f.field); ok {
			out = append(out, [2]string{f.name, chart.FormatVital(f.field, x, units) + flag(f.field)})
		}
	}
	return out
}

// pressureFlag is one flag for the one printed reading: both pressures
// high is "high" once, not "(high) (high)"; only when they disagree does it
// say which is which.
func pressureFlag(levels map[chart.VitalField]string) string {
	sys, dia := levels[chart.VitalSystolic], levels[chart.VitalDiastolic]
	switch {
	case sys == dia || dia == "":
		return sys
	case sys == "":
		return dia
	}
	return "systolic " + sys + ", diastolic " + dia
}

func parenthesized(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// vitals prints a vitals set with when and by whom it was taken.
func (l *layout) vitals(v chart.VitalsRecord, units chart.PracticeUnits) {
	l.field("Taken", joinNonEmpty(" by ", localDateTime(v.TakenAt), v.TakenByName))
	for _, it := range vitalItems(v, units) {
		l.field(it[0], it[1])
	}
}

func encounterTypeLabel(t chart.EncounterType) string {
	switch t {
	case chart.EncounterOffice:
		return "Office visit"
	case chart.EncounterHome:
		return "Home visit"
	case chart.EncounterTelephone:
		return "Telephone consultation"
	case chart.EncounterTelehealth:
		return "Video consultation"
	}
	return string(t)
}

// shortHash is enough of a content hash to compare against the chart.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func signatureLine(sig *chart.Signature, printedAt time.Time) string {
	role := ""
	if sig.SignerRole != "" {
		role = " (" + sig.SignerRole.Label() + ")"
	}
	return fmt.Sprintf("Electronically signed by %s%s on %s  ·  content hash %s",
		sig.SignerName, role, stamp(sig.SignedAt, printedAt), orDash(shortHash(sig.ContentHash)))
}
