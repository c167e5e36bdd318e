package printout

import (
	"time"

	"outpost/chart"
)

// PaperFor picks the paper a practice most likely has in its printer:
// US Letter where the practice charts in US units, A4 everywhere else.
func PaperFor(units chart.PracticeUnits) Paper {
	if units.Weight == chart.UnitPound || units.Height == chart.UnitInch || units.Temperature == chart.UnitFahrenheit {
		return Letter
	}
	return A4
}

// VisitSummary is the patient's copy of one visit: what it was for, what
// was found and decided (the signed notes), and the medications, allergies
// and problems as they stand. Draft notes, notes of other visits and
// entered-in-error records are left out.
func VisitSummary(practice chart.Practice, s chart.ChartSummary, enc chart.Encounter, notes []chart.Note, units chart.PracticeUnits, printedAt time.Time) ([]byte, error) {
	p := s.Patient
	if !current(enc.Meta) {
		return nil, chart.Errorf(chart.EINVALID, "This visit was marked as entered in error, so it cannot be printed.")
	}
	if err := patientMismatch(p, enc.PatientID, "visit"); err != nil {
		return nil, err
	}
	for _, n := range notes {
		if err := patientMismatch(p, n.PatientID, "note"); err != nil {
			return nil, err
		}
	}
	const title = "Visit summary"
	l := startDoc(PaperFor(units), title, practice, p, printedAt)
	l.title(title)
	l.field("Patient", nameWithPreferred(p))
	l.field("Visit", joinNonEmpty("  ·  ", encounterTypeLabel(enc.Type), localDateTime(enc.Start)))
	l.field("Clinician", enc.ClinicianName)
	l.field("Location", enc.Location)
	l.field("Reason for visit", enc.Reason)

	l.visitDiagnoses(enc.Diagnoses)
	l.visitVitals(s.LatestVitals, enc, units)
	l.visitNotes(visitNotes(notes, enc.ID), printedAt)

	l.heading("Current medications")
	l.medicationTable(activeMedications(s.Medications))
	// The box has its own heading ("Allergies and intolerances", "No known
	// allergies"…): a section heading above it said "Allergies" twice.
	l.gap(8)
	l.callout(allergyStatement(s))
	l.heading("Problems")
	l.problemList(s, false)
	return l.finish()
}

func (l *layout) visitDiagnoses(dx []chart.Coded) {
	l.heading("Diagnoses")
	var items []string
	for _, d := range dx {
		if t := coded(d); t != "" {
			items = append(items, t)
		}
	}
	if len(items) == 0 {
		l.paragraph(styleBody, "No diagnosis recorded for this visit.")
		return
	}
	l.bullets(items)
}

// visitVitals prints the vitals taken at this visit: the latest set, when
// it was charted against this encounter (or, unlinked, on its day).
func (l *layout) visitVitals(v *chart.VitalsRecord, enc chart.Encounter, units chart.PracticeUnits) {
	l.heading("Vital signs")
	if v == nil || !current(v.Meta) || !takenAt(v, enc) {
		l.paragraph(styleBody, "No vital signs recorded at this visit.")
		return
	}
	l.vitals(*v, units)
}

func takenAt(v *chart.VitalsRecord, enc chart.Encounter) bool {
	if v.EncounterID != "" {
		return v.EncounterID == enc.ID
	}
	return len(v.TakenAt) >= 10 && len(enc.Start) >= 10 && v.TakenAt[:10] == enc.Start[:10]
}

// noteThread is a signed note with its signed addenda, in order.
type noteThread struct {
	note    chart.Note
	addenda []chart.Note
}

// visitNotes keeps the signed notes of the encounter and attaches each
// signed addendum to its note. An addendum whose note is not printed is
// printed on its own rather than lost.
func visitNotes(notes []chart.Note, encID chart.RecordID) []noteThread {
	keep := func(n chart.Note) bool {
		return current(n.Meta) && n.Signed() && (n.EncounterID == "" || encID == "" || n.EncounterID == encID)
	}
	var threads []noteThread
	index := map[chart.RecordID]int{}
	for _, n := range notes {
		if keep(n) && n.AddendumTo == "" {
			index[n.ID] = len(threads)
			threads = append(threads, noteThread{note: n})
		}
	}
	for _, n := range notes {
		if !keep(n) || n.AddendumTo == "" {
			continue
		}
		if i, ok := index[n.AddendumTo]; ok {
			threads[i].addenda = append(threads[i].addenda, n)
		} else {
			threads = append(threads, noteThread{note: n})
		}
	}
	return threads
}

func (l *layout) visitNotes(threads []noteThread, printedAt time.Time) {
	if len(threads) == 0 {
		l.heading("Visit notes")
		l.paragraph(styleBody, "No signed note for this visit yet.")
		return
	}
	for _, t := range threads {
		heading := orDash(t.note.Title)
		if t.note.AddendumTo != "" {
			heading = addendumHeading(t.note.Title)
		}
		l.heading(heading)
		l.noteBody(t.note, heading, printedAt)
		for _, a := range t.addenda {
			l.gap(4)
			heading := addendumHeading(a.Title)
			l.lines(styleBold, l.left, l.width(), heading)
			l.noteBody(a, heading, printedAt)
		}
	}
}

// addendumHeading names an addendum once: the chart already titles them
// "Addendum to …", which must not print as "Addendum: Addendum to …".
func addendumHeading(title string) string {
	if startsWithWord(title, "Addendum") {
		return title
	}
	return joinNonEmpty(": ", "Addendum", title)
}

// noteBody prints the sections under heading. A section label the heading
// already says (the chart's one "Addendum" section under "Addendum to …")
// is left out rather than printed twice.
func (l *layout) noteBody(n chart.Note, heading string, printedAt time.Time) {
	for _, sec := range n.Sections {
		if sec.Text == "" {
			continue
		}
		if !(len(n.Sections) == 1 && startsWithWord(heading, sec.Label)) {
			l.lines(styleBold, l.left, l.width(), orDash(sec.Label))
		}
		l.paragraph(styleBody, sec.Text)
	}
	l.lines(styleSmall, l.left, l.width(), signatureLine(n.Signature, printedAt))
}
