package printout

import (
	"bytes"
	"encoding/binary"
	"hash/fnv"
	"slices"
)

// fontSubset collects the glyphs one document draws in one font and
// writes a TrueType file holding only those. Glyphs are renumbered in the
// order they are first drawn; the new number is also the character code
// in the content stream (Identity-H) and the CID (CIDToGIDMap /Identity).
type fontSubset struct {
	font    *sfnt
	newID   []uint16 // by original glyph: its number in the subset; 0 = not yet used (or .notdef)
	glyphs  []uint16 // by subset number: the original glyph
	unicode []rune   // by subset number: the text it stands for; 0 = none (components)
}

func newFontSubset(f *sfnt) *fontSubset {
	return &fontSubset{font: f, newID: make([]uint16, f.numGlyphs), glyphs: []uint16{0}, unicode: []rune{0}}
}

// use returns the subset number of glyph g, adding it on first use; r is
// the character it is drawn for, for the ToUnicode map.
func (s *fontSubset) use(g uint16, r rune) uint16 {
	if g == 0 {
		if s.unicode[0] == 0 {
			s.unicode[0] = r
		}
		return 0
	}
	if id := s.newID[g]; id != 0 {
		return id
	}
	id := uint16(len(s.glyphs))
	s.newID[g] = id
	s.glyphs = append(s.glyphs, g)
	s.unicode = append(s.unicode, r)
	return id
}

// addComponents adds the glyphs that composite glyphs are built from
// ("é" draws "e" and the acute accent), which text never names itself.
func (s *fontSubset) addComponents() {
	for i := 0; i < len(s.glyphs); i++ { // grows as components are found
		forEachComponent(s.font.outline(s.glyphs[i]), func(at int, g uint16) {
			s.use(g, 0)
		})
	}
}

// Composite glyph flags (the TrueType glyf table).
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	haveInstruction = 0x0100
)

// forEachComponent calls fn with the offset of each component's flags and
// its glyph, when data is a composite glyph; it returns the length of the
// component records (where any instructions begin).
func forEachComponent(data []byte, fn func(at int, g uint16)) int {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return len(data)
	}
	at := 10
	for at+4 <= len(data) {
		flags := binary.BigEndian.Uint16(data[at:])
		fn(at, binary.BigEndian.Uint16(data[at+2:]))
		next := at + 4 + 2
		if flags&argsAreWords != 0 {
			next += 2
		}
		switch {
		case flags&haveScale != 0:
			next += 2
		case flags&haveXYScale != 0:
			next += 4
		case flags&haveTwoByTwo != 0:
			next += 8
		}
		at = next
		if flags&moreComponents == 0 {
			break
		}
	}
	return min(at, len(data))
}

// glyphData returns subset glyph id's outline with its components
// renumbered and its hinting instructions dropped: viewers and printers
// rasterise PDF text at their own resolution, and the instructions (with
// the fpgm, prep and cvt tables they need) would double the file.
func (s *fontSubset) glyphData(id int) []byte {
	data := bytes.Clone(s.font.outline(s.glyphs[id]))
	if len(data) < 10 {
		return nil
	}
	contours := int(int16(binary.BigEndian.Uint16(data)))
	if contours < 0 {
		end := forEachComponent(data, func(at int, g uint16) {
			flags := binary.BigEndian.Uint16(data[at:]) &^ haveInstruction
			binary.BigEndian.PutUint16(data[at:], flags)
			binary.BigEndian.PutUint16(data[at+2:], s.newID[g])
		})
		return data[:end]
	}
	lenAt := 10 + 2*contours
	if lenAt+2 > len(data) {
		return data
	}
	n := int(binary.BigEndian.Uint16(data[lenAt:]))
	if lenAt+2+n > len(data) {
		return data
	}
	out := append(data[:lenAt:lenAt], 0, 0)
	return append(out, data[lenAt+2+n:]...)
}

// tag is the six capital letters that name a subset ("ABCDEF+DejaVuSans"):
// derived from the glyphs, so the same text gives the same file.
func (s *fontSubset) tag() string {
	h := fnv.New64a()
	for _, g := range s.glyphs {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum64()
	b := make([]byte, 6)
	for i := range b {
		b[i] = 'A' + byte(sum%26)
		sum /= 26
	}
	return string(b)
}

// trueType writes the subset as a TrueType file with the tables a PDF
// CIDFontType2 needs: outlines, metrics and the font-wide headers. It has
// no cmap: the PDF maps codes to glyphs itself.
func (s *fontSubset) trueType() []byte {
	f := s.font
	var glyf bytes.Buffer
	loca := make([]byte, 4*(len(s.glyphs)+1))
	hmtx := make([]byte, 4*len(s.glyphs))
	for id, g := range s.glyphs {
		binary.BigEndian.PutUint32(loca[4*id:], uint32(glyf.Len()))
		glyf.Write(s.glyphData(id))
		for glyf.Len()%4 != 0 {
			glyf.WriteByte(0)
		}
		adv, lsb := f.hMetric(g)
		binary.BigEndian.PutUint16(hmtx[4*id:], adv)
		binary.BigEndian.PutUint16(hmtx[4*id+2:], uint16(lsb))
	}
	binary.BigEndian.PutUint32(loca[4*len(s.glyphs):], uint32(glyf.Len()))

	head := bytes.Clone(f.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // long loca offsets
	hhea := bytes.Clone(f.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(s.glyphs)))
	maxp := bytes.Clone(f.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(s.glyphs)))
	tables := map[string][]byte{"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx, "loca": loca, "glyf": glyf.Bytes()}
	if post, ok := f.tables["post"]; ok && len(post) >= 32 {
		// Version 3 keeps the metrics and drops the glyph names.
		p := append(bytes.Clone(post[:16]), make([]byte, 16)...)
		binary.BigEndian.PutUint32(p, 0x00030000)
		tables["post"] = p
	}
	if os2, ok := f.tables["OS/2"]; ok {
		tables["OS/2"] = os2
	}
	out := writeSfnt(tables)
	binary.BigEndian.PutUint32(out[headOffset(out):][8:], 0xB1B0AFBA-checksum(out))
	return out
}

// writeSfnt lays out an sfnt file: the table directory, sorted by tag,
// then each table padded to four bytes.
func writeSfnt(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	n := len(tags)
	pow := 1
	for pow*2 <= n {
		pow *= 2
	}
	log := 0
	for 1<<(log+1) <= pow {
		log++
	}
	var buf bytes.Buffer
	hdr := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(hdr, 0x00010000)
	binary.BigEndian.PutUint16(hdr[4:], uint16(n))
	binary.BigEndian.PutUint16(hdr[6:], uint16(16*pow))
	binary.BigEndian.PutUint16(hdr[8:], uint16(log))
	binary.BigEndian.PutUint16(hdr[10:], uint16(16*n-16*pow))
	offset := len(hdr)
	for i, t := range tags {
		rec := hdr[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], checksum(tables[t]))
		binary.BigEndian.PutUint32(rec[8:], uint32(offset))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(tables[t])))
		offset += (len(tables[t]) + 3) &^ 3
	}
	buf.Write(hdr)
	for _, t := range tags {
		buf.Write(tables[t])
		for buf.Len()%4 != 0 {
			buf.WriteByte(0)
		}
	}
	return buf.Bytes()
}

// headOffset finds the head table in a file writeSfnt made.
func headOffset(file []byte) int {
	n := int(binary.BigEndian.Uint16(file[4:]))
	for i := range n {
		rec := file[12+16*i:]
		if string(rec[:4]) == "head" {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	return 0
}

// checksum is the sfnt checksum: the sum of big-endian 32-bit words, the
// last one padded with zeros.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
