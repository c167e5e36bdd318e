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

var (
	streamHead = regexp.MustCompile(`(\d+) 0 obj\n<< /Length (\d+) /Filter /FlateDecode[^>]*>>\nstream\n`)
	contentRef = regexp.MustCompile(`/Type /Page /Parent \d+ 0 R /Resources .*? /Contents (\d+) 0 R >>`)
)

// inflateStreams checks every stream's length and compression and returns
// the pages' content streams, in page order.
func inflateStreams(t testing.TB, body []byte) [][]byte {
	t.Helper()
	streams := map[string][]byte{}
	for _, loc := range streamHead.FindAllSubmatchIndex(body, -1) {
		n, _ := strconv.Atoi(string(body[loc[4]:loc[5]]))
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
		streams[string(body[loc[2]:loc[3]])] = content
	}
	var out [][]byte
	for _, m := range contentRef.FindAllSubmatch(body, -1) {
		content, ok := streams[string(m[1])]
		if !ok {
			t.Fatalf("page contents %s 0 R is not a stream", m[1])
		}
		out = append(out, content)
	}
	return out
}

func TestXrefOffsets(t *testing.T) {
	doc := &pdfDoc{paper: Letter, title: "Zoë's record", created: printedAt}
	for i := range 3 {
		doc.addPage().text(72, 72, regular, 12, fmt.Sprintf("Page %d (of 3) \\ done", i+1))
	}
	data, err := doc.bytes()
	if err != nil {
		t.Fatal(err)
	}
	contents := checkStructure(t, data)
	if len(contents) != 3 {
		t.Fatalf("%d content streams, want 3", len(contents))
	}
	// Text sits where it was put: 72 pt from the top is 720 from the
	// bottom. Glyphs are numbered as first drawn: "P" is 1, "a" 2…, and
	// page 2 reuses page 1's glyphs but for its digit, the 15th glyph.
	// Glyph 13 ("d") is a CR byte, which must be escaped.
	want := "BT /F1 12 Tf 72 720 Td (" +
		"\x00\x01\x00\x02\x00\x03\x00\x04\x00\x05\x00\x0F\x00\x05\x00\x07\x00\x08\x00\x09" +
		"\x00\x05\x00\x0A\x00\x0B\x00\x05\x00\x0C\x00\x05\x00\\r\x00\x08\x00\x0E\x00\x04) Tj ET"
	if !bytes.Contains(contents[1], []byte(want)) {
		t.Errorf("page 2 content = %q, want it to contain %q", contents[1], want)
	}
	for _, want := range []string{
		"/Count 3", "/MediaBox [0 0 612 792]", "/Subtype /Type0", "+DejaVuSans /Encoding /Identity-H",
		"+DejaVuSans-Bold /Encoding /Identity-H", "/Subtype /CIDFontType2", "/CIDToGIDMap /Identity", "/FontFile2 ",
		"/Title <FEFF005A006F00EB002700730020007200650063006F00720064>",
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

func TestStringEscaping(t *testing.T) {
	var buf bytes.Buffer
	for _, c := range []byte("(a\\b)\r\n\xE9\x00") {
		writeStringByte(&buf, c)
	}
	if got, want := buf.String(), "\\(a\\\\b\\)\\r\n\xE9\x00"; got != want {
		t.Errorf("escaped = %q, want %q", got, want)
	}
}

func TestNum(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 100: "100", 595.28: "595.28", 12.5: "12.5", -0.001: "0", 1.0 / 3: "0.33", -7.25: "-7.25"} {
		if got := num(x); got != want {
			t.Errorf("num(%v) = %s, want %s", x, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Zoë Ångström", "Zoë Ångström"},
		{"Nguye\u0302\u0303n Thi\u0323", "Nguyễn Thị"}, // typed with combining accents: composed
		{"Łódź 漢字 😀", "Łódź 漢字 😀"},                     // kept: the font decides what it can draw
		{"bad \xFF byte", "bad \uFFFD byte"},
		{"line\r\nbreak\rand\ttab\u2028end", "line\nbreak\nand tab\nend"},
		{"nul\x00 bell\x07 soft\u00ADhyphen zero\u200Bwidth", "nul bell softhyphen zerowidth"},
		{"❤\uFE0F \u200Eltr \u2066iso\u2069 \uFEFFbom", "❤ ltr iso bom"},
		{"plain ASCII (no copy)", "plain ASCII (no copy)"},
	} {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := oneLine("a\nb\r\nc"); got != "a b c" {
		t.Errorf("oneLine = %q", got)
	}
}
