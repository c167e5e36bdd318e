package printout

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// sfnt is a parsed TrueType font: what measuring text and embedding a
// subset need, and nothing else (no shaping, no kerning: Tj applies
// neither).
type sfnt struct {
	name       string // PostScript name, the PDF BaseFont
	unitsPerEm int
	numGlyphs  int
	tables     map[string][]byte

	longMetrics int    // hhea.numberOfHMetrics
	hmtx        []byte // advance and left side bearing per glyph
	loca        []uint32
	glyf        []byte

	// widths is each glyph's advance in 1/1000 em, rounded: the numbers
	// the PDF's /W array carries, so layout and viewer agree exactly.
	widths []uint16
	bmp    []uint16        // glyph of each code point below U+10000; 0 = none
	astral map[rune]uint16 // glyphs of the supplementary planes

	bbox                       [4]int16 // in font units
	ascent, descent, capHeight int16
	italicAngle                float64
	weight                     int // OS/2 usWeightClass: 400 regular, 700 bold
}

var errShortFont = errors.New("the font file is truncated or damaged")

// parseTrueType reads a TrueType (glyf-outline) font file.
func parseTrueType(name string, data []byte) (*sfnt, error) {
	f, err := parseOutlines(name, data)
	if err != nil {
		return nil, err
	}
	for _, step := range []func() error{f.parseCmap, f.parseOS2} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("font %s: %w", name, err)
		}
	}
	return f, nil
}

// parseOutlines reads the glyphs and their metrics, all that a subset
// (which has no character map) holds.
func parseOutlines(name string, data []byte) (*sfnt, error) {
	f := &sfnt{name: name, tables: map[string][]byte{}}
	if len(data) < 12 || binary.BigEndian.Uint32(data) != 0x00010000 {
		return nil, errors.New("not a TrueType font file")
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errShortFont
	}
	for i := range n {
		rec := data[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, fmt.Errorf("table %q: %w", rec[:4], errShortFont)
		}
		f.tables[string(rec[:4])] = data[off : off+length]
	}
	for _, step := range []func() error{f.parseHead, f.parseMetrics, f.parseLoca} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("font %s: %w", name, err)
		}
	}
	return f, nil
}

// table returns a table that must be at least min bytes long.
func (f *sfnt) table(tag string, min int) ([]byte, error) {
	t, ok := f.tables[tag]
	if !ok {
		return nil, fmt.Errorf("no %q table", tag)
	}
	if len(t) < min {
		return nil, fmt.Errorf("table %q: %w", tag, errShortFont)
	}
	return t, nil
}

func (f *sfnt) parseHead() error {
	head, err := f.table("head", 54)
	if err != nil {
		return err
	}
	maxp, err := f.table("maxp", 6)
	if err != nil {
		return err
	}
	f.unitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	if f.unitsPerEm < 16 {
		return errors.New("bad unitsPerEm")
	}
	for i := range f.bbox {
		f.bbox[i] = int16(binary.BigEndian.Uint16(head[36+2*i:]))
	}
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	if post, ok := f.tables["post"]; ok && len(post) >= 8 {
		f.italicAngle = float64(int32(binary.BigEndian.Uint32(post[4:]))) / 65536
	}
	return nil
}

// parseMetrics reads every glyph's advance from hmtx; glyphs past the last
// long metric share its advance.
func (f *sfnt) parseMetrics() error {
	hhea, err := f.table("hhea", 36)
	if err != nil {
		return err
	}
	f.ascent = int16(binary.BigEndian.Uint16(hhea[4:]))
	f.descent = int16(binary.BigEndian.Uint16(hhea[6:]))
	f.longMetrics = int(binary.BigEndian.Uint16(hhea[34:]))
	if f.longMetrics < 1 || f.longMetrics > f.numGlyphs {
		return errors.New("bad numberOfHMetrics")
	}
	if f.hmtx, err = f.table("hmtx", 4*f.longMetrics+2*(f.numGlyphs-f.longMetrics)); err != nil {
		return err
	}
	f.widths = make([]uint16, f.numGlyphs)
	for g := range f.widths {
		adv, _ := f.hMetric(uint16(g))
		f.widths[g] = uint16((int(adv)*1000 + f.unitsPerEm/2) / f.unitsPerEm)
	}
	return nil
}

// hMetric returns glyph g's advance and left side bearing in font units.
func (f *sfnt) hMetric(g uint16) (advance uint16, lsb int16) {
	if int(g) < f.longMetrics {
		return binary.BigEndian.Uint16(f.hmtx[4*int(g):]), int16(binary.BigEndian.Uint16(f.hmtx[4*int(g)+2:]))
	}
	advance = binary.BigEndian.Uint16(f.hmtx[4*(f.longMetrics-1):])
	return advance, int16(binary.BigEndian.Uint16(f.hmtx[4*f.longMetrics+2*(int(g)-f.longMetrics):]))
}

func (f *sfnt) parseLoca() error {
	head := f.tables["head"]
	long := binary.BigEndian.Uint16(head[50:]) == 1
	size := 2
	if long {
		size = 4
	}
	loca, err := f.table("loca", size*(f.numGlyphs+1))
	if err != nil {
		return err
	}
	if f.glyf, err = f.table("glyf", 0); err != nil {
		return err
	}
	f.loca = make([]uint32, f.numGlyphs+1)
	for i := range f.loca {
		if long {
			f.loca[i] = binary.BigEndian.Uint32(loca[4*i:])
		} else {
			f.loca[i] = 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
		}
		if f.loca[i] > uint32(len(f.glyf)) || (i > 0 && f.loca[i] < f.loca[i-1]) {
			return fmt.Errorf("loca entry %d: %w", i, errShortFont)
		}
	}
	return nil
}

// outline returns glyph g's outline data (empty for blank glyphs).
func (f *sfnt) outline(g uint16) []byte {
	if int(g) >= f.numGlyphs {
		return nil
	}
	return f.glyf[f.loca[g]:f.loca[g+1]]
}

func (f *sfnt) parseOS2() error {
	os2, ok := f.tables["OS/2"]
	f.capHeight = f.ascent * 7 / 10 // a fair guess where OS/2 does not say
	f.weight = 400
	if !ok || len(os2) < 10 {
		return nil
	}
	f.weight = int(binary.BigEndian.Uint16(os2[4:]))
	// fsType: bit 1 forbids embedding, bit 8 subsetting. The fonts are
	// committed, so this fails the tests, never a user.
	if fsType := binary.BigEndian.Uint16(os2[8:]); fsType&0x0002 != 0 || fsType&0x0100 != 0 {
		return fmt.Errorf("licence flags (fsType %#x) forbid embedding a subset", fsType)
	}
	if binary.BigEndian.Uint16(os2) >= 2 && len(os2) >= 90 {
		f.capHeight = int16(binary.BigEndian.Uint16(os2[88:]))
	}
	return nil
}

// parseCmap reads the Unicode character map: format 12 (full Unicode)
// where the font has one, else format 4 (the Basic Multilingual Plane).
func (f *sfnt) parseCmap() error {
	cmap, err := f.table("cmap", 4)
	if err != nil {
		return err
	}
	var best []byte
	bestRank := 0
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := range n {
		rec := cmap[min(len(cmap), 4+8*i):]
		if len(rec) < 8 {
			return fmt.Errorf("cmap: %w", errShortFont)
		}
		platform, encoding := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if off+4 > len(cmap) {
			return fmt.Errorf("cmap: %w", errShortFont)
		}
		sub := cmap[off:]
		format := binary.BigEndian.Uint16(sub)
		rank := 0
		switch {
		case format == 12 && (platform == 3 && encoding == 10 || platform == 0):
			rank = 2
		case format == 4 && (platform == 3 && encoding == 1 || platform == 0):
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = sub, rank
		}
	}
	f.bmp = make([]uint16, 0x10000)
	f.astral = map[rune]uint16{}
	switch bestRank {
	case 2:
		return f.parseCmap12(best)
	case 1:
		return f.parseCmap4(best)
	}
	return errors.New("no Unicode character map")
}

func (f *sfnt) setGlyph(r rune, g uint32) {
	if g == 0 || g >= uint32(f.numGlyphs) {
		return
	}
	if r < 0x10000 {
		f.bmp[r] = uint16(g)
	} else {
		f.astral[r] = uint16(g)
	}
}

func (f *sfnt) parseCmap4(sub []byte) error {
	if len(sub) < 14 {
		return fmt.Errorf("cmap format 4: %w", errShortFont)
	}
	segs := int(binary.BigEndian.Uint16(sub[6:])) / 2
	if len(sub) < 16+8*segs {
		return fmt.Errorf("cmap format 4: %w", errShortFont)
	}
	ends, starts := sub[14:], sub[16+2*segs:]
	deltas, rangeOffsets := sub[16+4*segs:], sub[16+6*segs:]
	for i := range segs {
		start, end := int(binary.BigEndian.Uint16(starts[2*i:])), int(binary.BigEndian.Uint16(ends[2*i:]))
		delta := int(binary.BigEndian.Uint16(deltas[2*i:]))
		ro := int(binary.BigEndian.Uint16(rangeOffsets[2*i:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			if ro == 0 {
				f.setGlyph(rune(c), uint32((c+delta)&0xFFFF))
				continue
			}
			// idRangeOffset counts bytes from its own position in the table.
			at := 16 + 6*segs + 2*i + ro + 2*(c-start)
			if at+2 > len(sub) {
				return fmt.Errorf("cmap format 4: %w", errShortFont)
			}
			if g := int(binary.BigEndian.Uint16(sub[at:])); g != 0 {
				f.setGlyph(rune(c), uint32((g+delta)&0xFFFF))
			}
		}
	}
	return nil
}

func (f *sfnt) parseCmap12(sub []byte) error {
	if len(sub) < 16 {
		return fmt.Errorf("cmap format 12: %w", errShortFont)
	}
	groups := int(binary.BigEndian.Uint32(sub[12:]))
	if groups > (len(sub)-16)/12 {
		return fmt.Errorf("cmap format 12: %w", errShortFont)
	}
	for i := range groups {
		g := sub[16+12*i:]
		start, end, glyph := binary.BigEndian.Uint32(g), binary.BigEndian.Uint32(g[4:]), binary.BigEndian.Uint32(g[8:])
		if end > 0x10FFFF || start > end || end-start > uint32(f.numGlyphs) {
			return errors.New("cmap format 12: bad character range")
		}
		for c := start; c <= end; c++ {
			f.setGlyph(rune(c), glyph+c-start)
		}
	}
	return nil
}

// glyphFor returns the glyph of r, or 0 (.notdef) when the font has none.
func (f *sfnt) glyphFor(r rune) uint16 {
	if r >= 0 && r < 0x10000 {
		return f.bmp[r]
	}
	return f.astral[r]
}
