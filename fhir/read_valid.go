package fhir

import (
	"encoding/binary"
	"encoding/json"
)

// isValidJSON says whether b is one JSON value, as json.Valid does, at a
// fraction of its cost on FHIR's long strings: json.Valid steps a state
// machine through a function call per byte, where this checks a string's
// bytes in a tight loop. It was most of the first pass's reading. Anything
// this checker does not accept is asked of json.Valid, so a value it gets
// wrong could only be slower, never misread: it must only never accept
// what json.Valid refuses (FuzzValidJSONAgreesWithEncodingJSON).
func isValidJSON(b []byte) bool {
	v := validator{b: b}
	v.ws()
	return (v.value(0) && v.ws() && v.i == len(b)) || json.Valid(b)
}

// validEnd is where the object, array or string starting at buf[i] ends
// when it is valid JSON whole within buf; false for any other value, one
// that runs past buf's end, or one the validator refuses (the caller then
// finds its end and its verdict the long way: valueEnd, then isValidJSON).
// It is the stream's one walk over an entry: for such a value valueEnd
// finds the same end (its brackets and quotes are balanced and nothing of
// it is past them), and isValidJSON of those bytes says true.
//
// When idx is not nil it is filled, as the walk goes, with where the
// members of the value's objects at the first two levels are (the
// entry's, its resource's), so that a scanner need not walk them again
// (see objIndex); it is emptied when the answer is false.
func validEnd(buf []byte, i int, idx *objIndex) (int, bool) {
	if c := buf[i]; c != '{' && c != '[' && c != '"' {
		return 0, false // a number or literal ends at what follows it
	}
	if idx != nil {
		idx.reset()
	}
	v := validator{b: buf, i: i, base: i, idx: idx}
	ok := v.value(0)
	if !ok && idx != nil {
		idx.reset()
	}
	return v.i, ok
}

type validator struct {
	b []byte
	i int
	// base is where the value began, idx (when not nil) what validEnd
	// records of it, at offsets from base.
	base int
	idx  *objIndex
}

// maxDepth is json.Valid's nesting limit; deeper is left to it.
const maxDepth = 10000

// plainInString marks the bytes a string holds as they are: not the
// closing quote, not a backslash, not a control character.
var plainInString = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// ws skips white space; it always reports true, to chain.
func (v *validator) ws() bool {
	v.i = afterSpace(v.b, v.i)
	return true
}

func (v *validator) value(depth int) bool {
	if v.i >= len(v.b) {
		return false
	}
	switch c := v.b[v.i]; {
	case c == '"':
		return v.str()
	case (c == '{' || c == '[') && depth >= maxDepth:
		return false
	case c == '{':
		return v.object(depth + 1)
	case c == '[':
		return v.array(depth + 1)
	case c == 't':
		return v.literal("true")
	case c == 'f':
		return v.literal("false")
	case c == 'n':
		return v.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return v.number()
	}
	return false
}

func (v *validator) literal(word string) bool {
	if len(v.b)-v.i < len(word) || string(v.b[v.i:v.i+len(word)]) != word {
		return false
	}
	v.i += len(word)
	return true
}

func (v *validator) object(depth int) bool {
	obj := -1
	if v.idx != nil && depth <= indexedDepth {
		obj = v.idx.open(v.i - v.base)
	}
	v.i++ // {
	v.ws()
	if v.i < len(v.b) && v.b[v.i] == '}' {
		v.i++
		v.closed(obj)
		return true
	}
	for {
		keyAt := v.i
		if v.i >= len(v.b) || v.b[v.i] != '"' || !v.str() {
			return false
		}
		v.ws()
		if v.i >= len(v.b) || v.b[v.i] != ':' {
			return false
		}
		v.i++
		v.ws()
		valueAt := v.i
		if !v.value(depth) {
			return false
		}
		if obj >= 0 {
			v.idx.members = append(v.idx.members, indexedMember{obj, keyAt - v.base, valueAt - v.base, v.i - v.base})
		}
		if another, ok := v.separator('}'); !another {
			if ok {
				v.closed(obj)
			}
			return ok
		}
	}
}

// closed records where the indexed object obj (-1: none) ends.
func (v *validator) closed(obj int) {
	if obj >= 0 {
		v.idx.objects[obj].end = v.i - v.base
	}
}

func (v *validator) array(depth int) bool {
	v.i++ // [
	v.ws()
	if v.i < len(v.b) && v.b[v.i] == ']' {
		v.i++
		return true
	}
	for {
		if !v.value(depth) {
			return false
		}
		if another, ok := v.separator(']'); !another {
			return ok
		}
	}
}

// separator reads what follows a member or an element: a comma (another
// follows) or the closing bracket.
func (v *validator) separator(closing byte) (another, ok bool) {
	v.ws()
	if v.i >= len(v.b) {
		return false, false
	}
	switch v.b[v.i] {
	case ',':
		v.i++
		v.ws()
		return true, true
	case closing:
		v.i++
		return false, true
	}
	return false, false
}

// str reads a string from its opening quote.
func (v *validator) str() bool {
	v.i++
	for {
		// Eight bytes at a time while none of them is special (narratives
		// and base64 are long runs of plain bytes), then a byte at a time.
		for v.i+8 <= len(v.b) && !specialInEight(binary.LittleEndian.Uint64(v.b[v.i:])) {
			v.i += 8
		}
		for v.i < len(v.b) && plainInString[v.b[v.i]] {
			v.i++
		}
		if v.i >= len(v.b) {
			return false
		}
		switch v.b[v.i] {
		case '"':
			v.i++
			return true
		case '\\':
			if !v.escape() {
				return false
			}
		default: // a control character
			return false
		}
	}
}

// specialInEight says whether any of the eight bytes in x (a string's,
// little-endian) is not plainInString: a quote, a backslash or a control
// character. Each test is the exact "some byte is below n" bit trick: the
// lowest such byte always sets its high bit in the result, and no byte sets
// one unless some byte at or below it is such a byte.
func specialInEight(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := func(x uint64, n uint64) uint64 { return (x - n*ones) &^ x & highs }
	return below(x, 0x20)|below(x^('"'*ones), 1)|below(x^('\\'*ones), 1) != 0
}

func (v *validator) escape() bool {
	v.i++ // backslash
	if v.i >= len(v.b) {
		return false
	}
	switch v.b[v.i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		v.i++
		return true
	case 'u':
		if len(v.b)-v.i < 5 {
			return false
		}
		for _, h := range v.b[v.i+1 : v.i+5] {
			if !isHex(h) {
				return false
			}
		}
		v.i += 5
		return true
	}
	return false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (v *validator) number() bool {
	if v.b[v.i] == '-' {
		v.i++
	}
	switch {
	case v.i < len(v.b) && v.b[v.i] == '0':
		v.i++
	case v.digits() == 0:
		return false
	}
	if v.i < len(v.b) && v.b[v.i] == '.' {
		v.i++
		if v.digits() == 0 {
			return false
		}
	}
	if v.i < len(v.b) && (v.b[v.i] == 'e' || v.b[v.i] == 'E') {
		v.i++
		if v.i < len(v.b) && (v.b[v.i] == '+' || v.b[v.i] == '-') {
			v.i++
		}
		if v.digits() == 0 {
			return false
		}
	}
	return true
}

func (v *validator) digits() int {
	start := v.i
	for v.i < len(v.b) && v.b[v.i] >= '0' && v.b[v.i] <= '9' {
		v.i++
	}
	return v.i - start
}
