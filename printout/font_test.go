package printout

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"

	"outpost/codes"
)

// The metrics below were read from the two files' hmtx and cmap tables
// with a separate script, not with this package's parser.
func TestEmbeddedFontMetrics(t *testing.T) {
	for _, tc := range []struct {
		f           font
		r           rune
		glyph       uint16
		fontUnits   int // advance in the font's 2048 units per em
		thousandths uint16
	}{
		{regular, ' ', 3, 651, 318}, {regular, 'A', 36, 1401, 684}, {regular, 'a', 68, 1255, 613},
		{regular, 'W', 58, 2025, 989}, {regular, 'i', 76, 569, 278}, {regular, 'Α', 807, 1401, 684},
		{regular, 'а', 965, 1255, 613}, {regular, 'ễ', 2499, 1260, 615}, {regular, '…', 2825, 2048, 1000},
		{bold, ' ', 3, 713, 348}, {bold, 'A', 36, 1585, 774}, {bold, 'W', 58, 2259, 1103},
		{bold, 'i', 76, 702, 343}, {bold, 'ễ', 2499, 1389, 678},
	} {
		face := tc.f.face()
		g, printed := face.glyph(tc.r)
		adv, _ := face.hMetric(g)
		if g != tc.glyph || printed != tc.r || int(adv) != tc.fontUnits || face.widths[g] != tc.thousandths {
			t.Errorf("%s %q: glyph %d advance %d width %d, want glyph %d advance %d width %d",
				tc.f, tc.r, g, adv, face.widths[g], tc.glyph, tc.fontUnits, tc.thousandths)
		}
	}
	if got := textWidth("Aa", regular, 10); got != 12.97 {
		t.Errorf("width of Aa at 10 pt = %v, want 12.97", got)
	}
	if regular.face().unitsPerEm != 2048 || regular.String() != "DejaVuSans" || bold.String() != "DejaVuSans-Bold" {
		t.Errorf("fonts: %s %s, %d units per em", regular, bold, regular.face().unitsPerEm)
	}
}

// A character the font lacks measures and draws as U+FFFD, which DejaVu
// Sans has.
func TestMissingCharacterUsesReplacementGlyph(t *testing.T) {
	face := regular.face()
	g, printed := face.glyph('💉')
	if want := face.glyphFor(replacementChar); g != want || want == 0 || printed != replacementChar {
		t.Errorf("💉 draws glyph %d for %q, want the replacement glyph %d", g, printed, want)
	}
	if textWidth("💉", regular, 10) != textWidth("\uFFFD", regular, 10) {
		t.Error("a missing character does not measure as its replacement")
	}
}

// The parser reads the format 12 character map; the format 4 map of the
// same font, the one older fonts have alone, must agree with it.
func TestCharacterMapFormatsAgree(t *testing.T) {
	face := regular.face()
	cmap := face.tables["cmap"]
	var format4 []byte
	for i := range int(binary.BigEndian.Uint16(cmap[2:])) {
		rec := cmap[4+8*i:]
		off := binary.BigEndian.Uint32(rec[4:])
		if binary.BigEndian.Uint16(rec) == 3 && binary.BigEndian.Uint16(rec[2:]) == 1 {
			format4 = cmap[off:]
		}
	}
	if format4 == nil || binary.BigEndian.Uint16(format4) != 4 {
		t.Fatal("DejaVu Sans has no Windows format 4 map")
	}
	old := &sfnt{numGlyphs: face.numGlyphs, bmp: make([]uint16, 0x10000), astral: map[rune]uint16{}}
	if err := old.parseCmap4(format4); err != nil {
		t.Fatal(err)
	}
	mapped := 0
	for r := range 0xFFFF {
		if old.bmp[r] != face.bmp[r] {
			t.Fatalf("U+%04X: format 4 gives glyph %d, format 12 glyph %d", r, old.bmp[r], face.bmp[r])
		}
		if face.bmp[r] != 0 {
			mapped++
		}
	}
	if mapped < 5000 {
		t.Errorf("only %d characters mapped", mapped)
	}
}

// A subset is a valid TrueType file holding exactly the glyphs drawn and
// the components of the composite ones, renumbered, each with its own
// outline and metrics.
func TestSubsetRoundTrip(t *testing.T) {
	face := regular.face()
	sub := newFontSubset(face)
	for _, r := range "Αθηνά Ἀθηνᾶ Nguyễn Thị Hương Ǻ é 💉" {
		g, printed := face.glyph(r)
		sub.use(g, printed)
	}
	drawn := len(sub.glyphs)
	sub.addComponents()
	if len(sub.glyphs) == drawn {
		t.Fatal("no composite glyph among the test characters: the test exercises nothing")
	}
	file := sub.trueType()
	if sum := checksum(file); sum != 0xB1B0AFBA {
		t.Errorf("file checksum %#x, want 0xB1B0AFBA (head.checkSumAdjustment)", sum)
	}
	back, err := parseOutlines("subset", file)
	if err != nil {
		t.Fatal(err)
	}
	if back.numGlyphs != len(sub.glyphs) {
		t.Fatalf("subset has %d glyphs, want %d", back.numGlyphs, len(sub.glyphs))
	}
	composites := 0
	for id, orig := range sub.glyphs {
		gotAdv, gotLSB := back.hMetric(uint16(id))
		wantAdv, wantLSB := face.hMetric(orig)
		if gotAdv != wantAdv || gotLSB != wantLSB {
			t.Errorf("glyph %d (was %d): metrics %d/%d, want %d/%d", id, orig, gotAdv, gotLSB, wantAdv, wantLSB)
		}
		got, want := back.outline(uint16(id)), face.outline(orig)
		if len(want) >= 10 && int16(binary.BigEndian.Uint16(want)) < 0 {
			composites++
			var gotParts, wantParts []uint16
			forEachComponent(got, func(_ int, g uint16) { gotParts = append(gotParts, sub.glyphs[g]) })
			forEachComponent(want, func(_ int, g uint16) { wantParts = append(wantParts, g) })
			if !slices.Equal(gotParts, wantParts) {
				t.Errorf("glyph %d: components %v, want %v", id, gotParts, wantParts)
			}
			continue
		}
		// Simple glyphs keep their contours and points; only the hinting
		// instructions go.
		if len(want) > 0 && !bytes.Equal(got[:10], want[:10]) || len(got) > len(want)+3 {
			t.Errorf("glyph %d (was %d): outline changed", id, orig)
		}
	}
	if composites == 0 {
		t.Error("no composite glyph in the subset")
	}
	if len(file) > 40<<10 {
		t.Errorf("subset of %d glyphs is %d bytes", len(sub.glyphs), len(file))
	}
}

// The font's licence asks that its notice travel with every copy: the
// app's About screen shows codes.Attribution.
func TestFontAttributionShipsWithTheApp(t *testing.T) {
	assertContains(t, "codes.Attribution", codes.Attribution, "DejaVu", "Bitstream", "Tavmjong Bah", "DejaVu changes are in public domain")
}
