package cdsi

import (
	"fmt"
	"strings"
	"time"

	"outpost/chart"
)

// DueItems is the forecast as the chart's "Due" list and the recall lists
// take it (a care.Engine): one item per vaccine group whose next dose's
// recommended date has come, overdue from its past-due date. Groups not yet
// due stay on the immunizations tab, where the whole forecast is shown. A
// chart whose forecast cannot be made (no date of birth) contributes
// nothing here; the tab says why.
func DueItems(c chart.CareChart, asOf time.Time) []chart.DueItem {
	f, err := ForecastChart(c.Patient, c.Immunizations, asOf)
	if err != nil {
		return nil
	}
	var out []chart.DueItem
	for _, d := range DueOn(f, asOf) {
		it := chart.DueItem{PatientID: c.Patient.ID, RuleID: RuleID(d.VaccineGroup), Title: d.VaccineGroup + " vaccine",
			Category: "immunization", Status: chart.CareDue, DueDate: d.Recommended, Source: Attribution, Version: "CDSi v4.64",
			Reason: fmt.Sprintf("Dose %d recommended from %s (CDC immunization schedule).", d.DoseNumber, d.Recommended)}
		if d.Overdue {
			it.Status = chart.CareOverdue
			it.Reason = fmt.Sprintf("Dose %d recommended from %s, past due since %s (CDC immunization schedule).",
				d.DoseNumber, d.Recommended, d.PastDue)
		}
		out = append(out, it)
	}
	return out
}

// RuleID names a vaccine group's due item ("cdsi-mmr"), the id a care
// decision about it refers to.
func RuleID(group string) string {
	return "cdsi-" + strings.ToLower(strings.NewReplacer(" ", "-", "/", "-").Replace(group))
}
