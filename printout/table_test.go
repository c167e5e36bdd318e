package printout

import (
	"fmt"
	"strings"
	"testing"
)

func tableDoc(t *testing.T, rows [][]string) []string {
	t.Helper()
	l := newLayout(A4, "Table", printedAt, runningHead{practice: "Riverside", patient: "Patient: Test", title: "Table"})
	l.title("Table test")
	l.table([]column{{"Column A", 1}, {"Column B", 3}}, rows)
	data, err := l.finish()
	if err != nil {
		t.Fatal(err)
	}
	checkStructure(t, data)
	return checkPDF(t, "table", "Table", data)
}

// A row taller than a page is split across pages, each page under the
// repeated header, and no line is lost or printed twice.
func TestTableSplitsARowTallerThanAPage(t *testing.T) {
	var cell []string
	for i := range 150 {
		cell = append(cell, fmt.Sprintf("line %03d", i))
	}
	pages := tableDoc(t, [][]string{{"first", "short"}, {"tall", strings.Join(cell, "\n")}, {"last", "short"}})
	if len(pages) < 3 {
		t.Fatalf("150 lines fit on %d pages; want the row split over at least 3", len(pages))
	}
	text := strings.Join(pages, "\n")
	for _, c := range cell {
		if n := strings.Count(text, c); n != 1 {
			t.Errorf("%q printed %d times", c, n)
		}
	}
	for i, pg := range pages {
		assertContains(t, fmt.Sprintf("page %d", i+1), pg, "Column A", "Column B")
	}
}

// A row that fits on a page is never split: it moves to the next page.
func TestTableMovesARowWhole(t *testing.T) {
	var rows [][]string
	for i := range 60 {
		rows = append(rows, []string{fmt.Sprintf("row %02d", i), fmt.Sprintf("top %02d\nbottom %02d", i, i)})
	}
	pages := tableDoc(t, rows)
	if len(pages) < 2 {
		t.Fatalf("60 two-line rows fit on %d page(s); the test needs a page break", len(pages))
	}
	for i, pg := range pages {
		for r := range 60 {
			top, bottom := strings.Contains(pg, fmt.Sprintf("top %02d", r)), strings.Contains(pg, fmt.Sprintf("bottom %02d", r))
			if top != bottom {
				t.Errorf("row %d is split across page %d", r, i+1)
			}
		}
		assertContains(t, fmt.Sprintf("page %d", i+1), pg, "Column A", "Column B")
	}
}
