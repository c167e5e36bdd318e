package printout

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/chart/care"
)

func TestRecallListPrints(t *testing.T) {
	var rows []care.RecallRow
	for i := range 60 {
		rows = append(rows, care.RecallRow{MRN: fmt.Sprintf("M%03d", i), Name: fmt.Sprintf("Rāwiri Patient%d", i), BirthDate: "1960-02-03",
			Phone: "+64 27 555 0101", Items: []chart.DueItem{{Title: "Colorectal cancer screening", Status: chart.CareOverdue, DueDate: "2015-03-01"}}})
	}
	rows[0].LastContact = &chart.RecallContact{Date: "2026-12-01", Method: "phone", Outcome: "no-answer"}
	printed := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	data, err := RecallList(chart.Practice{Name: "Ruatoria Clinic"}, "Recall list: overdue", rows, chart.MetricUnits(), printed)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, "recall.pdf", "Recall list: overdue", data)
	if len(pages) < 2 {
		t.Fatalf("60 patients on %d page(s)", len(pages))
	}
	text := strings.Join(pages, "\n")
	assertContains(t, "recall list", text, "Rāwiri Patient0", "Rāwiri Patient59", "Colorectal cancer screening (overdue,", "due 2015-03-01)",
		"2026-12-01", "Contacted /", "60 patients")
	empty, err := RecallList(chart.Practice{Name: "Ruatoria Clinic"}, "Recall list", nil, chart.MetricUnits(), printed)
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, "empty list", strings.Join(checkPDF(t, "empty.pdf", "Recall list", empty), "\n"), "Nobody is on this list.")
}
