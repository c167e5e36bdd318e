package printout

import (
	"time"

	"outpost/chart"
)

// CallList prints the bookings to remind on day, one row each, with a
// column to tick when the patient was reached. It carries names, phone
// numbers and times only: the front desk prints it.
func CallList(practice chart.Practice, day string, calls []chart.CallListEntry, printedAt time.Time) ([]byte, error) {
	const title = "Call list"
	l := newLayout(A4, title, printedAt, runningHead{practice: practice.Name,
		patient: "Appointments of " + day, printed: "Printed " + printedAt.Format(dateTimeLayout), title: title})
	l.title("Call list for " + day)
	if len(calls) == 0 {
		l.paragraph(styleBody, "No bookings to remind on this day.")
		return l.finish()
	}
	rows := make([][]string, 0, len(calls))
	for _, c := range calls {
		a := c.Appointment
		rows = append(rows, []string{a.Start[len("2006-01-02T"):], a.PatientName, orDash(c.Phone), c.MRN,
			a.ClinicianName, apptTypeLabel(a.Type), ""})
	}
	l.table(callListColumns, rows)
	return l.finish()
}

var callListColumns = []column{
	{"Time", 36}, {"Patient", 110}, {"Phone", 85}, {"MRN", 60}, {"With", 90}, {"Type", 60}, {"Reached", 70},
}

// apptTypeLabels name appointment types as people say them.
var apptTypeLabels = map[chart.AppointmentType]string{
	chart.ApptOffice: "Office", chart.ApptHomeVisit: "Home visit", chart.ApptTelephone: "Telephone",
	chart.ApptTelehealth: "Telehealth", chart.ApptWalkIn: "Walk-in",
}

func apptTypeLabel(t chart.AppointmentType) string {
	if s, ok := apptTypeLabels[t]; ok {
		return s
	}
	return string(t)
}
