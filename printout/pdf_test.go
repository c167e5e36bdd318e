package printout

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// checkStructure verifies a PDF file the way a strict reader would: the
// header and %%EOF, startxref pointing at the xref table, every xref entry
// pointing at the start of its object, the trailer's /Size, and every
// stream's /Length and Flate data. It returns the inflated page contents.
func checkStructure(t testing.TB, data []byte) [][]byte {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
		t.Fatalf("file does not start with %%PDF-1.4 and end with %%%%EOF")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no startxref before the end-of-file marker")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref >= len(data) || !bytes.HasPrefix(data[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	head := regexp.MustCompile(`^xref\n0 (\d+)\n`).FindSubmatch(data[xref:])
	size, _ := strconv.Atoi(string(head[1]))
	entries := data[xref+len(head[0]):]
	if len(entries) < 20*size || string(entries[:20]) != "0000000000 65535 f \n" {
		t.Fatalf("xref table is short or entry 0 is not the free-list head")
	}
	for n := 1; n < size; n++ {
		e := string(entries[20*n : 20*n+20])
		if len(e) != 20 || e[10:] != " 00000 n \n" {
			t.Fatalf("xref entry %d is malformed: %q", n, e)
		}
		off, err := strconv.Atoi(e[:10])
		if err != nil || off >= xref || !bytes.HasPrefix(data[off:], fmt.Appendf(nil, "%d 0 obj\n", n)) {
			t.Fatalf("xref entry %d: offset %q does not point at object %d", n, e[:10], n)
		}
	}
	trailer := entries[20*size:]
	if !bytes.HasPrefix(trailer, fmt.Appendf(nil, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>", size)) {
		t.Fatalf("trailer does not follow the table with /Size %d: %q", size, trailer[:min(len(trailer), 60)])
	}
	return inflateStreams(t, data[:xref])
}

var streamHead = regexp.MustCompile(`<< /Length (\d+) /Filter /FlateDecode >>\nstream\n`)

func inflateStreams(t testing.TB, body []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, loc := range streamHead.FindAllSubmatchIndex(body, -1) {
		n, _ := strconv.Atoi(string(body[loc[2]:loc[3]]))
		start := loc[1]
		if start+n > len(body) || !bytes.HasPrefix(body[start+n:], []byte("\nendstream\nendobj\n")) {
			t.Fatalf("stream at %d: /Length %d does not end at endstream", start, n)
		}
		r, err := zlib.NewReader(bytes.NewReader(body[start : start+n]))
		if err != nil {
			t.Fatalf("stream at %d is not zlib: %v", start, err)
		}
		content, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("stream at %d does not inflate: %v", start, err)
		}
		out = append(out, content)
	}
	return out
}

func TestXrefOffsets(t *testing.T) {
	doc := &pdfDoc{paper: Letter, title: "Zoë's record", created: printedAt}
	for i := range 3 {
		doc.addPage().text(72, 72, regular, 12, encode(fmt.Sprintf("Page %d (of 3) \\ done", i+1)))
	}
	data, err := doc.bytes()
	if err != nil {
		t.Fatal(err)
	}
	contents := checkStructure(t, data)
	if len(contents) != 3 {
		t.Fatalf("%d content streams, want 3", len(contents))
	}
	// Text sits where it was put: 72 pt from the top is 720 from the bottom.
	if want := `BT /F1 12 Tf 72 720 Td (Page 2 \(of 3\) \\ done) Tj ET`; !bytes.Contains(contents[1], []byte(want)) {
		t.Errorf("page 2 content = %q, want it to contain %q", contents[1], want)
	}
	for _, want := range []string{
		"/Count 3", "/MediaBox [0 0 612 792]", "/BaseFont /Helvetica /Encoding /WinAnsiEncoding",
		"/BaseFont /Helvetica-Bold", "/Title <FEFF005A006F00EB002700730020007200650063006F00720064>",
		"/Producer (Outpost)", "/CreationDate (D:20261123093000+00'00')",
	} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("file does not contain %q", want)
		}
	}
}

func TestEmptyDocumentHasAPage(t *testing.T) {
	data, err := (&pdfDoc{paper: A4, created: printedAt}).bytes()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(checkStructure(t, data)); n != 1 {
		t.Fatalf("%d pages, want 1", n)
	}
}

func TestPDFDate(t *testing.T) {
	india := time.FixedZone("IST", 5*3600+1800)
	newfoundland := time.FixedZone("NST", -(3*3600 + 1800))
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "D:20260102030405+00'00'"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, india), "D:20260102030405+05'30'"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, newfoundland), "D:20260102030405-03'30'"},
	} {
		if got := pdfDate(tc.t); got != tc.want {
			t.Errorf("pdfDate(%v) = %s, want %s", tc.t, got, tc.want)
		}
	}
}

func TestLiteralEscaping(t *testing.T) {
	var buf bytes.Buffer
	writeLiteral(&buf, []byte("(a\\b)\n\xE9\x00"))
	if got, want := buf.String(), `(\(a\\b\)\012\351\000)`; got != want {
		t.Errorf("writeLiteral = %s, want %s", got, want)
	}
}

func TestNum(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 100: "100", 595.28: "595.28", 12.5: "12.5", -0.001: "0", 1.0 / 3: "0.33", -7.25: "-7.25"} {
		if got := num(x); got != want {
			t.Errorf("num(%v) = %s, want %s", x, got, want)
		}
	}
}

func TestEncodeWinAnsi(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Zoë Ångström", "Zo\xEB \xC5ngstr\xF6m"},
		{"Müller, José", "M\xFCller, Jos\xE9"},
		{"37.0 °C, 5 µg, kg/m²", "37.0 \xB0C, 5 \xB5g, kg/m\xB2"},
		{"a–b—c", "a\x96b\x97c"},
		{"‘single’ “double”", "\x91single\x92 \x93double\x94"},
		{"€5 • …", "\x805 \x95 \x85"},
		{"Łódź 漢字 😀", "?\xF3d? ?? ?"}, // outside WinAnsi: one '?' per character
		{"bad \xFF byte", "bad ? byte"},
		{"line\r\nbreak\rand\ttab", "line\nbreak\nand tab"},
		{"nul\x00 bell\x07 soft\u00ADhyphen zero\u200Bwidth", "nul bell softhyphen zerowidth"},
		{"−5 ‐ x", "-5 - x"},
	} {
		if got := string(encode(tc.in)); got != tc.want {
			t.Errorf("encode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWidthsMatchHelveticaAFM(t *testing.T) {
	// Spot checks against Adobe's AFM files.
	for _, tc := range []struct {
		f    font
		c    byte
		want uint16
	}{
		{regular, ' ', 278}, {regular, 'A', 667}, {regular, 'i', 222}, {regular, 'W', 944}, {regular, '@', 1015},
		{regular, 0xEB, 556}, {regular, 0xC5, 667}, {regular, 0x97, 1000}, {regular, 0xB5, 556},
		{bold, 'A', 722}, {bold, 'i', 278}, {bold, '@', 975}, {bold, 0xF6, 611},
	} {
		if got := tc.f.widths()[tc.c]; got != tc.want {
			t.Errorf("%s width of %#x = %d, want %d", tc.f.baseFont(), tc.c, got, tc.want)
		}
	}
	if got := textWidth([]byte("Hello"), regular, 10); got < 22.779 || got > 22.781 {
		t.Errorf("width of Hello at 10 pt = %v, want 22.78", got)
	}
}
