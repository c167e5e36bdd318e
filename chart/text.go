package chart

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field length limits. Generous for real names and addresses, small enough
// that a pasted document is refused instead of silently stored.
const (
	MaxNameLen       = 100
	MaxShortTextLen  = 200
	MaxLongTextLen   = 2000
	MinPassphraseLen = 10
	MaxPassphraseLen = 1024
)

// cleanText trims surrounding space and refuses control characters, invalid
// UTF-8 and values over max runes. label is the field's human name.
func cleanText(field, label string, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", FieldError(field, "%s contains characters that are not valid text.", label)
	}
	if required && s == "" {
		return "", FieldError(field, "%s is required.", label)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", FieldError(field, "%s is too long (%d characters; the limit is %d).", label, n, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return "", FieldError(field, "%s contains a control character; please retype it.", label)
		}
	}
	return s, nil
}

// cleanLine is cleanText for single-line fields: newlines are refused too,
// and so are the characters that reorder how a line is displayed (see
// names.go for why).
func cleanLine(field, label, s string, max int, required bool) (string, error) {
	s, err := cleanText(field, label, s, max, required)
	switch {
	case err != nil:
		return "", err
	case strings.ContainsAny(s, "\n\t"):
		return "", FieldError(field, "%s must be on one line.", label)
	case strings.ContainsFunc(s, isBidiControl):
		return "", bidiError(field, label)
	}
	return s, nil
}

// ValidatePassphrase checks a new passphrase's length. Length beats
// composition rules for passphrases people can remember.
func ValidatePassphrase(field, p string) error {
	n := utf8.RuneCountInString(p)
	switch {
	case n < MinPassphraseLen:
		return FieldError(field, "The passphrase must be at least %d characters; a few words work well.", MinPassphraseLen)
	case len(p) > MaxPassphraseLen:
		return FieldError(field, "The passphrase is too long (the limit is %d bytes).", MaxPassphraseLen)
	case !utf8.ValidString(p):
		return FieldError(field, "The passphrase contains characters that are not valid text.")
	}
	return nil
}
