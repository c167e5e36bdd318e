// Package strength judges how guessable a passphrase is, with zxcvbn (an
// estimator of the guesses an attacker would need, from dictionaries of
// common passwords, names and words, keyboard patterns, dates, repeats
// and sequences), not only by its length. A stolen laptop or a copy of the
// server's disk holds every user's passphrase-wrapped secret; scrypt makes
// each guess cost about a second, and this check makes sure that the
// number of guesses needed is large.
package strength

import (
	"strings"
	"unicode"

	"github.com/trustelem/zxcvbn"
)

// MinGuesses is the fewest guesses a passphrase may need (zxcvbn's score 3,
// "safely unguessable: moderate protection from an offline slow-hash
// scenario"): at scrypt's second per guess, over three years of one core.
const MinGuesses = 1e8

// Verdict is the estimate for one passphrase.
type Verdict struct {
	Guesses float64
	Weak    bool
	// Why names the pattern that made it weak, for the person choosing it.
	Why string
}

// Judge estimates passphrase, counting anything in personal (the
// practice's name, the username, the person's name) as known to an
// attacker.
func Judge(passphrase string, personal ...string) Verdict {
	r := zxcvbn.PasswordStrength(passphrase, words(personal))
	v := Verdict{Guesses: r.Guesses, Weak: r.Guesses < MinGuesses}
	if v.Weak {
		v.Why = why(r)
	}
	return v
}

// words splits the personal inputs into the words zxcvbn matches against.
func words(personal []string) []string {
	var out []string
	for _, p := range personal {
		out = append(out, strings.ToLower(p))
		out = append(out, strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	return out
}

// why names the weakest pattern zxcvbn found.
func why(r zxcvbn.Result) string {
	for _, m := range r.Sequence {
		switch m.Pattern {
		case "dictionary":
			if m.DictionaryName == "user_inputs" {
				return "it is built from your name, username or the practice's name"
			}
			return "it is built from common passwords or words"
		case "spatial":
			return "it follows a keyboard pattern"
		case "repeat":
			return "it repeats characters or words"
		case "sequence":
			return "it is a sequence such as abc or 123"
		case "date":
			return "it contains a date"
		}
	}
	return "it is too short or too common"
}
