package printout

import (
	_ "embed"
	"fmt"
	"sync"
)

// The fonts are DejaVu Sans and DejaVu Sans Bold (fonts/LICENSE): they
// cover Latin with every diacritic, Greek, Cyrillic and Vietnamese, so a
// patient's name prints as it is written. A subset is embedded in each
// document, so any viewer or printer shows the same glyphs.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
)

// font is one of the two faces every document uses.
type font int

const (
	regular font = iota
	bold
)

// resource is the font's name in each page's resource dictionary.
func (f font) resource() string {
	if f == bold {
		return "F2"
	}
	return "F1"
}

func (f font) String() string { return f.face().name }

// loadFaces parses the embedded fonts once, on first use.
var loadFaces = sync.OnceValues(func() ([2]*sfnt, error) {
	var faces [2]*sfnt
	var err error
	if faces[regular], err = parseTrueType("DejaVuSans", dejaVuSans); err != nil {
		return faces, err
	}
	faces[bold], err = parseTrueType("DejaVuSans-Bold", dejaVuSansBold)
	return faces, err
})

// fontsReady reports whether the fonts could be read; documents check it
// before laying anything out.
func fontsReady() error {
	if _, err := loadFaces(); err != nil {
		return fmt.Errorf("read the printout font: %w", err)
	}
	return nil
}

// face returns the parsed font. Should the embedded file not parse (which
// the tests rule out), it is an empty font: every character measures as a
// missing one, and fontsReady has already refused to print.
func (f font) face() *sfnt {
	if faces, err := loadFaces(); err == nil {
		return faces[f]
	}
	return emptyFace
}

var emptyFace = &sfnt{name: "Missing", unitsPerEm: 1000, numGlyphs: 1, widths: []uint16{500}, bmp: make([]uint16, 0x10000)}

// replacementChar is what a character the font lacks prints as, and what
// text extraction gives back for it: never a silent '?'.
const replacementChar = '\uFFFD'

// glyph returns the glyph that draws r in f: the font's own, or the
// replacement character's (or the font's empty box, .notdef) when the font
// has none; printed is the character the glyph stands for.
func (s *sfnt) glyph(r rune) (g uint16, printed rune) {
	if g = s.glyphFor(r); g != 0 {
		return g, r
	}
	return s.glyphFor(replacementChar), replacementChar
}

// textWidth is the advance width in points of text set in f at size, with
// the same rounded widths the PDF gives the viewer. Kerning is ignored:
// Tj does not apply it either.
func textWidth(text string, f font, size float64) float64 {
	return float64(textUnits(text, f)) * size / 1000
}

// textUnits is the advance width of text in 1/1000 of the font size.
func textUnits(text string, f font) int {
	face := f.face()
	units := 0
	for _, r := range text {
		g, _ := face.glyph(r)
		units += int(face.widths[g])
	}
	return units
}

// prefixFitting counts the leading bytes of s, whole characters, that fit
// in width.
func prefixFitting(s string, f font, size, width float64) int {
	face := f.face()
	units := 0
	for i, r := range s {
		g, _ := face.glyph(r)
		units += int(face.widths[g])
		if float64(units)*size/1000 > width {
			return i
		}
	}
	return len(s)
}
