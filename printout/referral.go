package printout

import (
	"fmt"
	"time"

	"outpost/chart"
)

// ReferralLetter is the letter a receiving clinician reads: who refers and
// how to call them back, to whom, about which patient, why and what is
// asked; then the chart as it stands (active problems, allergies, current
// medications, the last year's results, the latest vitals) and the last
// visit's assessment and plan. The IPS document sent beside it carries the
// same, chosen by chart.SummarizeForReferral.
func ReferralLetter(practice chart.Practice, recs chart.PatientRecords, ref chart.Referral, units chart.PracticeUnits, printedAt time.Time) ([]byte, error) {
	p := recs.Patient
	if err := patientMismatch(p, ref.PatientID, "referral"); err != nil {
		return nil, err
	}
	if err := ref.Referrer.Check(); err != nil {
		return nil, err
	}
	s := chart.SummarizeForReferral(recs, printedAt)
	const title = "Referral letter"
	l := startDoc(PaperFor(units), title, practice, p, printedAt)
	l.title(title)
	l.field("Date", printedAt.Format(dateLayout))
	l.field("Reference", string(ref.ID))

	l.heading("To")
	l.field("Name", ref.RecipientName)
	l.field("Organisation", ref.RecipientOrganization)
	l.field("Contact", ref.RecipientContact)

	l.referrer(ref.Referrer)

	l.heading("Patient")
	l.field("Name", nameWithPreferred(p))
	l.field("Date of birth", p.BirthDate)
	l.field("Sex", sexLabel(p.Sex))
	l.field("MRN", p.MRN)
	l.field("Address", addressText(p.Address))
	l.field("Phone", p.Phone)

	l.heading("Reason for referral")
	l.paragraph(styleBody, ref.Reason)
	if ref.Question != "" {
		l.heading("Question for you")
		l.paragraph(styleBody, ref.Question)
	}

	l.referralChart(s, units, printedAt)
	return l.finish()
}

// referrer prints who refers and, prominently, how to reach them: the
// practice settings may lack a phone, and the reader must then be told.
func (l *layout) referrer(r chart.Referrer) {
	l.heading("From")
	l.field("Name", r.Name)
	l.field("Role", r.Role.Label())
	l.field("Licence number", r.LicenceNumber)
	l.field("NPI", r.NPI)
	l.field("Practice", r.Practice)
	l.field("Address", r.Address)
	call := r.Phone
	if call == "" {
		call = "No phone in the practice settings: reply to the practice address."
	}
	l.field("Call back on", call)
}

// referralChart prints the chart as the referral sends it.
func (l *layout) referralChart(s chart.ReferralSummary, units chart.PracticeUnits, printedAt time.Time) {
	l.heading("Active problems")
	if items := problemItems(s.Problems, true); len(items) > 0 {
		l.bullets(items)
	} else {
		l.paragraph(styleBody, "No active problems recorded.")
	}
	l.gap(8)
	l.callout(allergyStatement(chart.ChartSummary{AllergyStatus: s.AllergyStatus, Allergies: s.Allergies}))
	l.heading("Current medications")
	l.medicationTable(s.Medications)

	l.heading(fmt.Sprintf("Results of the last %d months (latest of each test)", chart.RecentResultsMonths))
	l.recentResults(s)
	l.heading("Latest vital signs")
	if s.Vitals == nil {
		l.paragraph(styleBody, "No vital signs recorded.")
	} else {
		l.vitals(*s.Vitals, units)
	}
	l.lastVisit(s.LastVisit, printedAt)
}

var resultColumns = []column{{"Test", 3}, {"Result", 2}, {"Reference range", 2}, {"Collected", 1.6}}

func (l *layout) recentResults(s chart.ReferralSummary) {
	if len(s.Results) == 0 {
		l.paragraph(styleBody, "No results in that time.")
	} else {
		rows := make([][]string, 0, len(s.Results))
		for _, r := range s.Results {
			rows = append(rows, []string{coded(r.Test), resultValue(r), referenceRange(r), localDateTime(resultDateOf(r))})
		}
		l.table(resultColumns, rows)
	}
	if s.DamagedResults > 0 {
		l.paragraph(styleBold, fmt.Sprintf("%d result record(s) could not be opened: check the chart on the workstation.", s.DamagedResults))
	}
}

func resultValue(r chart.Result) string {
	v := joinNonEmpty(" ", r.Value, r.Unit)
	if r.Flag != "" && r.Flag != "normal" {
		v += parenthesized(r.Flag)
	}
	return v
}

func referenceRange(r chart.Result) string {
	if r.RefLow != "" || r.RefHigh != "" {
		return joinNonEmpty(" ", joinNonEmpty("–", r.RefLow, r.RefHigh), r.Unit)
	}
	return r.RefText
}

func resultDateOf(r chart.Result) string {
	if r.CollectedAt != "" {
		return r.CollectedAt
	}
	return r.ResultedAt
}

// lastVisit prints the last visit's assessment and plan as signed.
func (l *layout) lastVisit(v *chart.VisitAssessment, printedAt time.Time) {
	l.heading("Last visit: assessment and plan")
	if v == nil {
		l.paragraph(styleBody, "No signed visit note with an assessment or plan.")
		return
	}
	l.field("Note", orDash(v.Note.Title))
	if v.Assessment != "" {
		l.lines(styleBold, l.left, l.width(), "Assessment")
		l.paragraph(styleBody, v.Assessment)
	}
	if v.Plan != "" {
		l.lines(styleBold, l.left, l.width(), "Plan")
		l.paragraph(styleBody, v.Plan)
	}
	l.lines(styleSmall, l.left, l.width(), signatureLine(v.Note.Signature, printedAt))
	for _, a := range v.Addenda {
		l.gap(4)
		heading := addendumHeading(a.Title)
		l.lines(styleBold, l.left, l.width(), heading)
		l.noteBody(a, heading, printedAt)
	}
}
