package wire

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckDeviceName refuses a workstation name that could disguise itself or
// forge what an administrator reads: control characters (a newline fakes a
// row in `outpost-server devices`), bidirectional overrides and isolates
// (which reorder the text shown after them), zero-width and other invisible
// format characters, line and paragraph separators, and text that is not
// UTF-8. The error says which character, so the person can retype the name.
func CheckDeviceName(name string) error {
	trimmed := strings.TrimSpace(name)
	if trimmed == "" || utf8.RuneCountInString(trimmed) > MaxDeviceNameLen {
		return fmt.Errorf("the workstation name must be 1-%d characters", MaxDeviceNameLen)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("the workstation name is not valid text (UTF-8)")
	}
	for i, r := range name {
		if HiddenRune(r) {
			return fmt.Errorf("the workstation name may not contain control, direction-changing or invisible characters (found U+%04X at byte %d); type it again with letters, digits, spaces and punctuation only", r, i)
		}
	}
	return nil
}

// HiddenRune reports a character that is not shown as itself: anything
// not graphic (Cc controls, tab and newline included; Cf format characters:
// bidi marks, overrides, isolates, zero-width joiners, the BOM; line and
// paragraph separators; private-use, surrogate and unassigned code points),
// and the graphic ones that draw nothing (fillers, variation selectors).
func HiddenRune(r rune) bool {
	return (!unicode.IsGraphic(r) && r != ' ') || unicode.Is(blankGraphic, r)
}

// blankGraphic are letters and marks by category that render as nothing.
var blankGraphic = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x034f, Hi: 0x034f, Stride: 1}, // combining grapheme joiner
		{Lo: 0x115f, Hi: 0x1160, Stride: 1}, // Hangul fillers
		{Lo: 0x17b4, Hi: 0x17b5, Stride: 1}, // Khmer inherent vowels
		{Lo: 0x180b, Hi: 0x180f, Stride: 1}, // Mongolian variation selectors
		{Lo: 0x2800, Hi: 0x2800, Stride: 1}, // Braille blank
		{Lo: 0x3164, Hi: 0x3164, Stride: 1}, // Hangul filler
		{Lo: 0xfe00, Hi: 0xfe0f, Stride: 1}, // variation selectors
		{Lo: 0xffa0, Hi: 0xffa0, Stride: 1}, // halfwidth Hangul filler
	},
	R32: []unicode.Range32{
		{Lo: 0xe0100, Hi: 0xe01ef, Stride: 1}, // variation selectors supplement
	},
}
