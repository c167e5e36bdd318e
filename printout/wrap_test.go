package printout

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"outpost/chart"
)

func TestWrapBreaksAtTheExactWidth(t *testing.T) {
	text := "The quick brown fox jumps over the lazy dog"
	// A width of exactly "The quick brown fox" keeps those four words on
	// the first line; a hair less pushes "fox" down.
	w := textWidth("The quick brown fox", regular, 10)
	got := wrap(text, regular, 10, w)
	if got[0] != "The quick brown fox" {
		t.Errorf("first line at exact width = %q", got[0])
	}
	got = wrap(text, regular, 10, w-0.01)
	if got[0] != "The quick brown" {
		t.Errorf("first line just under the width = %q", got[0])
	}
	if joined := strings.Join(got, " "); joined != text {
		t.Errorf("wrapping lost or changed words: %q", joined)
	}
}

func TestWrapKeepsEveryLineInsideTheWidth(t *testing.T) {
	text := "Continue metformin 500 mg twice daily. Increase lisinopril if home readings stay above 140/90 — recheck in 2 weeks. " +
		"Pneumonoultramicroscopicsilicovolcanoconiosis excluded. Zoë Ångström’s “home” readings: 152/88, 149/91. " +
		"Αθηνά Παπαδοπούλου, Анна Кузнецова, Nguyễn Thị Hương 😀 ΠΑΡΑΚΕΤΑΜΌΛΗ-ΚΩΔΕΪΝΗ-ΠΑΡΑΚΕΤΑΜΌΛΗ"
	for _, f := range []font{regular, bold} {
		for _, width := range []float64{20, 60, 150, 400} {
			lines := wrap(clean(text), f, 10, width)
			for _, ln := range lines {
				if w := textWidth(ln, f, 10); w > width+1e-9 {
					t.Errorf("%s at width %v: line %q is %v wide", f, width, ln, w)
				}
			}
			// Nothing is lost: the lines hold the same characters, bar
			// the spaces the breaks replaced.
			squash := func(s string) string { return strings.ReplaceAll(s, " ", "") }
			if got, want := squash(strings.Join(lines, "")), squash(clean(text)); got != want {
				t.Errorf("%s at width %v changed the text:\n got %q\nwant %q", f, width, got, want)
			}
		}
	}
}

func TestWrapCutsLongWords(t *testing.T) {
	word := "Pneumonoultramicroscopicsilicovolcanoconiosis"
	lines := wrap("see "+word, regular, 10, 60)
	if lines[0] != "see" {
		t.Errorf("a word too long for the line should start a new line, got %q", lines)
	}
	if strings.Join(lines[1:], "") != word || len(lines) < 3 {
		t.Errorf("long word cut into %q", lines[1:])
	}
}

func TestWrapParagraphsAndSpaces(t *testing.T) {
	got := wrap(clean("first  line\n\n  second\tline  "), regular, 10, 500)
	want := []string{"first line", "", "second line"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if lines := wrap("", regular, 10, 100); len(lines) != 0 {
		t.Errorf("empty text gave %d lines", len(lines))
	}
}

func TestWrapAlwaysProgresses(t *testing.T) {
	for _, text := range []string{"abc", "Ωμέγα", "😀😀"} {
		got := wrap(text, regular, 10, 0)
		if want := strings.Join(strings.Split(text, ""), "|"); strings.Join(got, "|") != want {
			t.Errorf("zero width: %q, want one character a line", got)
		}
	}
}

// Only a plain space is a place to break: a no-break space holds its
// words together.
func TestWrapKeepsNoBreakSpaces(t *testing.T) {
	got := wrap(clean("take 10\u00A0mg"), regular, 10, textWidth("take 10", regular, 10)+1)
	if strings.Join(got, "|") != "take|10\u00A0mg" {
		t.Errorf("wrap = %q, want the no-break space kept with its words", got)
	}
}

func TestFitAddsEllipsis(t *testing.T) {
	for _, word := range []string{"Riverside ", "Παπαδοπούλου ", "Кузнецова "} {
		long := strings.Repeat(word, 20)
		got := fit(long, bold, 10, 100)
		if textWidth(got, bold, 10) > 100 || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
			t.Errorf("fit = %q (%v wide)", got, textWidth(got, bold, 10))
		}
		if short := strings.TrimSpace(word); fit(short, bold, 10, 100) != short {
			t.Error("fit changed text that fits")
		}
	}
}

// FuzzText feeds arbitrary text to every drawing path: the writer must
// never panic and must always produce a structurally valid PDF.
func FuzzText(f *testing.F) {
	for _, seed := range []string{
		"", "Zoë Ångström", "(unbalanced \\ paren", "\x00\xff\xfe", "\r\n\r\n\n", "😀 漢字 Łódź",
		"Αθηνά Παπαδοπούλου", "Анна Кузнецова", "Nguyễn Thị Hương", "e\u0301\u0302\u0303\u0323", "\U0010FFFF\uFFFF",
		strings.Repeat("W", 400), strings.Repeat("word ", 300), "%%EOF\nendstream\nendobj",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		head := runningHead{practice: s, patient: s, printed: s, title: s}
		l := newLayout(A4, s, time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC), head)
		l.title(s)
		l.heading(s)
		l.paragraph(styleBody, s)
		l.field(s, s)
		l.bullets([]string{s, s})
		l.callout(s, []string{s})
		l.table([]column{{s, 1}, {s, 2}}, [][]string{{s, s}, {s}, nil})
		l.signatureBox()
		data, err := l.finish()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
			t.Fatal("output is not framed as a PDF")
		}
		checkStructure(t, data)
		fuzzDocuments(t, s)
	})
}

// fuzzDocuments puts s into the chart fields the documents print.
func fuzzDocuments(t *testing.T, s string) {
	p := fixturePatient(0)
	p.GivenName, p.Address.Directions, p.MRN = s, s, s
	sum := fixtureSummary(p)
	sum.Allergies[0].Substance.Display = s
	sum.Medications[0].Instructions = s
	enc := fixtureEncounter(p)
	enc.Reason = s
	notes := fixtureNotes(p)
	notes[0].Sections[0].Text = s
	ims := fixtureImmunizations(p, 2)
	ims[0].Lot = s
	practice := chart.Practice{Name: s, Address: s, Phone: s}
	for name, build := range map[string]func() ([]byte, error){
		"visit": func() ([]byte, error) {
			return VisitSummary(practice, sum, enc, notes, chart.USUnits(), printedAt)
		},
		"route": func() ([]byte, error) {
			return HomeVisitSheet(practice, []chart.ChartSummary{sum, sum}, chart.MetricUnits(), printedAt)
		},
		"rx": func() ([]byte, error) {
			return Prescription(practice, sum, sum.Medications[0], fixtureClinician(), printedAt)
		},
		"immunizations": func() ([]byte, error) { return ImmunizationRecord(practice, p, ims, printedAt) },
	} {
		data, err := build()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkStructure(t, data)
	}
}
