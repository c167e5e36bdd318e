package fhir

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
)

// scanner walks JSON text that encoding/json has already accepted, without
// building a tree: the reader uses it to find a resource's type, id and
// patient, and the checks use it to visit every member once. It never
// allocates for what it skips, so a pass over a resource costs about as
// much as copying it.
type scanner struct {
	data []byte
	pos  int
	// idx, when not nil, is where the members of some of data's objects
	// are (the validator's record of a Bundle entry): members visits those
	// without walking them.
	idx *objIndex
}

var errScan = errors.New("fhir: malformed JSON in scanner")

// ws passes white space.
func (s *scanner) ws() { s.pos = afterSpace(s.data, s.pos) }

// afterSpace is where the white space at data[i:] ends. Pretty-printed
// FHIR is about 30% indentation: it passes runs of spaces eight at a time.
func afterSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ':
			for i+8 <= len(data) && binary.LittleEndian.Uint64(data[i:]) == eightSpaces {
				i += 8
			}
			for i < len(data) && data[i] == ' ' {
				i++
			}
		case '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

const eightSpaces = 0x2020202020202020

// peek is the next significant byte (0 at the end).
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// skip passes over one value of any kind.
func (s *scanner) skip() error {
	switch s.peek() {
	case '{', '[':
		data, i, depth := s.data, s.pos, 0
		for i < len(data) {
			// Only quotes and brackets matter inside: pass the rest in a
			// tight loop, as valueEnd does.
			for i < len(data) && !structural[data[i]] {
				i++
			}
			if i == len(data) {
				break
			}
			c := data[i]
			i++
			switch c {
			case '"':
				end, ok := stringEnd(data, i)
				if !ok {
					s.pos = i
					return errScan
				}
				i = end
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.pos = i
					return nil
				}
			}
		}
		s.pos = i
		return errScan
	case '"':
		_, _, err := s.rawString()
		return err
	case 0:
		return errScan
	default:
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return nil
			}
			s.pos++
		}
		return nil
	}
}

// rawString reads a string at pos and returns its bytes between the
// quotes (still escaped) and whether it holds escapes.
func (s *scanner) rawString() ([]byte, bool, error) {
	if s.peek() != '"' {
		return nil, false, errScan
	}
	start := s.pos + 1
	end, ok := stringEnd(s.data, start)
	if !ok {
		return nil, false, errScan
	}
	s.pos = end
	raw := s.data[start : end-1]
	return raw, bytes.IndexByte(raw, '\\') >= 0, nil
}

// stringEnd is the offset just past the closing quote of the string whose
// contents start at data[i], found a quote at a time (most of a FHIR
// resource is in strings: narratives, base64, codes).
func stringEnd(data []byte, i int) (int, bool) {
	for {
		j := bytes.IndexByte(data[i:], '"')
		if j < 0 {
			return 0, false
		}
		i += j
		if !escapedQuote(data, i) {
			return i + 1, true
		}
		i++
	}
}

// str reads a string value, unescaped.
func (s *scanner) str() (string, error) {
	raw, escaped, err := s.rawString()
	if err != nil || !escaped {
		return string(raw), err
	}
	var out string
	err = json.Unmarshal(s.data[s.pos-len(raw)-2:s.pos], &out)
	return out, err
}

// members calls fn for each member of the object at pos, with the scanner
// positioned at the member's value; fn must consume the value (or return
// false to have it skipped). keyAt is the offset of the key's opening quote.
func (s *scanner) members(fn func(key string, keyAt int) (consumed bool, err error)) error {
	if s.peek() != '{' {
		return errScan
	}
	if obj, ok := s.idx.object(s.pos); ok {
		return s.indexedMembers(obj, fn)
	}
	s.pos++
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		keyAt := s.pos
		key, err := s.str()
		if err != nil {
			return err
		}
		if s.peek() != ':' {
			return errScan
		}
		s.pos++
		s.ws()
		consumed, err := fn(key, keyAt)
		if err != nil {
			return err
		}
		if !consumed {
			if err := s.skip(); err != nil {
				return err
			}
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return errScan
		}
	}
}

// indexedMembers is members for an object the index holds: each member's
// key is read where the index says, fn is called at its value, and a value
// fn leaves is passed by moving to its end, not by skipping it. fn sees
// the same keys and values in the same order as the walk would show it
// (keyAt is the key's opening quote), and the scanner ends past the
// object, as the walk ends. A value fn consumes must end where the index
// says (it does for JSON the validator accepted); else errScan.
func (s *scanner) indexedMembers(obj int, fn func(key string, keyAt int) (consumed bool, err error)) error {
	for _, m := range s.idx.members {
		if m.obj != obj {
			continue
		}
		s.pos = m.key
		key, err := s.str()
		if err != nil {
			return err
		}
		s.pos = m.value
		consumed, err := fn(key, m.key)
		if err != nil {
			return err
		}
		if consumed && s.pos != m.end {
			return errScan
		}
		s.pos = m.end
	}
	s.pos = s.idx.objects[obj].end
	return nil
}

// elements calls fn for each element of the array at pos, positioned at
// the element; fn must consume it.
func (s *scanner) elements(fn func(i int) error) error {
	if s.peek() != '[' {
		return errScan
	}
	s.pos++
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		s.ws()
		if err := fn(i); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return errScan
		}
	}
}

// head is what the reader picks out of a resource without decoding it:
// its type, id, and the reference of its subject, patient or beneficiary
// (the patient it is about).
type head struct {
	typ, id, about string
}

// topLevel reads the head of the resource in raw.
func topLevel(raw []byte) (typ, id, about string, err error) {
	s := scanner{data: raw}
	h, err := s.head()
	return h.typ, h.id, h.about, err
}

// head reads the resource object at pos, consuming it.
func (s *scanner) head() (head, error) {
	var h head
	err := s.members(func(key string, _ int) (bool, error) {
		var err error
		switch {
		case key == "resourceType" && s.peek() == '"':
			h.typ, err = s.str()
		case key == "id" && s.peek() == '"':
			h.id, err = s.str()
		case (key == "subject" || key == "patient" || key == "beneficiary") && s.peek() == '{' && h.about == "":
			h.about, err = s.referenceIn()
		default:
			return false, nil
		}
		return true, err
	})
	return h, err
}

// referenceIn reads a Reference object and returns its "reference".
func (s *scanner) referenceIn() (string, error) {
	ref := ""
	err := s.members(func(key string, _ int) (bool, error) {
		if key == "reference" && s.peek() == '"' {
			v, err := s.str()
			ref = v
			return true, err
		}
		return false, nil
	})
	return ref, err
}

// Contained finds the resource contained in raw under the local id (a
// "#id" reference), without decoding raw.
func Contained(raw []byte, id string) (Resource, bool) {
	var found Resource
	s := scanner{data: raw}
	_ = s.members(func(key string, _ int) (bool, error) {
		if key != "contained" || s.peek() != '[' || found.Raw != nil {
			return false, nil
		}
		return true, s.elements(func(int) error {
			start := s.pos
			if err := s.skip(); err != nil {
				return err
			}
			r := raw[start:s.pos]
			if typ, rid, _, err := topLevel(r); err == nil && rid == id && found.Raw == nil {
				found = Resource{Type: typ, ID: rid, Raw: r}
			}
			return nil
		})
	})
	return found, found.Raw != nil
}

// AppendCompact appends raw to dst without the white space between its
// tokens, for a decoder that steps through every byte (encoding/json:
// pretty-printed FHIR is about 30% indentation). Only white space beside
// a bracket, colon or comma goes, so two values that white space keeps
// apart stay apart: what was not valid JSON stays invalid, and what was
// decodes to the same values. Strings are copied as they are.
func AppendCompact(dst, raw []byte) []byte {
	start := len(dst)
	for i := 0; i < len(raw); {
		switch c := raw[i]; {
		case c == '"':
			end, ok := stringEnd(raw, i+1)
			if !ok {
				return append(dst, raw[i:]...)
			}
			dst, i = append(dst, raw[i:end]...), end
		case isSpace(c):
			j := i + 1
			for j < len(raw) && isSpace(raw[j]) {
				j++
			}
			between := len(dst) > start && !punctuation(dst[len(dst)-1]) && j < len(raw) && !punctuation(raw[j])
			if between {
				dst = append(dst, raw[i:j]...)
			}
			i = j
		default:
			j := i + 1
			for j < len(raw) && !isSpace(raw[j]) && raw[j] != '"' {
				j++
			}
			dst, i = append(dst, raw[i:j]...), j
		}
	}
	return dst
}

// WriteOneLine writes raw, a resource's JSON, to text on one line and
// without its indentation: each line break goes, with the white space on
// both sides of it. JSON never holds a raw line break inside a string (it
// must be escaped), so in valid JSON (every resource the reader passes)
// that white space is between tokens and no value changes; pretty-printed
// FHIR is about 30% indentation. Where it alone keeps two tokens apart
// (never in valid JSON) one space stays. White space within a line
// (after a colon) stays; the bytes between line breaks are written a run
// at a time. Unlike AppendCompact it does not follow strings: of JSON
// that is not valid only one line is promised.
func WriteOneLine(text *strings.Builder, raw []byte) {
	breaks := "\n"
	if bytes.IndexByte(raw, '\r') >= 0 { // rare: only CRLF (or CR) files
		breaks = "\r\n"
	}
	for {
		i := bytes.IndexByte(raw, '\n')
		if len(breaks) > 1 {
			i = bytes.IndexAny(raw, breaks)
		}
		if i < 0 {
			text.Write(raw)
			return
		}
		end := i
		for end > 0 && isSpace(raw[end-1]) {
			end--
		}
		text.Write(raw[:end])
		next := afterSpace(raw, i+1)
		if end > 0 && next < len(raw) && !punctuation(raw[end-1]) && !punctuation(raw[next]) {
			text.WriteByte(' ')
		}
		raw = raw[next:]
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func punctuation(c byte) bool {
	return c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ','
}
