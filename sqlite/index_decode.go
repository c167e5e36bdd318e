package sqlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"outpost/chart"
)

// The sign-in index needs a few fields of each patient (indexedPatient),
// and decoding the whole record with encoding/json was half the CPU of
// opening 50,000 of them. decodeIndexed reads those fields with a scanner
// over the top-level object and skips the rest. Whenever the record is not
// the plain shape json.Marshal writes (escapes in a key, a key that only
// case-folds to a wanted one, a wanted value that is not a string), it
// hands the record to encoding/json instead, so the index never holds
// what a full decode would not have given. The plaintext was authenticated
// by Open first: it is what a workstation with the key sealed.

// errSlowPath: the scanner leaves this record to encoding/json.
var errSlowPath = errors.New("record left to the full decoder")

// indexedStrings are the string fields of chart.Patient the index reads
// (chart.NewPatientIndex), by JSON key.
var indexedStrings = map[string]func(*chart.Patient) *string{
	"id":            func(p *chart.Patient) *string { return (*string)(&p.ID) },
	"mrn":           func(p *chart.Patient) *string { return &p.MRN },
	"givenName":     func(p *chart.Patient) *string { return &p.GivenName },
	"familyName":    func(p *chart.Patient) *string { return &p.FamilyName },
	"preferredName": func(p *chart.Patient) *string { return &p.PreferredName },
	"birthDate":     func(p *chart.Patient) *string { return &p.BirthDate },
	"sex":           func(p *chart.Patient) *string { return (*string)(&p.Sex) },
	"phone":         func(p *chart.Patient) *string { return &p.Phone },
}

// indexedRaw are the other fields the index reads (the identifiers, when
// the record was updated, and what chart.Patient.Summary makes of its
// status: inactive, deceased, merged into another chart), decoded by
// encoding/json from their raw value. TestDecodeIndexedKeepsTheSummary
// fails when the summary reads a field missing here.
var indexedRaw = map[string]func(*chart.Patient, []byte) error{
	"identifiers": func(p *chart.Patient, raw []byte) error {
		p.Identifiers = nil
		return json.Unmarshal(raw, &p.Identifiers)
	},
	"updatedAt": func(p *chart.Patient, raw []byte) error { return p.UpdatedAt.UnmarshalJSON(raw) },
	"inactive":  func(p *chart.Patient, raw []byte) error { return json.Unmarshal(raw, &p.Inactive) },
	"deceased":  func(p *chart.Patient, raw []byte) error { return json.Unmarshal(raw, &p.Deceased) },
	"merged": func(p *chart.Patient, raw []byte) error {
		p.Merged = nil
		return json.Unmarshal(raw, &p.Merged)
	},
}

// decodeIndexed decodes what the index needs of a patient record: the
// fields above; every other field is left zero.
func decodeIndexed(pt []byte) (chart.Patient, error) {
	p, err := scanIndexed(pt)
	if errors.Is(err, errSlowPath) {
		var full chart.Patient
		if err := json.Unmarshal(pt, &full); err != nil {
			return chart.Patient{}, err
		}
		return indexedPart(&full), nil
	}
	return p, err
}

// indexedPart keeps of p what decodeIndexed decodes.
func indexedPart(p *chart.Patient) chart.Patient {
	out := chart.Patient{Identifiers: p.Identifiers, UpdatedAt: p.UpdatedAt, Inactive: p.Inactive,
		Deceased: p.Deceased, Merged: p.Merged}
	for _, field := range indexedStrings {
		*field(&out) = *field(p)
	}
	return out
}

func scanIndexed(pt []byte) (chart.Patient, error) {
	var p chart.Patient
	s := jsonScanner{b: pt}
	if !s.consume('{') {
		return p, errSlowPath
	}
	if s.consume('}') {
		return p, s.end()
	}
	for {
		key, ok := s.plainKey()
		if !ok || !s.consume(':') {
			return p, errSlowPath
		}
		if err := s.field(&p, key); err != nil {
			return p, err
		}
		if s.consume(',') {
			continue
		}
		if s.consume('}') {
			return p, s.end()
		}
		return p, errSlowPath
	}
}

// field reads the value of key into p, or skips it.
func (s *jsonScanner) field(p *chart.Patient, key []byte) error {
	if dst, ok := indexedStrings[string(key)]; ok { // no allocation: the compiler looks up the bytes
		if s.literal("null") { // encoding/json leaves the field as it was
			return nil
		}
		v, ok := s.stringValue()
		if !ok {
			return errSlowPath
		}
		*dst(p) = v
		return nil
	}
	raw, ok := s.skipValue()
	if !ok {
		return errSlowPath
	}
	if decode, ok := indexedRaw[string(key)]; ok {
		return decode(p, raw)
	}
	if foldsToIndexed(key) {
		return errSlowPath
	}
	return nil
}

// foldsToIndexed reports whether encoding/json would read key into a field
// the index needs, though it is not spelled exactly as its tag. An ASCII
// key is lowered and looked up; any other (rare) is compared by Unicode
// folding, as encoding/json does (the long s folds to s).
func foldsToIndexed(key []byte) bool {
	var lower [32]byte
	if len(key) > len(lower) {
		return false // longer than any indexed key
	}
	for i, c := range key {
		if c >= utf8.RuneSelf {
			return foldsSlowly(key)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return loweredIndexed[string(lower[:len(key)])]
}

func foldsSlowly(key []byte) bool {
	for k := range loweredIndexed {
		if bytes.EqualFold(key, []byte(k)) {
			return true
		}
	}
	return false
}

// loweredIndexed holds every key decodeIndexed reads, lowered.
var loweredIndexed = func() map[string]bool {
	m := map[string]bool{}
	for k := range indexedRaw {
		m[strings.ToLower(k)] = true
	}
	for k := range indexedStrings {
		m[strings.ToLower(k)] = true
	}
	return m
}()

// jsonScanner reads JSON text from b at i.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// consume skips white space and then c, reporting whether c was there.
func (s *jsonScanner) consume(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *jsonScanner) literal(lit string) bool {
	s.space()
	if bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
		s.i += len(lit)
		return true
	}
	return false
}

// end checks that nothing but white space follows the object.
func (s *jsonScanner) end() error {
	s.space()
	if s.i != len(s.b) {
		return errSlowPath
	}
	return nil
}

// rawString returns the quoted string at i, quotes included, and whether
// it holds an escape.
func (s *jsonScanner) rawString() (raw []byte, escaped, ok bool) {
	s.space()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false, false
	}
	for j := s.i + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '\\':
			escaped = true
			j++
		case c == '"':
			raw, s.i = s.b[s.i:j+1], j+1
			return raw, escaped, true
		case c < 0x20: // encoding/json refuses control characters in strings
			return nil, false, false
		}
	}
	return nil, false, false
}

// plainKey reads a string without escapes or invalid UTF-8 (what
// json.Marshal writes for a key), unquoted.
func (s *jsonScanner) plainKey() ([]byte, bool) {
	raw, escaped, ok := s.rawString()
	if !ok || escaped || !utf8.Valid(raw) {
		return nil, false
	}
	return raw[1 : len(raw)-1], true
}

// stringValue reads a string, unescaping it as encoding/json does.
func (s *jsonScanner) stringValue() (string, bool) {
	raw, escaped, ok := s.rawString()
	if !ok {
		return "", false
	}
	if !escaped && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), true
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", false
	}
	return v, true
}

// skipValue passes over one value (nested objects and arrays included)
// and returns its text. It checks the nesting and strings, not the
// spelling of numbers and literals: the record was authenticated.
func (s *jsonScanner) skipValue() ([]byte, bool) {
	s.space()
	start := s.i
	depth := 0
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case '"':
			if _, _, ok := s.rawString(); !ok {
				return nil, false
			}
			if depth == 0 {
				return s.b[start:s.i], true
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return s.b[start:s.i], s.i > start
			}
			depth--
			if depth == 0 {
				s.i++
				return s.b[start:s.i], true
			}
		case ',':
			if depth == 0 {
				return s.b[start:s.i], s.i > start
			}
		}
		s.i++
	}
	return s.b[start:s.i], depth == 0 && s.i > start
}
