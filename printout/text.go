package printout

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// clean prepares chart text for paper. Line breaks become '\n' and tabs a
// space; control and invisible formatting characters (soft hyphens,
// zero-width spaces, direction marks, emoji variation selectors) are
// dropped, and invalid UTF-8 becomes U+FFFD, so no input can upset the
// layout. Text is composed (NFC): a name typed as "e" plus combining
// accents prints with the font's precomposed "ễ" and is extracted as typed
// elsewhere.
func clean(s string) string {
	if isPlain(s) {
		return s
	}
	s = norm.NFC.String(strings.ToValidUTF8(s, string(replacementChar)))
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case invisible(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII and needs no cleaning: most
// chart text is, and skipping the copy keeps long documents fast.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F {
			return false
		}
	}
	return true
}

// invisible reports control characters and those Unicode says a renderer
// may ignore; printed as replacement boxes they would only confuse.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// oneLine is clean for places that hold a single line (headers, labels).
func oneLine(s string) string {
	return strings.ReplaceAll(clean(s), "\n", " ")
}
