package sqlite

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"outpost/chart"
)

// Which record a conflict concerns, in words: "Allergy: Penicillin",
// "Note: Progress note · 12 Mar 2026", "Demographics". The current record
// is opened to say it (it is health data: the label goes to the screen
// that lists the conflict, never to a log line).

// maxLabelDetail bounds what a label says of its record.
const maxLabelDetail = 80

// record labels record id of kind, opening its current version. A
// record this workstation does not hold or cannot open is named by its
// kind alone; only a failure to read the store is an error.
func (n *conflictNames) record(ctx context.Context, kind, id string) (string, error) {
	if kind == kindPatient {
		return "Demographics", nil
	}
	word := kindWord(kind)
	describe, ok := recordDescribers[kind]
	if !ok {
		return word, nil
	}
	merger, ok := kindMergers[kind]
	if !ok {
		return word, nil
	}
	row, err := loadRecord(ctx, n.q, kind, id)
	switch chart.ErrorCode(err) {
	case "":
	case chart.ENOTFOUND:
		return word, nil
	default:
		return "", err
	}
	fields, err := merger.open(n.s.key, storedVersion{kind: kind, id: id, patientID: row.patientID,
		version: row.version, cid: row.head, sealed: row.sealed})
	if err != nil {
		return word, nil // it does not open here: the Conflicts screen still lists the conflict
	}
	detail := shorten(strings.Join(strings.Fields(describe(fields)), " "))
	if detail == "" {
		return word, nil
	}
	return word + ": " + detail, nil
}

// kindWord names a kind at the start of a label ("Vitals record").
func kindWord(kind string) string {
	if kind == chart.KindTemplate {
		return "Note template"
	}
	n := nounFor(kind)
	return strings.ToUpper(n[:1]) + n[1:]
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxLabelDetail {
		return s
	}
	return string([]rune(s)[:maxLabelDetail-1]) + "…"
}

// recordDescribers say what one record is, from its opened fields.
var recordDescribers = map[string]func(map[string]json.RawMessage) string{
	chart.KindAllergy: describeAs(func(a chart.Allergy) string { return codedName(a.Substance) }),
	chart.KindMedication: describeAs(func(m chart.Medication) string {
		name, dose := codedName(m.Drug), joinWords(m.Dose, m.Unit)
		if strings.Contains(strings.ToLower(name), strings.ToLower(dose)) {
			return name // "Metformin 500 mg oral tablet" says its dose
		}
		return joinWords(name, dose)
	}),
	chart.KindProblem:        describeAs(func(p chart.Problem) string { return codedName(p.Condition) }),
	chart.KindNote:           describeAs(func(n chart.Note) string { return dated(n.Title, localDay(n.CreatedAt)) }),
	chart.KindEncounter:      describeAs(func(e chart.Encounter) string { return dated(e.Reason, e.Start) }),
	chart.KindVitals:         describeAs(func(v chart.VitalsRecord) string { return dated("", v.TakenAt) }),
	chart.KindResult:         describeAs(func(r chart.Result) string { return dated(codedName(r.Test), r.CollectedAt) }),
	chart.KindImmunization:   describeAs(func(i chart.Immunization) string { return dated(codedName(i.Vaccine), i.Date) }),
	chart.KindAttachment:     describeAs(func(a chart.Attachment) string { return a.FileName }),
	chart.KindTemplate:       describeAs(func(t chart.Template) string { return t.Name }),
	chart.KindTask:           describeAs(func(t chart.Task) string { return t.Text }),
	chart.KindServiceCode:    describeAs(func(c chart.ServiceCode) string { return c.Code + " " + c.Description }),
	chart.KindSuperbill:      describeAs(func(b chart.Superbill) string { return dated("", b.Date) }),
	chart.KindProcedure:      describeAs(func(p chart.Procedure) string { return dated(codedName(p.Code), p.Performed) }),
	chart.KindCareDecision:   describeAs(func(d chart.CareDecision) string { return dated(d.RuleID+" "+d.Decision, d.Date) }),
	chart.KindRecallContact:  describeAs(func(r chart.RecallContact) string { return dated(r.Method+" "+r.Outcome, r.Date) }),
	chart.KindSourceDocument: describeAs(func(d chart.SourceDocument) string { return d.File }),
	chart.KindAppointment:    describeAs(func(a chart.Appointment) string { return joinWords(a.PatientName, a.Start) }),
}

// describeAs decodes the fields as a T and describes it.
func describeAs[T any](describe func(T) string) func(map[string]json.RawMessage) string {
	return func(fields map[string]json.RawMessage) string {
		var rec T
		if err := decodeFields(fields, &rec); err != nil {
			return ""
		}
		return describe(rec)
	}
}

func codedName(c chart.Coded) string {
	if d := strings.TrimSpace(c.Display); d != "" {
		return d
	}
	return c.Code
}

func joinWords(parts ...string) string {
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// dated is "what · 12 Mar 2026" (either part may be missing); when is a
// local date or date-time as the chart stores it ("YYYY-MM-DD[THH:MM]").
func dated(what, when string) string {
	day := ""
	if d, err := time.Parse(time.DateOnly, when[:min(len(when), len(time.DateOnly))]); err == nil {
		day = chart.ShortDate(d.Year(), int(d.Month()), d.Day())
	}
	switch {
	case what == "":
		return day
	case day == "":
		return what
	}
	return what + " · " + day
}

// localDay is the local date of t as the chart stores dates.
func localDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(time.DateOnly)
}
