package printout

import (
	"strconv"
	"time"

	"outpost/chart"
)

// Superbill prints the superbill of one visit: the patient and their
// insurance-relevant identifiers as the chart holds them, the visit, its
// diagnoses (ICD-10-CM), the services billed with their fees, and the
// total. The practice's address and phone head it, as on a prescription.
func Superbill(practice chart.Practice, p chart.Patient, enc chart.Encounter, b chart.Superbill, printedAt time.Time) ([]byte, error) {
	if err := patientMismatch(p, b.PatientID, "superbill"); err != nil {
		return nil, err
	}
	if err := patientMismatch(p, enc.PatientID, "encounter"); err != nil {
		return nil, err
	}
	const title = "Superbill"
	l := startDoc(A4, title, practice, p, printedAt)
	l.title(title)
	l.paragraph(styleBody, joinNonEmpty("  ·  ", practice.Name, practice.Address, practice.Phone))
	l.heading("Patient")
	l.field("Name", nameWithPreferred(p))
	l.field("Date of birth", p.BirthDate)
	l.field("MRN", p.MRN)
	l.field("Address", orDash(addressText(p.Address)))
	l.heading("Visit")
	l.field("Date", b.Date)
	l.field("Type", encounterTypeLabel(enc.Type))
	l.field("Clinician", orDash(enc.ClinicianName))
	l.heading("Diagnoses (ICD-10-CM)")
	if len(b.Diagnoses) == 0 {
		l.paragraph(styleBody, "No diagnosis recorded for this visit.")
	} else {
		rows := make([][]string, 0, len(b.Diagnoses))
		for i, d := range b.Diagnoses {
			rows = append(rows, []string{strconv.Itoa(i + 1), d.Code, d.Display})
		}
		l.table([]column{{"#", 25}, {"Code", 80}, {"Diagnosis", 406}}, rows)
	}
	l.heading("Services")
	rows := make([][]string, 0, len(b.Lines)+1)
	for _, ln := range b.Lines {
		rows = append(rows, []string{ln.Code, ln.Description, chart.FormatCents(ln.FeeCents), strconv.Itoa(ln.Units),
			chart.FormatCents(ln.Amount())})
	}
	rows = append(rows, []string{"", "Total", "", "", chart.FormatCents(b.TotalCents)})
	l.table([]column{{"Code", 80}, {"Service", 231}, {"Fee", 75}, {"Units", 45}, {"Amount", 80}}, rows)
	return l.finish()
}
