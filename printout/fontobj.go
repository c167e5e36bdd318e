package printout

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
)

// writeFont writes a font's subset as a Type 0 font (object typ0, the
// number the pages' resources name) over a CIDFontType2 with Identity-H
// codes, and the objects it needs from next on: the CIDFont, its
// descriptor, the TrueType file and the ToUnicode map that lets readers
// search and copy the text. It returns the next free object number.
func (f *pdfFile) writeFont(typ0, next int, sub *fontSubset) (int, error) {
	sub.addComponents()
	cid, desc, file, toUnicode := next, next+1, next+2, next+3
	font := sub.font
	name := sub.tag() + "+" + font.name
	f.object(typ0, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		name, cid, toUnicode))
	f.object(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "+
		"/FontDescriptor %d 0 R /W [0 [%s]] /CIDToGIDMap /Identity >>", name, desc, sub.widthArray()))
	em := func(v int16) string { return num(float64(v) * 1000 / float64(font.unitsPerEm)) }
	f.object(desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%s %s %s %s] "+
		"/ItalicAngle %s /Ascent %s /Descent %s /CapHeight %s /StemV %d /FontFile2 %d 0 R >>",
		name, em(font.bbox[0]), em(font.bbox[1]), em(font.bbox[2]), em(font.bbox[3]),
		num(font.italicAngle), em(font.ascent), em(font.descent), em(font.capHeight), font.stemV(), file))
	ttf := sub.trueType()
	if err := f.stream(file, ttf, fmt.Sprintf(" /Length1 %d", len(ttf))); err != nil {
		return 0, err
	}
	if err := f.stream(toUnicode, sub.toUnicode()); err != nil {
		return 0, err
	}
	return next + 4, nil
}

// widthArray lists every subset glyph's width in 1/1000 em, from CID 0.
func (s *fontSubset) widthArray() string {
	var b strings.Builder
	for id, g := range s.glyphs {
		if id > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, s.font.widths[g])
	}
	return b.String()
}

// stemV estimates the dominant stem width from the weight class, which is
// all a viewer substituting the font would use it for.
func (f *sfnt) stemV() int {
	return 10 + 220*(max(f.weight, 100)-50)/900
}

// toUnicode is the CMap from each code (the subset glyph number) to the
// text it was drawn for; glyphs drawn only as parts of others have none.
func (s *fontSubset) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var entries []string
	for id, r := range s.unicode {
		if r == 0 {
			continue
		}
		var dst strings.Builder
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&dst, "%04X", u)
		}
		entries = append(entries, fmt.Sprintf("<%04X> <%s>\n", id, dst.String()))
	}
	// A bfchar block holds at most 100 entries.
	for len(entries) > 0 {
		n := min(100, len(entries))
		fmt.Fprintf(&b, "%d beginbfchar\n%sendbfchar\n", n, strings.Join(entries[:n], ""))
		entries = entries[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
