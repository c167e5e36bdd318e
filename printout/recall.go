package printout

import (
	"strings"
	"time"

	"outpost/chart"
	"outpost/chart/care"
)

// RecallList prints a practice-wide recall list: one row per patient with
// what they are due for and the last contact, and a blank column to note
// the call. It names many patients, so no patient goes in the running head.
func RecallList(practice chart.Practice, title string, rows []care.RecallRow, units chart.PracticeUnits, printedAt time.Time) ([]byte, error) {
	head := runningHead{practice: practice.Name, printed: "Printed " + printedAt.Format(dateTimeLayout), title: title,
		patient: itoa(len(rows)) + " patients"}
	l := newLayout(PaperFor(units), title, printedAt, head)
	l.setHead(head)
	l.title(title)
	if len(rows) == 0 {
		l.paragraph(styleBody, "Nobody is on this list.")
		return l.finish()
	}
	cols := []column{{"Patient", 2.2}, {"Phone", 1.3}, {"Due for", 3.6}, {"Last contact", 1.4}, {"Contacted / outcome", 1.6}}
	table := make([][]string, 0, len(rows))
	for _, r := range rows {
		var due []string
		for _, it := range r.Items {
			due = append(due, it.Title+" ("+strings.ReplaceAll(it.Status, "-", " ")+orEmpty(", due ", it.DueDate)+")")
		}
		contact := ""
		if k := r.LastContact; k != nil {
			contact = k.Date + " " + k.Method + ": " + strings.ReplaceAll(k.Outcome, "-", " ")
		}
		table = append(table, []string{r.Name + "\nDOB " + orDash(r.BirthDate) + orEmpty("\nMRN ", r.MRN), r.Phone,
			strings.Join(due, "\n"), contact, ""})
	}
	l.table(cols, table)
	return l.finish()
}

// orEmpty is label+value, or nothing when value is empty.
func orEmpty(label, value string) string {
	if value == "" {
		return ""
	}
	return label + value
}
