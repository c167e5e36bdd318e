package printout

import (
	"cmp"
	"time"

	"outpost/chart"
)

// HomeVisitSheet is a nurse's route: one section per patient, in the order
// given, each starting on a new page so a sheet can be handed over or
// left behind alone. Allergies are boxed so they cannot be missed.
func HomeVisitSheet(practice chart.Practice, patients []chart.ChartSummary, units chart.PracticeUnits, printedAt time.Time) ([]byte, error) {
	visits := make([]HomeVisit, len(patients))
	for i, s := range patients {
		visits[i] = HomeVisit{Summary: s}
	}
	return HomeVisitDay(practice, visits, units, printedAt)
}

// HomeVisit is one stop of a nurse's day: the patient's chart summary and,
// when printed from the appointment book, the booking (its time, and the
// address and directions it was booked with).
type HomeVisit struct {
	Summary     chart.ChartSummary
	Appointment *chart.Appointment
}

// HomeVisitDay is HomeVisitSheet for a day of the appointment book: each
// section says when the visit is booked and where it goes.
func HomeVisitDay(practice chart.Practice, visits []HomeVisit, units chart.PracticeUnits, printedAt time.Time) ([]byte, error) {
	if len(visits) == 0 {
		return nil, chart.Errorf(chart.EINVALID, "Choose at least one patient for the home-visit sheet.")
	}
	const title = "Home visit sheet"
	var l *layout
	for i, v := range visits {
		head := headFor(title, practice, v.Summary.Patient, printedAt)
		if l == nil {
			l = newLayout(PaperFor(units), title, printedAt, head)
		}
		// The running head changes before the break, so the new page
		// names the patient it is about.
		l.setHead(head)
		l.pageBreak()
		l.homeVisitSection(i+1, len(visits), v, units, printedAt)
	}
	return l.finish()
}

func (l *layout) homeVisitSection(n, of int, v HomeVisit, units chart.PracticeUnits, printedAt time.Time) {
	s, p := v.Summary, v.Summary.Patient
	address, directions, when := addressText(p.Address), p.Address.Directions, ""
	if a := v.Appointment; a != nil {
		when = "  ·  " + localDateTime(a.Start) + " for " + itoa(a.Minutes) + " min"
		address, directions = cmp.Or(a.Address, address), cmp.Or(a.Directions, directions)
	}
	l.lines(styleSmall, l.left, l.width(), "Visit "+itoa(n)+" of "+itoa(of)+when)
	l.title(nameWithPreferred(p))
	l.paragraph(styleBody, ageLine(p, printedAt))
	l.field("Phone", p.Phone)
	l.field("Language", p.PreferredLanguage)
	l.field("Address", address)
	l.field("Directions", directions)
	l.field("Emergency contact", emergencyText(p.EmergencyContact))
	l.gap(6)
	heading, items := allergyStatement(s)
	l.callout(heading, items)

	l.heading("Active problems")
	l.problemList(s, true)
	l.heading("Medications")
	l.medicationTable(activeMedications(s.Medications))
	l.heading("Last vital signs")
	if v := s.LatestVitals; v != nil && current(v.Meta) {
		l.vitals(*v, units)
	} else {
		l.paragraph(styleBody, "No vital signs recorded.")
	}
	l.visitNotesBox()
}

// visitNotesBox leaves ruled lines for handwriting, as many as fit (up to
// eight) without starting a page just for them.
func (l *layout) visitNotesBox() {
	const lineGap = 22
	rows := min(8, int((l.bottom-l.y-styleH2.leading-16)/lineGap))
	if rows < 3 {
		return
	}
	l.heading("Notes from this visit")
	for range rows {
		l.y += lineGap
		l.page.line(l.left, l.y, l.right, l.y, 0.4, 0.6)
	}
}
