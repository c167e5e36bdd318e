package cdsi

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"outpost/chart"
)

// ChartForecast is the forecast for one patient of the chart, as the
// immunizations tab and the "Due" list show it.
type ChartForecast struct {
	AsOf   string          `json:"asOf"` // the assessment date, YYYY-MM-DD
	Groups []GroupForecast `json:"groups"`
	// Skipped names immunizations left out of the evaluation and why
	// (refused, entered in error, damaged, no CVX code or date).
	Skipped []string `json:"skipped,omitempty"`
	Source  string   `json:"source"`
}

// Attribution is the line every display of a forecast carries.
const Attribution = "CDC Clinical Decision Support for Immunization (CDSi) logic and supporting data v4.64. Source: CDC. Use does not imply endorsement by CDC, HHS or the U.S. Government."

// ForecastChart evaluates a patient's charted immunizations on a day and
// forecasts each vaccine group that applies to the patient: groups with no
// series for them (travel and risk-only vaccines with no indication
// recorded) are left out unless a dose of them was given. This is the
// function "Due" uses (with DueOn).
func ForecastChart(p chart.Patient, imms []chart.Immunization, on time.Time) (ChartForecast, error) {
	dob, err := ParseDate(p.BirthDate)
	if err != nil {
		return ChartForecast{}, chart.Errorf(chart.EINVALID, "The patient's date of birth is needed for an immunization forecast.")
	}
	assess := ymd(on.Date())
	doses, skipped := chartDoses(imms, assess)
	d, err := Supporting()
	if err != nil {
		return ChartForecast{}, fmt.Errorf("immunization forecast: %w", err)
	}
	e := newEngine(d, Patient{DOB: dob, Gender: gender(p.Sex)}, doses, assess)
	out := ChartForecast{AsOf: assess.String(), Skipped: skipped, Source: Attribution}
	for _, g := range d.VaccineGroups() {
		gf := e.group(g)
		if len(gf.Series) == 0 && len(gf.Doses) == 0 {
			continue
		}
		out.Groups = append(out.Groups, gf)
	}
	sort.SliceStable(out.Groups, func(i, j int) bool { return statusOrder(out.Groups[i]) < statusOrder(out.Groups[j]) })
	return out, nil
}

// statusOrder lists what needs doing first: not complete (soonest
// recommended first), then complete, then the rest.
func statusOrder(g GroupForecast) string {
	switch g.Status {
	case NotComplete:
		return "0" + g.Recommended
	case Complete, Immune:
		return "1"
	}
	return "2"
}

func gender(s chart.Sex) string {
	switch s {
	case chart.SexFemale:
		return "F"
	case chart.SexMale:
		return "M"
	}
	return ""
}

// chartDoses turns charted immunizations into doses, leaving out those that
// were not given (refused), were retracted, or cannot be read.
func chartDoses(imms []chart.Immunization, assess Date) ([]Dose, []string) {
	var doses []Dose
	var skipped []string
	for _, im := range imms {
		name := strings.TrimSpace(im.Vaccine.Display)
		if name == "" {
			name = "CVX " + im.Vaccine.Code
		}
		switch {
		case im.IsDamaged(), im.EnteredInError != nil:
			continue
		case im.Refused:
			skipped = append(skipped, name+" on "+im.Date+": refused, not a dose")
			continue
		case strings.TrimSpace(im.Vaccine.Code) == "":
			skipped = append(skipped, name+" on "+im.Date+": no CVX code")
			continue
		}
		when, err := ParseDate(im.Date)
		if err != nil {
			skipped = append(skipped, name+": no date given")
			continue
		}
		doses = append(doses, Dose{ID: string(im.ID), Date: when, CVX: im.Vaccine.Code, MVX: im.Manufacturer})
	}
	return doses, skipped
}

// Due is one vaccine group due (or overdue) on a day.
type Due struct {
	VaccineGroup string `json:"vaccineGroup"`
	DoseNumber   int    `json:"doseNumber"`
	Recommended  string `json:"recommended"`
	PastDue      string `json:"pastDue,omitempty"`
	Overdue      bool   `json:"overdue"`
}

// DueOn lists the groups of a forecast whose recommended date has come by
// the day: overdue once the past-due date has come.
func DueOn(f ChartForecast, on time.Time) []Due {
	day := ymd(on.Date()).String()
	var out []Due
	for _, g := range f.Groups {
		if g.Status != NotComplete || g.Recommended == "" || g.Recommended > day {
			continue
		}
		out = append(out, Due{VaccineGroup: g.VaccineGroup, DoseNumber: g.DoseNumber, Recommended: g.Recommended,
			PastDue: g.PastDue, Overdue: g.PastDue != "" && g.PastDue <= day})
	}
	return out
}
