package printout

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"outpost/chart"
)

// Clinic-day bug 8: names outside WinAnsi printed as "?". Every document
// must print a name in any of these scripts and give it back, exactly, to
// a reader that extracts the text.
var namesInManyScripts = []struct{ script, given, family string }{
	{"Greek", "Αθηνά", "Παπαδοπούλου"},
	{"Cyrillic", "Анна", "Кузнецова"},
	{"Vietnamese", "Nguyễn Thị", "Hương"},
	{"Latin with diacritics", "Łukasz", "Żółć-Dvořák"},
}

// everyDocument prints each document for patient p.
func everyDocument(t *testing.T, p chart.Patient) map[string][]byte {
	t.Helper()
	s := fixtureSummary(p)
	docs := map[string][]byte{}
	var err error
	if docs["Visit summary"], err = VisitSummary(fixturePractice(), s, fixtureEncounter(p), fixtureNotes(p), chart.MetricUnits(), printedAt); err != nil {
		t.Fatal(err)
	}
	if docs["Home visit sheet"], err = HomeVisitSheet(fixturePractice(), []chart.ChartSummary{s}, chart.MetricUnits(), printedAt); err != nil {
		t.Fatal(err)
	}
	if docs["Prescription"], err = Prescription(fixturePractice(), s, s.Medications[0], fixtureClinician(), printedAt); err != nil {
		t.Fatal(err)
	}
	if docs["Immunization record"], err = ImmunizationRecord(fixturePractice(), p, fixtureImmunizations(p, 3), printedAt); err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestNamesInEveryScriptPrintOnEveryDocument(t *testing.T) {
	for _, n := range namesInManyScripts {
		t.Run(n.script, func(t *testing.T) {
			p := fixturePatient(0)
			p.GivenName, p.FamilyName, p.PreferredName = n.given, n.family, ""
			p.EmergencyContact.Name = n.family + " " + n.given
			for title, data := range everyDocument(t, p) {
				pages := checkPDF(t, title, title, data) // renders page 1: pdftoppm must not complain
				everyPage(t, pages, p)
				text := strings.Join(pages, "\n")
				// In the body too, not just the running head: "Patient:"
				// is only in the head.
				if strings.Count(text, fullName(p)) <= len(pages) {
					t.Errorf("%s: %q is only in the running head:\n%s", title, fullName(p), text)
				}
				assertOmits(t, title, text, "?", "\uFFFD")
			}
		})
	}
}

// A character the font lacks prints as a visible replacement that text
// extraction gives back as U+FFFD, never as a silent "?"; everything
// around it prints as usual.
func TestMissingCharactersPrintAsReplacement(t *testing.T) {
	const syringe, han = "💉", "漢"
	for _, r := range []string{syringe, han} {
		if g := regular.face().glyphFor([]rune(r)[0]); g != 0 {
			t.Fatalf("DejaVu Sans has %s (glyph %d): pick a character it lacks", r, g)
		}
	}
	p := fixturePatient(0)
	p.GivenName = "Anna " + syringe
	p.Address.Directions = "Past the " + han + " sign 😀 then left"
	for title, data := range everyDocument(t, p) {
		text := strings.Join(checkPDF(t, title, title, data), "\n")
		assertContains(t, title, text, "Anna \uFFFD Ångström")
		assertOmits(t, title, text, "?", syringe, han)
		if title == "Home visit sheet" {
			// DejaVu Sans does have U+1F600, so that one prints as itself.
			assertContains(t, title, text, "Past the \uFFFD sign 😀 then left")
		}
	}
}

// wordBox is a word where poppler placed it, in points from the top left
// of its page.
type wordBox struct {
	xMin, yMin, xMax float64
	text             string
}

var wordTag = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`)

// pdfWords returns the words of page 1 with their extents, as poppler
// computes them from the font's widths.
func pdfWords(t *testing.T, data []byte) []wordBox {
	t.Helper()
	out := string(run(t, "pdftotext", "-bbox", "-enc", "UTF-8", "-f", "1", "-l", "1", writePDF(t, "words", data), "-"))
	var words []wordBox
	for _, m := range wordTag.FindAllStringSubmatch(out, -1) {
		var v [3]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		words = append(words, wordBox{v[0], v[1], v[2], html.UnescapeString(m[4])})
	}
	return words
}

// Wrapping and table columns measure text with the glyph advances the
// viewer uses: no word in Greek, Cyrillic or Vietnamese crosses its column
// or the margin, and right-aligned text ends at the margin.
func TestTextStaysInsideItsColumn(t *testing.T) {
	var names []string
	for _, n := range namesInManyScripts {
		names = append(names, n.given+" "+n.family)
	}
	cell := strings.Repeat(strings.Join(names, ", ")+". ", 3)
	l := newLayout(A4, "Columns", printedAt, runningHead{practice: "Riverside", patient: "Patient: " + names[0], printed: "Printed now", title: "Columns"})
	l.paragraph(styleBody, cell)
	tableTop := l.y
	cols := []column{{"Όνομα", 1}, {"Σημειώσεις", 2}, {"Примечания", 1.5}}
	l.table(cols, [][]string{{names[0], cell, names[1]}, {names[2], names[3], cell}})
	tableBottom := l.y
	data, err := l.finish()
	if err != nil {
		t.Fatal(err)
	}
	if len(l.doc.pages) != 1 {
		t.Fatalf("the test table should fit on one page, took %d", len(l.doc.pages))
	}
	edges := []float64{l.left}
	for _, w := range l.columnWidths(cols) {
		edges = append(edges, edges[len(edges)-1]+w)
	}
	const slack = 0.01 // num() rounds positions to 1/100 pt
	var seen []string
	for _, w := range pdfWords(t, data) {
		seen = append(seen, w.text)
		if w.xMax > l.right+slack {
			t.Errorf("%q ends at %.2f, past the right margin %.2f", w.text, w.xMax, l.right)
		}
		if w.yMin > tableTop && w.yMin < tableBottom {
			col := 1
			for col < len(edges)-1 && w.xMin >= edges[col] {
				col++
			}
			if limit := edges[col] - cellPadX; w.xMax > limit+slack {
				t.Errorf("%q (%.2f–%.2f) crosses column %d's edge at %.2f", w.text, w.xMin, w.xMax, col, limit)
			}
		}
		if w.text == "now" && (w.xMax < l.right-0.3 || w.xMax > l.right+slack) {
			t.Errorf("right-aligned %q ends at %.2f, want the margin %.2f", w.text, w.xMax, l.right)
		}
	}
	all := strings.Join(seen, " ")
	assertContains(t, "page 1", all, names...)
	assertContains(t, "page 1", all, "Όνομα", "Σημειώσεις", "Примечания")
}

// The fonts are embedded, subset, and searchable (pdffonts' "uni").
func TestFontsAreEmbeddedSubsets(t *testing.T) {
	p := fixturePatient(0)
	p.GivenName = namesInManyScripts[0].given
	data := everyDocument(t, p)["Prescription"]
	out := string(run(t, "pdffonts", writePDF(t, "fonts", data)))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("pdffonts lists %d fonts, want 2:\n%s", len(lines)-2, out)
	}
	for _, line := range lines[2:] {
		f := strings.Fields(line)
		if !regexp.MustCompile(`^[A-Z]{6}\+DejaVuSans(-Bold)?$`).MatchString(f[0]) ||
			strings.Join(f[1:7], " ") != "CID TrueType Identity-H yes yes yes" {
			t.Errorf("font is not an embedded, subset, Unicode-mapped CID TrueType font: %s", line)
		}
	}
	// A one-page prescription carries two small subsets, not two whole
	// fonts (DejaVu Sans alone is 740 KiB).
	if len(data) > 24<<10 {
		t.Errorf("a one-page prescription is %d bytes; the font subsets should keep it under 24 KiB", len(data))
	}
}
