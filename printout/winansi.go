package printout

import (
	"strings"
	"unicode/utf8"
)

// winAnsiHigh maps the characters of WinAnsiEncoding's 0x80–0x9F block,
// where it departs from Latin-1, to their byte.
var winAnsiHigh = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// lookalikes are characters outside WinAnsi that have an unambiguous
// stand-in inside it; anything else prints as '?'.
var lookalikes = map[rune]byte{
	'\u2010': '-', '\u2011': '-', '\u2212': '-', // hyphens and the minus sign
	'\u2009': ' ', '\u202F': ' ', '\u2007': ' ', // thin, narrow and figure spaces
	'\u2032': '\'', '\u2033': '"', // prime, double prime
}

// encode converts text to WinAnsi bytes for the standard fonts. Line breaks
// become '\n' and tabs a space; other control characters and invalid UTF-8
// are dropped or replaced so that no input can upset the content stream.
func encode(s string) []byte {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if b, ok := encodeRune(r, size); ok {
			out = append(out, b)
		}
	}
	return out
}

// encodeRune returns the WinAnsi byte for r, or false when r is dropped.
func encodeRune(r rune, size int) (byte, bool) {
	switch {
	case r == utf8.RuneError && size <= 1:
		return '?', true
	case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
		return '\n', true
	case r == '\t':
		return ' ', true
	case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0):
		return 0, false // control characters have no glyph
	case r == '\u200B' || r == '\uFEFF' || r == '\u00AD':
		return 0, false // zero-width and soft hyphens print as nothing
	case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
		return byte(r), true // ASCII and Latin-1 coincide with WinAnsi
	}
	if b, ok := winAnsiHigh[r]; ok {
		return b, true
	}
	if b, ok := lookalikes[r]; ok {
		return b, true
	}
	return '?', true
}

// oneLine is encode for places that hold a single line (headers, labels).
func oneLine(s string) []byte {
	b := encode(s)
	for i, c := range b {
		if c == '\n' {
			b[i] = ' '
		}
	}
	return b
}
