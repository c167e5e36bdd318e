package printout

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Paper is a page size in PDF points (1/72 inch).
type Paper struct {
	Name          string
	Width, Height float64
}

var (
	A4     = Paper{Name: "A4", Width: 595.28, Height: 841.89}
	Letter = Paper{Name: "Letter", Width: 612, Height: 792}
)

// page is one page's content stream, built as drawing operators. Callers
// use top-left coordinates (y grows down the page, as people read); the
// page turns them into PDF's bottom-left ones.
type page struct {
	doc    *pdfDoc
	height float64
	ops    bytes.Buffer
}

// text draws clean text with its baseline at (x, y). Each character is
// written as its glyph's two-byte number in the document's subset of f,
// raw in a literal string: half the bytes of hex, so less to compress
// (the streams are compressed, so binary anyway).
func (p *page) text(x, y float64, f font, size float64, s string) {
	if s == "" {
		return
	}
	sub := p.doc.subset(f)
	fmt.Fprintf(&p.ops, "BT /%s %s Tf %s %s Td (", f.resource(), num(size), num(x), num(p.height-y))
	for _, r := range s {
		g, printed := sub.font.glyph(r)
		id := sub.use(g, printed)
		writeStringByte(&p.ops, byte(id>>8))
		writeStringByte(&p.ops, byte(id))
	}
	p.ops.WriteString(") Tj ET\n")
}

// writeStringByte writes c inside a PDF literal string. Delimiters and the
// backslash are escaped, and so is CR: a reader turns a raw one into LF.
func writeStringByte(buf *bytes.Buffer, c byte) {
	switch c {
	case '(', ')', '\\':
		buf.WriteByte('\\')
	case '\r':
		buf.WriteString(`\r`)
		return
	}
	buf.WriteByte(c)
}

// line strokes a straight line; gray is 0 (black) to 1 (white).
func (p *page) line(x1, y1, x2, y2, width, gray float64) {
	fmt.Fprintf(&p.ops, "%s G %s w %s %s m %s %s l S 0 G\n",
		num(gray), num(width), num(x1), num(p.height-y1), num(x2), num(p.height-y2))
}

// fillRect paints a rectangle whose top-left corner is (x, y).
func (p *page) fillRect(x, y, w, h, gray float64) {
	fmt.Fprintf(&p.ops, "%s g %s %s %s %s re f 0 g\n", num(gray), num(x), num(p.height-y-h), num(w), num(h))
}

// strokeRect outlines a rectangle whose top-left corner is (x, y).
func (p *page) strokeRect(x, y, w, h, width float64) {
	fmt.Fprintf(&p.ops, "%s w %s %s %s %s re S\n", num(width), num(x), num(p.height-y-h), num(w), num(h))
}

// num prints a coordinate with two decimals at most: PDF has no exponent
// notation, so %g would be wrong for tiny or huge values.
func num(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// pdfDoc is a finished set of pages plus the document information.
type pdfDoc struct {
	paper   Paper
	title   string
	created time.Time
	pages   []*page
	fonts   [2]*fontSubset // the glyphs used so far, by font
}

func (d *pdfDoc) addPage() *page {
	p := &page{doc: d, height: d.paper.Height}
	d.pages = append(d.pages, p)
	return p
}

func (d *pdfDoc) subset(f font) *fontSubset {
	if d.fonts[f] == nil {
		d.fonts[f] = newFontSubset(f.face())
	}
	return d.fonts[f]
}

// Fixed object numbers; page i uses firstPageObj+2i (the page) and
// firstPageObj+2i+1 (its content stream). The objects that describe each
// font's subset follow the pages (see writeFont).
const (
	catalogObj   = 1
	pagesObj     = 2
	regularObj   = 3
	boldObj      = 4
	infoObj      = 5
	firstPageObj = 6
)

// pdfFile accumulates the file and the byte offset of every object.
type pdfFile struct {
	buf     bytes.Buffer
	offsets []int // offsets[n] is where object n begins; [0] unused
	zw      *zlib.Writer
	z       bytes.Buffer
}

func (f *pdfFile) object(n int, body string) {
	f.begin(n)
	f.buf.WriteString(body)
	f.buf.WriteString("\nendobj\n")
}

func (f *pdfFile) begin(n int) {
	for len(f.offsets) <= n {
		f.offsets = append(f.offsets, 0)
	}
	f.offsets[n] = f.buf.Len()
	fmt.Fprintf(&f.buf, "%d 0 obj\n", n)
}

// bytes serialises the document: header, objects, cross-reference table
// and trailer. Content streams are Flate-compressed.
func (d *pdfDoc) bytes() ([]byte, error) {
	if len(d.pages) == 0 {
		d.addPage() // a PDF with no page is refused by some viewers
	}
	f := pdfFile{zw: zlib.NewWriter(io.Discard)}
	// The comment of high bytes tells transfer tools the file is binary.
	f.buf.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	f.object(catalogObj, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj))
	kids := bytes.Buffer{}
	for i := range d.pages {
		fmt.Fprintf(&kids, "%d 0 R ", firstPageObj+2*i)
	}
	f.object(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 %s %s] >>",
		bytes.TrimSpace(kids.Bytes()), len(d.pages), num(d.paper.Width), num(d.paper.Height)))
	f.object(infoObj, fmt.Sprintf("<< /Title %s /Producer (Outpost) /Creator (Outpost) /CreationDate (%s) >>",
		textString(d.title), pdfDate(d.created)))
	resources := fmt.Sprintf("<< /Font << /%s %d 0 R /%s %d 0 R >> >>", regular.resource(), regularObj, bold.resource(), boldObj)
	for i, p := range d.pages {
		pageObj := firstPageObj + 2*i
		f.object(pageObj, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /Resources %s /Contents %d 0 R >>",
			pagesObj, resources, pageObj+1))
		if err := f.stream(pageObj+1, p.ops.Bytes()); err != nil {
			return nil, fmt.Errorf("compress page %d: %w", i+1, err)
		}
	}
	next := firstPageObj + 2*len(d.pages)
	for _, ft := range []struct {
		obj int
		f   font
	}{{regularObj, regular}, {boldObj, bold}} {
		var err error
		if next, err = f.writeFont(ft.obj, next, d.subset(ft.f)); err != nil {
			return nil, fmt.Errorf("embed font %s: %w", ft.f, err)
		}
	}
	f.trailer()
	return f.buf.Bytes(), nil
}

// stream writes a Flate-compressed stream object. One compressor serves
// every stream: a new one per page would allocate most of a megabyte each.
// extra holds further dictionary entries, each with a leading space.
func (f *pdfFile) stream(n int, data []byte, extra ...string) error {
	f.z.Reset()
	f.zw.Reset(&f.z)
	if _, err := f.zw.Write(data); err != nil {
		return err
	}
	if err := f.zw.Close(); err != nil {
		return err
	}
	f.begin(n)
	fmt.Fprintf(&f.buf, "<< /Length %d /Filter /FlateDecode%s >>\nstream\n", f.z.Len(), strings.Join(extra, ""))
	f.buf.Write(f.z.Bytes())
	f.buf.WriteString("\nendstream\nendobj\n")
	return nil
}

// trailer writes the cross-reference table: one 20-byte entry per object,
// each the object's byte offset from the start of the file.
func (f *pdfFile) trailer() {
	xref := f.buf.Len()
	fmt.Fprintf(&f.buf, "xref\n0 %d\n", len(f.offsets))
	f.buf.WriteString("0000000000 65535 f \n")
	for _, off := range f.offsets[1:] {
		fmt.Fprintf(&f.buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&f.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(f.offsets), catalogObj, infoObj, xref)
}

// textString encodes s as a PDF text string: UTF-16BE with a byte-order
// mark, in hex, so any title survives whatever its script.
func textString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

// pdfDate formats t as a PDF date, D:YYYYMMDDHHmmSS+HH'mm'.
func pdfDate(t time.Time) string {
	_, offset := t.Zone()
	sign := '+'
	if offset < 0 {
		sign, offset = '-', -offset
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, offset/3600, offset%3600/60)
}
