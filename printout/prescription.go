package printout

import (
	"fmt"
	"time"

	"outpost/chart"
)

// Prescription prints one medication as a prescription for the pharmacy:
// who prescribes (name, role, licence number, NPI) and where the pharmacy
// reaches them (the practice's address and phone), the patient and their
// allergies (boxed, so the pharmacist checks them too), the drug and how
// much, the date, and a line for the prescriber's wet signature. Only an
// active medication, for this patient, prescribed by an active clinician,
// prints.
func Prescription(practice chart.Practice, sum chart.ChartSummary, m chart.Medication, prescriber chart.User, printedAt time.Time) ([]byte, error) {
	p := sum.Patient
	if err := checkPrescription(p, m, prescriber); err != nil {
		return nil, err
	}
	const title = "Prescription"
	l := startDoc(A4, title, practice, p, printedAt)
	l.title(title)
	l.field("Date", printedAt.Format(dateLayout))

	l.heading("Prescriber")
	l.field("Name", prescriber.FullName)
	l.field("Role", prescriber.Role.Label())
	l.field("Licence number", prescriber.LicenceNumber)
	l.field("NPI", prescriber.NPI)
	l.field("Practice", practice.Name)
	l.field("Address", practice.Address)
	l.field("Phone", practice.Phone)

	l.heading("Patient")
	l.field("Name", fullName(p))
	l.field("Date of birth", p.BirthDate)
	l.field("Address", addressText(p.Address))
	l.field("Phone", p.Phone)
	l.gap(4)
	l.callout(allergyStatement(sum))

	l.heading("Rx")
	l.lines(styleTitle, l.left, l.width(), label(m.Drug))
	if m.Drug.Code != "" && m.Drug.System == chart.SystemRxNorm {
		l.lines(styleSmall, l.left, l.width(), "RxNorm "+m.Drug.Code)
	}
	l.gap(6)
	l.field("Dose", doseText(m))
	l.field("Route", m.Route)
	l.field("Frequency", m.Frequency)
	l.field("Instructions", m.Instructions)
	l.field("Quantity", m.Quantity)
	l.field("Days' supply", daysSupplyText(m.DaysSupply))
	l.field("Refills", refillsText(m.Refills))
	l.field("Start date", m.StartDate)
	l.field("Stop date", m.StopDate)

	l.signatureBox()
	return l.finish()
}

func checkPrescription(p chart.Patient, m chart.Medication, prescriber chart.User) error {
	if err := patientMismatch(p, m.PatientID, "medication"); err != nil {
		return err
	}
	switch {
	case !current(m.Meta):
		return chart.Errorf(chart.EINVALID, "%s was marked as entered in error, so no prescription can be printed for it.", label(m.Drug))
	case m.Status != "" && m.Status != chart.MedActive:
		return chart.Errorf(chart.EINVALID, "%s is %s; only an active medication can be printed as a prescription.", label(m.Drug), m.Status)
	case label(m.Drug) == "":
		return chart.FieldError("drug", "The medication has no drug name, so no prescription can be printed.")
	case prescriber.Role != chart.RoleClinician || !prescriber.Active:
		return chart.Errorf(chart.EFORBIDDEN, "Only an active clinician can be named as the prescriber; %s cannot.", orDash(prescriber.FullName))
	}
	return nil
}

// daysSupplyText is "" when none was given: the field is then left out.
func daysSupplyText(days int) string {
	switch days {
	case 0:
		return ""
	case 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", days)
}

func refillsText(n int) string {
	switch {
	case n <= 0:
		return "None"
	case n == 1:
		return "1 refill"
	}
	return fmt.Sprintf("%d refills", n)
}

// signatureBox leaves room for a handwritten signature and date.
func (l *layout) signatureBox() {
	const h = 48
	l.gap(10)
	l.ensure(h)
	base := l.y + 30
	sigEnd := l.left + l.width()*0.62
	l.page.line(l.left, base, sigEnd, base, 0.75, 0)
	l.page.line(sigEnd+24, base, l.right, base, 0.75, 0)
	l.y = base + 2
	l.drawLine(l.left, styleSmall, "Prescriber's signature")
	l.drawLine(sigEnd+24, styleSmall, "Date")
	l.y = base + 2 + styleSmall.leading
}
