package care

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"outpost/chart"
)

// Engine produces the due items of a chart as of a day. The screening
// rules are one (Screenings); an immunization forecast is another: the
// app lists the engines it runs (app/care.go, careEngines).
type Engine func(c chart.CareChart, asOf time.Time) []chart.DueItem

// Screenings is the engine of the built-in rules (rules.json).
func Screenings(c chart.CareChart, asOf time.Time) []chart.DueItem {
	items, err := Due(c, asOf)
	if err != nil {
		return nil // the embedded rules are checked by the tests
	}
	return items
}

// DueWith runs every engine on a chart and sorts the items together.
func DueWith(c chart.CareChart, asOf time.Time, engines ...Engine) []chart.DueItem {
	var out []chart.DueItem
	for _, e := range engines {
		out = append(out, e(c, asOf)...)
	}
	Sort(out)
	return out
}

// Listed reports whether a patient belongs on recall lists and
// registries: not deceased, inactive or retired by a merge.
func Listed(p chart.Patient) bool { return p.InRecalls() }

// Recall filters.
const (
	RecallAll       = ""           // due or overdue
	RecallOverdue   = "overdue"    // overdue only
	RecallThisMonth = "this-month" // due (not overdue) with a due date in asOf's month or before
)

// RecallFilter narrows a recall list.
type RecallFilter struct {
	Status string `json:"status"` // RecallAll, RecallOverdue, RecallThisMonth
	// RuleID keeps only one rule's items ("" for all).
	RuleID string `json:"ruleId"`
	// Limit is how many patients a screen shows, the longest overdue
	// first (0: DefaultRecallLimit); an export takes them all.
	Limit int `json:"limit"`
}

// Recall list sizes: what a screen shows by default and at most (each
// patient shown is a chart read, audited).
const (
	DefaultRecallLimit = 200
	MaxRecallLimit     = 5000
)

// Validate checks the filter.
func (f RecallFilter) Validate() error {
	if f.Status != RecallAll && f.Status != RecallOverdue && f.Status != RecallThisMonth {
		return chart.FieldError("status", "Choose all, overdue or due this month.")
	}
	if f.Limit < 0 || f.Limit > MaxRecallLimit {
		return chart.FieldError("limit", "Show between 1 and %d patients at a time.", MaxRecallLimit)
	}
	return nil
}

// SortRecalls orders a recall list: the longest due first, then by name.
func SortRecalls(rows []RecallRow) {
	slices.SortStableFunc(rows, func(a, b RecallRow) int {
		return cmp.Or(strings.Compare(a.Items[0].DueDate, b.Items[0].DueDate), strings.Compare(a.Name, b.Name))
	})
}

// Keep adapts a per-chart test to CareService.PracticeCare's pick.
func Keep(keep func(chart.CareChart) bool) func([]chart.CareChart) []chart.CareChart {
	return func(all []chart.CareChart) []chart.CareChart {
		var out []chart.CareChart
		for _, c := range all {
			if keep(c) {
				out = append(out, c)
			}
		}
		return out
	}
}

// RecallRow is one patient of a recall list with what they are due for.
type RecallRow struct {
	PatientID chart.PatientID `json:"patientId"`
	MRN       string          `json:"mrn"`
	Name      string          `json:"name"`
	BirthDate string          `json:"birthDate"`
	Phone     string          `json:"phone"`
	Items     []chart.DueItem `json:"items"`
	// LastContact is the latest recall contact, if any.
	LastContact *chart.RecallContact `json:"lastContact,omitempty"`
}

// RecallRowFor keeps the items of one patient that pass the filter;
// false when none does or the patient is not listed (Listed).
func RecallRowFor(c chart.CareChart, items []chart.DueItem, f RecallFilter, asOf time.Time) (RecallRow, bool) {
	if !Listed(c.Patient) {
		return RecallRow{}, false
	}
	monthEnd := time.Date(asOf.Year(), asOf.Month()+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1).Format(time.DateOnly)
	row := RecallRow{PatientID: c.Patient.ID, MRN: c.Patient.MRN, Name: chart.PatientDisplayName(c.Patient.Summary()),
		BirthDate: c.Patient.BirthDate, Phone: c.Patient.Phone}
	for _, it := range items {
		if f.RuleID != "" && it.RuleID != f.RuleID || !it.Actionable() {
			continue
		}
		switch {
		case f.Status == RecallOverdue && it.Status != chart.CareOverdue,
			f.Status == RecallThisMonth && (it.Status != chart.CareDue || it.DueDate > monthEnd):
			continue
		}
		row.Items = append(row.Items, it)
	}
	if len(row.Items) == 0 {
		return row, false
	}
	if k := gather(c).contact; k != nil {
		row.LastContact = k
	}
	return row, true
}

// WriteCSV writes a recall list, one line per patient and item, with the
// last contact (RFC 4180; a leading = + - @ is quoted away so a
// spreadsheet never runs a name as a formula).
func WriteCSV(w io.Writer, rows []RecallRow) error {
	cw := csv.NewWriter(w)
	head := []string{"MRN", "Name", "Birth date", "Phone", "Item", "Status", "Due date", "Last done", "Reason",
		"Last contact", "Contact method", "Contact outcome"}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("recall csv: %w", err)
	}
	for _, r := range rows {
		var contact [3]string
		if k := r.LastContact; k != nil {
			contact = [3]string{k.Date, k.Method, k.Outcome}
		}
		for _, it := range r.Items {
			line := []string{r.MRN, r.Name, r.BirthDate, r.Phone, it.Title, it.Status, it.DueDate, it.LastDone, it.Reason,
				contact[0], contact[1], contact[2]}
			for i := range line {
				line[i] = defuse(line[i])
			}
			if err := cw.Write(line); err != nil {
				return fmt.Errorf("recall csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("recall csv: %w", err)
	}
	return nil
}

// defuse keeps a spreadsheet from reading a cell as a formula (OWASP CSV
// injection): a cell starting with = + - @ or a tab gets a leading quote.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
