package printout

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"outpost/chart"
)

// ImmunizationRecord prints the patient's vaccinations as a table, oldest
// first, followed by the vaccines the patient refused and why.
func ImmunizationRecord(practice chart.Practice, p chart.Patient, ims []chart.Immunization, printedAt time.Time) ([]byte, error) {
	var given, refused []chart.Immunization
	for _, im := range ims {
		if err := patientMismatch(p, im.PatientID, "immunization"); err != nil {
			return nil, err
		}
		switch {
		case !current(im.Meta):
		case im.Refused:
			refused = append(refused, im)
		default:
			given = append(given, im)
		}
	}
	byDate := func(a, b chart.Immunization) int { return cmp.Compare(a.Date, b.Date) }
	slices.SortStableFunc(given, byDate)
	slices.SortStableFunc(refused, byDate)

	const title = "Immunization record"
	l := startDoc(A4, title, practice, p, printedAt)
	l.title(title)
	l.paragraph(styleBody, joinNonEmpty("  ·  ", nameWithPreferred(p), ageLine(p, printedAt)))

	l.heading("Vaccinations")
	if len(given) == 0 {
		l.paragraph(styleBody, "No vaccinations recorded.")
	} else {
		l.table(immunizationColumns, immunizationRows(given))
	}
	if len(refused) > 0 {
		l.heading("Vaccines refused")
		rows := make([][]string, 0, len(refused))
		for _, im := range refused {
			rows = append(rows, []string{im.Date, vaccineText(im.Vaccine), orDash(im.RefusalReason)})
		}
		l.table([]column{{"Date", 1.2}, {"Vaccine", 3.5}, {"Reason", 4}}, rows)
	}
	return l.finish()
}

// immunizationColumns are weighted in points of an A4 body (511 pt), for
// DejaVu Sans 9 pt: a date, a lot number and "left deltoid" fit on one
// line; a name or "Historical record" may take two, as the vaccine's long
// name does anyway.
var immunizationColumns = []column{
	{"Date", 59}, {"Vaccine", 148}, {"Dose #", 42}, {"Lot", 47},
	{"Site", 61}, {"Route", 36}, {"Given by", 62}, {"Source", 56},
}

func immunizationRows(ims []chart.Immunization) [][]string {
	rows := make([][]string, 0, len(ims))
	for _, im := range ims {
		if im.IsDamaged() {
			rows = append(rows, []string{"", unopened("vaccination"), "", "", "", "", "", ""})
			continue
		}
		dose := ""
		if im.DoseNumber > 0 {
			dose = strconv.Itoa(im.DoseNumber)
		}
		rows = append(rows, []string{im.Date, vaccineText(im.Vaccine), dose, im.Lot,
			im.Site, im.Route, im.GivenBy, sourceText(im.Source)})
	}
	return rows
}

// vaccineText is "CVX 140 Influenza, seasonal, injectable".
func vaccineText(c chart.Coded) string {
	if c.Code != "" && (c.System == chart.SystemCVX || c.System == "") {
		return joinNonEmpty(" ", "CVX "+c.Code, c.Display)
	}
	return coded(c)
}

func sourceText(s string) string {
	switch s {
	case "given":
		return "Given here"
	case "historical":
		return "Historical record"
	}
	return s
}
