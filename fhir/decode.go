package fhir

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

//go:generate go run ./internal/decodegen

// Unmarshal decodes one resource's JSON into v, a pointer to a zero value,
// exactly as json.Unmarshal would: the same values, the same error.
//
// The mapper decodes every resource it maps, and encoding/json spends most
// of that time in reflection and in a validity pass over every byte before
// decoding. For the R4 types of this package a decoder written for them
// (decode_r4_*.go, generated from the types by decodegen) reads the common
// case in one pass without reflection. It gives up, and json.Unmarshal
// decides, on anything where its answer could differ: invalid JSON, a
// value of another JSON type than the field's (null included), a member
// name given twice or in another case than the tag's, escapes it does not
// read (surrogates), bytes that are not UTF-8, numbers an int field would
// refuse. So the result is json.Unmarshal's by construction, not by
// imitation, and the differential tests check that over every fixture.
//
// v must point to a zero value (a fresh variable): json.Unmarshal would
// merge into a value already set, which the fast path does not.
func Unmarshal(data []byte, v any) error {
	if UnmarshalFast(data, v) {
		return nil
	}
	return json.Unmarshal(data, v)
}

// UnmarshalFast is Unmarshal's fast path alone: it decodes data into v (a
// pointer to a zero value) and reports true when it reads it exactly as
// json.Unmarshal would, and otherwise reports false with *v zero again,
// for the caller to hand data to encoding/json (compacted, if that suits
// it: white space between tokens changes nothing it decodes into these
// types but a json.RawMessage, BundleEntry.Resource, which keeps its
// bytes as written).
func UnmarshalFast(data []byte, v any) bool {
	d := decoder{scanner: scanner{data: data}, ok: true}
	if decodeKnown(&d, v) && d.end() {
		return true
	}
	resetKnown(v)
	return false
}

// decoder is a cursor over one JSON document. ok turns false at the first
// thing it does not read exactly as encoding/json would; every method is a
// no-op after that, so the generated code needs no error paths.
type decoder struct {
	scanner // the cursor, and its white space and peek
	ok      bool
	// depth guards skip's recursion; json.Unmarshal answers deeper input.
	depth int
	// names holds the member names of the objects being read, innermost
	// last: a name given twice in one object goes to encoding/json, which
	// merges the two values.
	names [][]byte
}

const maxSkipDepth = 200

func (d *decoder) fail() { d.ok = false }

// end reports whether the document was read whole with nothing after it.
func (d *decoder) end() bool {
	return d.ok && d.peek() == 0 && d.pos == len(d.data)
}

// object reads an object, calling member for each name with the cursor on
// its value. member returns false for a name it does not know; such a
// member is skipped unless its name could match a field in another case
// (folded lists the type's names in lower case), where encoding/json would
// decode it. A nil member skips every member (skip's objects).
func (d *decoder) object(folded []string, member func(name []byte) bool) {
	if !d.ok || d.peek() != '{' {
		d.fail()
		return
	}
	d.pos++
	if d.peek() == '}' {
		d.pos++
		return
	}
	mark := len(d.names)
	defer func() { d.names = d.names[:mark] }()
	for d.ok {
		name := d.name()
		if !d.ok || d.peek() != ':' {
			d.fail()
			return
		}
		for _, n := range d.names[mark:] {
			if string(n) == string(name) {
				d.fail()
				return
			}
		}
		d.names = append(d.names, name)
		d.pos++
		d.ws()
		if member == nil {
			d.skip()
		} else if !member(name) {
			if mayFold(name, folded) {
				d.fail()
				return
			}
			d.skip()
		}
		switch d.peek() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return
		default:
			d.fail()
		}
	}
}

// name reads a member name with no escapes (an escaped name goes to
// encoding/json).
func (d *decoder) name() []byte {
	if d.peek() != '"' {
		d.fail()
		return nil
	}
	start := d.pos + 1
	for j := start; j < len(d.data); j++ {
		switch c := d.data[j]; {
		case c == '"':
			d.pos = j + 1
			return d.data[start:j]
		case c == '\\' || c < 0x20:
			d.fail()
			return nil
		}
	}
	d.fail()
	return nil
}

// mayFold reports whether encoding/json could take name for one of the
// fields (it matches names case-insensitively, with Unicode folding for
// bytes above ASCII).
func mayFold(name []byte, folded []string) bool {
	for _, c := range name {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	for _, f := range folded {
		if len(f) != len(name) {
			continue
		}
		same := true
		for k := range len(f) {
			c := name[k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != f[k] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// array reads an array, calling elem with the cursor on each element. It
// reports whether the array was read (an empty one included).
func (d *decoder) array(elem func()) bool {
	if !d.ok || d.peek() != '[' {
		d.fail()
		return false
	}
	d.pos++
	if d.peek() == ']' {
		d.pos++
		return true
	}
	for d.ok {
		elem()
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return d.ok
		default:
			d.fail()
		}
	}
	return false
}

// str reads a string into p.
func (d *decoder) str(p *string) {
	if s, ok := d.stringValue(); ok {
		*p = s
	}
}

func (d *decoder) strPtr(p **string) {
	if s, ok := d.stringValue(); ok {
		*p = &s
	}
}

// strings reads an array of strings; an empty array is an empty slice,
// not nil, as encoding/json leaves it.
func (d *decoder) strings(p *[]string) {
	list := []string{}
	if d.array(func() {
		if s, ok := d.stringValue(); ok {
			list = append(list, s)
		}
	}) {
		*p = list
	}
}

func (d *decoder) stringValue() (string, bool) {
	if !d.ok || d.peek() != '"' {
		d.fail()
		return "", false
	}
	start := d.pos + 1
	ascii := true
	for j := start; j < len(d.data); j++ {
		switch c := d.data[j]; {
		case c == '"':
			s := d.data[start:j]
			if !ascii && !utf8.Valid(s) {
				d.fail() // encoding/json puts U+FFFD in; let it
				return "", false
			}
			d.pos = j + 1
			return string(s), true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			d.fail()
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	d.fail()
	return "", false
}

// escaped reads a string holding escapes, from its first byte at start.
func (d *decoder) escaped(start int) (string, bool) {
	buf := make([]byte, 0, 64)
	j := start
	for j < len(d.data) {
		c := d.data[j]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				d.fail()
				return "", false
			}
			d.pos = j + 1
			return string(buf), true
		case c < 0x20:
			d.fail()
			return "", false
		case c != '\\':
			buf = append(buf, c)
			j++
			continue
		}
		if j+1 >= len(d.data) {
			break
		}
		switch e := d.data[j+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(d.data[j+2:])
			if !ok || utf8.RuneLen(r) < 0 { // surrogates: encoding/json pairs them
				d.fail()
				return "", false
			}
			buf = utf8.AppendRune(buf, r)
			j += 4
		default:
			d.fail()
			return "", false
		}
		j += 2
	}
	d.fail()
	return "", false
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

func (d *decoder) boolean(p *bool) {
	if !d.ok {
		return
	}
	d.ws()
	switch {
	case d.literal("true"):
		*p = true
	case d.literal("false"):
		*p = false
	default:
		d.fail()
	}
}

func (d *decoder) boolPtr(p **bool) {
	var b bool
	if d.boolean(&b); d.ok {
		*p = &b
	}
}

// literal consumes word if the input holds it next, as a whole token.
func (d *decoder) literal(word string) bool {
	end := d.pos + len(word)
	if end > len(d.data) || string(d.data[d.pos:end]) != word {
		return false
	}
	if end < len(d.data) && isWordByte(d.data[end]) {
		return false
	}
	d.pos = end
	return true
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '+'
}

// numberText reads a JSON number as written.
func (d *decoder) numberText() ([]byte, bool) {
	if !d.ok {
		return nil, false
	}
	d.ws()
	start := d.pos
	if n := numberLen(d.data[start:]); n > 0 && (start+n == len(d.data) || !isWordByte(d.data[start+n])) {
		d.pos = start + n
		return d.data[start:d.pos], true
	}
	d.fail()
	return nil, false
}

// numberLen is the length of the JSON number b starts with, or 0.
func numberLen(b []byte) int {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return 0
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	return i
}

func (d *decoder) number(p *json.Number) {
	if s, ok := d.numberText(); ok {
		*p = json.Number(s)
	}
}

// int64Value reads an integer written without fraction or exponent (any
// other number goes to encoding/json, which refuses it for an int).
func (d *decoder) int64Value() (int64, bool) {
	s, ok := d.numberText()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(s), 10, 64)
	if err != nil {
		d.fail()
		return 0, false
	}
	return n, true
}

func (d *decoder) integer(p *int) {
	if n, ok := d.int64Value(); ok && int64(int(n)) == n {
		*p = int(n)
	} else {
		d.fail()
	}
}

func (d *decoder) intPtr(p **int) {
	var n int
	if d.integer(&n); d.ok {
		*p = &n
	}
}

func (d *decoder) long(p *int64) {
	if n, ok := d.int64Value(); ok {
		*p = n
	}
}

// raw copies the next value as written (json.RawMessage's own decoding).
func (d *decoder) raw(p *json.RawMessage) {
	d.ws()
	start := d.pos
	if d.peek() == 'n' { // null: RawMessage's answer is encoding/json's to give
		d.fail()
		return
	}
	if d.skip(); d.ok {
		*p = append(json.RawMessage(nil), d.data[start:d.pos]...)
	}
}

// skip passes one value of any type, checking it is valid JSON.
func (d *decoder) skip() {
	if !d.ok {
		return
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxSkipDepth {
		d.fail()
		return
	}
	switch d.peek() {
	case '{':
		d.object(nil, nil)
	case '[':
		d.array(d.skip)
	case '"':
		d.skipString()
	case 't':
		d.word("true")
	case 'f':
		d.word("false")
	case 'n':
		d.word("null")
	default:
		d.numberText()
	}
}

func (d *decoder) word(w string) {
	if !d.literal(w) {
		d.fail()
	}
}

// skipString passes a string, checking its escapes (encoding/json accepts
// any other bytes from 0x20 up in a string it does not decode).
func (d *decoder) skipString() {
	for j := d.pos + 1; j < len(d.data); j++ {
		switch c := d.data[j]; {
		case c == '"':
			d.pos = j + 1
			return
		case c < 0x20:
			d.fail()
			return
		case c == '\\':
			if j+1 >= len(d.data) {
				d.fail()
				return
			}
			switch d.data[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				if _, ok := hex4(d.data[j+2:]); !ok {
					d.fail()
					return
				}
				j += 5
			default:
				d.fail()
				return
			}
		}
	}
	d.fail()
}
