package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// jsonReader walks one JSON document: the top-level object's members are
// read one by one, and a Bundle's entries one entry at a time, so a 60 MB
// Bundle is never held as a whole.
type jsonReader struct {
	st   *stream
	mode readMode
	name string
	fn   func(Entry) error
	info FileInfo
	typ  string
	// members keeps the top-level members other than entry (small: id,
	// type, meta…) to rebuild a lone resource, or a Bundle's own fields.
	members []member
	// pending holds entries met before resourceType said this is a Bundle
	// (rare: resourceType comes first in every exporter we know).
	pending []json.RawMessage
	entries int
	// fullURLs finds an entry whose fullUrl repeats an earlier one.
	fullURLs map[string]int
}

type member struct {
	key string
	raw json.RawMessage
}

func readJSON(r io.Reader, name string, mode readMode, fn func(Entry) error) (FileInfo, error) {
	jr := &jsonReader{st: newStream(r), mode: mode, name: name, fn: fn}
	jr.st.trusted = mode.trusted
	err := jr.document()
	return jr.info, err
}

// fail turns a reading error into a Problem located at its line.
func (jr *jsonReader) fail(err error, entry int) error {
	var se *streamError
	switch {
	case errors.As(err, new(*Problem)):
		return err
	case errors.As(err, &se):
		return &Problem{At: Location{File: jr.name, Line: jr.st.lineAt(se.at), Entry: entry}, Severity: SeverityError,
			Rule: "json-syntax", Message: "not valid JSON: " + se.msg + syntaxHint(se.msg)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		p, _ := jsonProblem(err, Location{File: jr.name, Entry: entry}, nil)
		p.At.Line = jr.st.lineAt(jr.st.base + int64(len(jr.st.buf)))
		return p
	}
	return fmt.Errorf("read %s: %w", jr.name, err)
}

func (jr *jsonReader) document() error {
	switch c := jr.st.next(); c {
	case '{':
		jr.st.pos++
	case '[', '"', 't', 'f', 'n', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return &Problem{At: Location{File: jr.name, Line: jr.st.lineAt(jr.st.offset()), Entry: -1}, Severity: SeverityError,
			Rule: "json-structure", Message: "a FHIR JSON file must hold one object (a resource or a Bundle)"}
	default:
		return jr.fail(jr.st.unexpected(c, "looking for beginning of value"), -1)
	}
	if jr.st.next() == '}' {
		jr.st.pos++
	} else if err := jr.objectMembers(); err != nil {
		return err
	}
	if c := jr.st.next(); c != 0 {
		return &Problem{At: Location{File: jr.name, Line: jr.st.lineAt(jr.st.offset()), Entry: -1}, Severity: SeverityError,
			Rule: "json-syntax", Message: "more than one JSON value in the file (if it is Bulk Data, name it .ndjson)"}
	}
	if jr.st.err != nil {
		return jr.fail(jr.st.err, -1)
	}
	return jr.finish()
}

// objectMembers reads the top-level members up to the closing brace.
func (jr *jsonReader) objectMembers() error {
	for {
		if c := jr.st.next(); c != '"' {
			return jr.fail(jr.st.unexpected(c, "looking for beginning of object key string"), -1)
		}
		raw, err := jr.st.value()
		if err != nil {
			return jr.fail(err, -1)
		}
		var key string
		_ = json.Unmarshal(raw, &key)
		if err := jr.st.expect(':', "after object key"); err != nil {
			return jr.fail(err, -1)
		}
		if err := jr.member(key); err != nil {
			return err
		}
		switch c := jr.st.next(); c {
		case ',':
			jr.st.pos++
		case '}':
			jr.st.pos++
			return nil
		default:
			return jr.fail(jr.st.unexpected(c, "after object key:value pair"), -1)
		}
	}
}

func (jr *jsonReader) member(key string) error {
	if key == "entry" && jr.typ == "Bundle" {
		return jr.entries_()
	}
	raw, err := jr.st.value()
	if err != nil {
		return jr.fail(err, -1)
	}
	raw = bytes.Clone(raw) // kept past the next read
	if key == "resourceType" {
		_ = json.Unmarshal(raw, &jr.typ)
		if jr.typ == "Bundle" && len(jr.pending) > 0 {
			return jr.flushPending()
		}
	}
	if key == "entry" && jr.typ == "" {
		jr.pending = append(jr.pending, raw)
	}
	jr.members = append(jr.members, member{key, raw})
	return nil
}

// entries_ streams the entry array: one entry's bytes at a time.
func (jr *jsonReader) entries_() error {
	if c := jr.st.next(); c != '[' {
		return &Problem{At: Location{File: jr.name, Line: jr.st.lineAt(jr.st.offset()), Entry: -1},
			Severity: SeverityError, Rule: "json-structure", Message: "Bundle.entry must be a JSON array"}
	}
	jr.st.pos++
	if jr.st.next() == ']' {
		jr.st.pos++
		return nil
	}
	for {
		raw, err := jr.st.value()
		if err != nil {
			return jr.fail(err, jr.entries)
		}
		if !jr.mode.borrowed {
			raw = bytes.Clone(raw)
		}
		if err := jr.entry(raw, &jr.st.index); err != nil {
			return err
		}
		switch c := jr.st.next(); c {
		case ',':
			jr.st.pos++
		case ']':
			jr.st.pos++
			return nil
		default:
			return jr.fail(jr.st.unexpected(c, "after array element"), jr.entries)
		}
	}
}

func (jr *jsonReader) flushPending() error {
	for _, arr := range jr.pending {
		var entries []json.RawMessage
		if err := json.Unmarshal(arr, &entries); err != nil {
			return jr.fail(err, -1)
		}
		for _, raw := range entries {
			if err := jr.entry(raw, nil); err != nil {
				return err
			}
		}
	}
	jr.pending = nil
	return nil
}

// entry hands out one Bundle entry's resource. The stream has checked
// the entry's JSON, so the scanner picks out its members without a second
// decoding (and, given the validator's index of it, without a second
// walk): the resource is a slice of the entry's bytes, not a copy.
func (jr *jsonReader) entry(raw json.RawMessage, idx *objIndex) error {
	at := Location{File: jr.name, Entry: jr.entries}
	jr.entries++
	e, h, err := bundleEntry(raw, idx)
	if err != nil {
		return &Problem{At: at, Severity: SeverityError, Rule: "json-structure",
			Message: "a Bundle entry must be an object whose resource is an object and request has method and url"}
	}
	if e.Resource == nil {
		// A search result or a DELETE entry carries no resource: nothing to read.
		return nil
	}
	ent := entryWith(e.Resource, h, e.FullURL, e.Request, at)
	jr.checkFullURL(e.FullURL, at)
	jr.info.Entries++
	return jr.fn(ent)
}

// bundleEntry picks an entry's members out of raw: with idx (the
// validator's record of raw, or nil) it visits them without walking raw.
func bundleEntry(raw []byte, idx *objIndex) (BundleEntry, head, error) {
	var e BundleEntry
	var h head
	s := scanner{data: raw, idx: idx}
	err := s.members(func(key string, _ int) (bool, error) {
		switch key {
		case "fullUrl":
			if s.peek() == '"' {
				v, err := s.str()
				e.FullURL = v
				return true, err
			}
		case "resource":
			switch s.peek() {
			case '{':
				start := s.pos
				var err error
				h, err = s.head()
				e.Resource = raw[start:s.pos]
				return true, err
			case 'n': // null
			default:
				return true, errScan
			}
		case "request":
			start := s.pos
			if err := s.skip(); err != nil {
				return true, err
			}
			e.Request = &BundleRequest{}
			if !plainRequest(raw[start:s.pos], e.Request) {
				return true, json.Unmarshal(raw[start:s.pos], e.Request)
			}
			return true, nil
		}
		return false, nil
	})
	return e, h, err
}

// plainRequest reads a Bundle entry's request the common way it is
// written (an object of string members under their exact names) into req,
// as json.Unmarshal would; false leaves it to json.Unmarshal (null, a
// name in another case, a value that is not a string), which decides as
// before. Every transaction entry has a request: unmarshalling each was
// about 2% of an import's CPU.
func plainRequest(raw []byte, req *BundleRequest) bool {
	if !utf8.Valid(raw) {
		return false // json.Unmarshal puts U+FFFD for what is not UTF-8
	}
	s := scanner{data: raw}
	var got BundleRequest
	err := s.members(func(key string, _ int) (bool, error) {
		var field *string
		switch key {
		case "method":
			field = &got.Method
		case "url":
			field = &got.URL
		case "ifNoneExist":
			field = &got.IfNoneExist
		default:
			if requestNameFolds(key) {
				return true, errScan
			}
			return false, nil
		}
		if s.peek() != '"' {
			return true, errScan
		}
		v, err := s.str()
		*field = v
		return true, err
	})
	if err != nil || s.peek() != 0 {
		return false
	}
	*req = got
	return true
}

// requestNameFolds says whether json.Unmarshal might take key for one of
// BundleRequest's fields (it matches names without regard to case).
func requestNameFolds(key string) bool {
	for _, name := range []string{"method", "url", "ifNoneExist"} {
		if strings.EqualFold(key, name) {
			return true
		}
	}
	for i := 0; i < len(key); i++ {
		if key[i] >= 0x80 {
			return true // json folds some letters beyond ASCII (ſ, K)
		}
	}
	return false
}

// finish hands out a lone resource (a file that is not a Bundle) and
// records the format.
func (jr *jsonReader) finish() error {
	if jr.typ == "Bundle" {
		btype := ""
		for _, m := range jr.members {
			if m.key == "type" {
				_ = json.Unmarshal(m.raw, &btype)
			}
		}
		jr.info.Format = "bundle:" + btype
		return nil
	}
	jr.info.Format = "resource"
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range jr.members {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		fmt.Fprintf(&b, "%s:%s", k, m.raw)
	}
	b.WriteByte('}')
	ent, p := entryOf(b.Bytes(), "", nil, Location{File: jr.name, Entry: -1})
	if p != nil {
		return p
	}
	jr.info.Entries = 1
	return jr.fn(ent)
}

// checkFullURL warns of a fullUrl that is relative or repeats another
// entry's: references to it may then find the wrong resource.
func (jr *jsonReader) checkFullURL(u string, at Location) {
	if u == "" {
		return
	}
	warn := func(msg string) {
		jr.info.Warnings = append(jr.info.Warnings, Problem{At: at, Severity: SeverityWarning, Rule: "bundle-reference", Message: msg})
	}
	if !strings.Contains(u, ":") {
		warn(fmt.Sprintf("fullUrl %q should be an absolute URL or urn:uuid; read relative to the import", u))
	}
	if jr.fullURLs == nil {
		jr.fullURLs = map[string]int{}
	}
	if first, dup := jr.fullURLs[u]; dup {
		warn(fmt.Sprintf("fullUrl %q is also entry %d's; references to it find the first", u, first))
		return
	}
	jr.fullURLs[u] = at.Entry
}
