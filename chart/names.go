package chart

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Invisible characters in names and other one-line text.
//
// A name is shown in lists, banners, printouts and audit lines, always as
// one line among others. Invisible Unicode format characters in it do harm
// of two kinds, and are handled by what they do:
//
//   - Characters that reorder what is displayed (bidirectional embeddings,
//     overrides and isolates, U+202A–U+202E and U+2066–U+2069) are REFUSED
//     in every one-line field. "\u202Eeoj" displays as "joe": what a person
//     reads is not what is stored, searched or printed. Silently removing
//     the character would store something other than what the person saw
//     on screen, so they are asked to retype the value.
//   - Characters with no visible effect on a name (zero-width space, word
//     joiner, byte-order mark, soft hyphen, and the left-to-right,
//     right-to-left and Arabic letter marks) are STRIPPED from names. They
//     arrive unseen when a name is pasted from a document or web page, so
//     the person cannot see what to retype; left in, "Ann\u200BSmith" would
//     not be found by a search for "annsmith" nor flagged as a duplicate.
//     Names are displayed one per line or cell, where the marks change
//     nothing.
//   - Zero-width joiner and non-joiner (U+200D, U+200C) are KEPT between two
//     letters of a script that needs them (Persian "علی‌زاده", Malayalam,
//     Devanagari, Sinhala conjuncts) and stripped elsewhere (in a Latin
//     name they are invisible and change nothing but matching).
//   - Any other format character (tag characters, interlinear annotation,
//     invisible operators…) has no place in a name and is refused.
//
// Long free text (notes, directions) keeps only the control-character rule:
// mixed-direction prose may legitimately use isolates and marks.

// isBidiControl reports whether r changes the order text is displayed in.
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// strippedInNames are invisible characters removed from names.
var strippedInNames = map[rune]bool{
	'\u200B': true, // zero-width space
	'\u2060': true, // word joiner
	'\uFEFF': true, // zero-width no-break space / byte-order mark
	'\u00AD': true, // soft hyphen
	'\u200E': true, // left-to-right mark
	'\u200F': true, // right-to-left mark
	'\u061C': true, // Arabic letter mark
}

const (
	zwnj = '\u200C'
	zwj  = '\u200D'
)

// cleanName is cleanLine for a person's name: invisible characters are
// stripped or refused as described above.
func cleanName(field, label, s string, max int, required bool) (string, error) {
	s, err := stripInvisible(field, label, s)
	if err != nil {
		return "", err
	}
	return cleanLine(field, label, s, max, required)
}

// stripInvisible applies the name rule; it leaves invalid UTF-8 for
// cleanText to report.
func stripInvisible(field, label, s string) (string, error) {
	if !utf8.ValidString(s) || !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) {
		return s, nil // the usual case: nothing to do, no allocation
	}
	runes := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range runes {
		switch {
		case !unicode.Is(unicode.Cf, r):
			b.WriteRune(r)
		case isBidiControl(r):
			return "", bidiError(field, label)
		case strippedInNames[r]:
		case r == zwj || r == zwnj:
			if joinerNeeded(runes, i) {
				b.WriteRune(r)
			}
		default:
			return "", FieldError(field, "%s contains an invisible formatting character (U+%04X); please retype it.", label, r)
		}
	}
	return b.String(), nil
}

func bidiError(field, label string) error {
	return FieldError(field, "%s contains an invisible character that changes the direction text is shown in, "+
		"so it would display differently from what is stored; please retype it.", label)
}

// joinerNeeded reports whether the joiner at runes[i] sits between two
// letters (or combining marks) and follows a letter of a script that shapes
// with joiners: anything but Latin, Greek or Cyrillic, where a joiner has no
// visible effect. Inherited combining marks (Arabic vowel signs, accents)
// are skipped to find the letter they sit on.
func joinerNeeded(runes []rune, i int) bool {
	letter := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }
	if i == 0 || i == len(runes)-1 || !letter(runes[i-1]) || !letter(runes[i+1]) {
		return false
	}
	for j := i - 1; j >= 0; j-- {
		r := runes[j]
		if unicode.Is(unicode.Inherited, r) {
			continue
		}
		return letter(r) && !unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Common)
	}
	return false
}

// ShowsAsStored reports whether s, shown on one line, reads as it is
// stored: no character that reorders the display and no control
// character. Text that arrives from elsewhere (a pull from another
// workstation, an import) is checked with it, because it did not pass this
// workstation's validation: a name written by an older or buggy Outpost
// that displays reversed would mislead whoever reads it.
func ShowsAsStored(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return isBidiControl(r) || unicode.IsControl(r) })
}

// NamesShowAsStored checks a patient's name fields with ShowsAsStored and
// names the first that does not.
func (p *Patient) NamesShowAsStored() error {
	for _, f := range []struct{ field, label, value string }{
		{"familyName", "Family name", p.FamilyName}, {"givenName", "Given name", p.GivenName},
		{"preferredName", "Preferred name", p.PreferredName},
	} {
		if !ShowsAsStored(f.value) {
			return bidiError(f.field, f.label)
		}
	}
	return nil
}
