package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonReader walks one JSON document with a token decoder: the top-level
// object's members are read one by one, and a Bundle's entries one entry
// at a time, so a 60 MB Bundle is never held as a whole.
type jsonReader struct {
	dec   *json.Decoder
	lines *lineCounter
	name  string
	fn    func(Entry) error
	info  FileInfo
	typ   string
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

func readJSON(lc *lineCounter, name string, fn func(Entry) error) (FileInfo, error) {
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	jr := &jsonReader{dec: dec, lines: lc, name: name, fn: fn}
	err := jr.document()
	return jr.info, err
}

// fail turns a decoder error into a Problem located at its line.
func (jr *jsonReader) fail(err error, entry int) error {
	if _, ok := err.(*Problem); ok {
		return err
	}
	p, off := jsonProblem(err, Location{File: jr.name, Entry: entry}, nil)
	if off > 0 {
		p.At.Line = jr.lines.lineAt(off)
	} else if p.Rule == "json-syntax" {
		p.At.Line = jr.lines.lineAt(jr.lines.n)
	}
	return p
}

func (jr *jsonReader) document() error {
	tok, err := jr.dec.Token()
	if err != nil {
		return jr.fail(err, -1)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return &Problem{At: Location{File: jr.name, Line: 1, Entry: -1}, Severity: SeverityError,
			Rule: "json-structure", Message: "a FHIR JSON file must hold one object (a resource or a Bundle)"}
	}
	for jr.dec.More() {
		tok, err := jr.dec.Token()
		if err != nil {
			return jr.fail(err, -1)
		}
		key, _ := tok.(string)
		if err := jr.member(key); err != nil {
			return err
		}
	}
	if _, err := jr.dec.Token(); err != nil { // the closing brace
		return jr.fail(err, -1)
	}
	if err := jr.trailing(); err != nil {
		return err
	}
	return jr.finish()
}

// decode reads the next value whole. On a syntax error it sets the
// error's offset to the stream offset of the bad byte: the decoder's own
// offset counts only bytes its value scanner saw across calls, so the
// value is scanned again from where it began to find the byte.
func (jr *jsonReader) decode(raw *json.RawMessage) error {
	err := jr.dec.Decode(raw)
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		start := jr.dec.InputOffset()
		rest, _ := io.ReadAll(jr.dec.Buffered())
		var v json.RawMessage
		var again *json.SyntaxError
		if errors.As(json.NewDecoder(bytes.NewReader(rest)).Decode(&v), &again) {
			syn.Offset = start + again.Offset - 1
		} else {
			syn.Offset = start
		}
	}
	return err
}

func (jr *jsonReader) member(key string) error {
	if key == "entry" && jr.typ == "Bundle" {
		return jr.entries_()
	}
	var raw json.RawMessage
	if err := jr.decode(&raw); err != nil {
		return jr.fail(err, -1)
	}
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
	tok, err := jr.dec.Token()
	if err != nil {
		return jr.fail(err, jr.entries)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return &Problem{At: Location{File: jr.name, Line: jr.lines.lineAt(jr.dec.InputOffset()), Entry: -1},
			Severity: SeverityError, Rule: "json-structure", Message: "Bundle.entry must be a JSON array"}
	}
	for jr.dec.More() {
		var raw json.RawMessage
		if err := jr.decode(&raw); err != nil {
			return jr.fail(err, jr.entries)
		}
		if err := jr.entry(raw); err != nil {
			return err
		}
	}
	if _, err := jr.dec.Token(); err != nil {
		return jr.fail(err, jr.entries)
	}
	return nil
}

func (jr *jsonReader) flushPending() error {
	for _, arr := range jr.pending {
		var entries []json.RawMessage
		if err := json.Unmarshal(arr, &entries); err != nil {
			return jr.fail(err, -1)
		}
		for _, raw := range entries {
			if err := jr.entry(raw); err != nil {
				return err
			}
		}
	}
	jr.pending = nil
	return nil
}

// entry hands out one Bundle entry's resource. The decoder has checked
// the entry's JSON, so the scanner picks out its members without a second
// decoding: the resource is a slice of the entry's bytes, not a copy.
func (jr *jsonReader) entry(raw json.RawMessage) error {
	at := Location{File: jr.name, Entry: jr.entries}
	jr.entries++
	e, err := bundleEntry(raw)
	if err != nil {
		return &Problem{At: at, Severity: SeverityError, Rule: "json-structure",
			Message: "a Bundle entry must be an object whose resource is an object and request has method and url"}
	}
	if e.Resource == nil {
		// A search result or a DELETE entry carries no resource: nothing to read.
		return nil
	}
	ent, p := entryOf(e.Resource, e.FullURL, e.Request, at)
	if p != nil {
		return p
	}
	jr.checkFullURL(e.FullURL, at)
	jr.info.Entries++
	return jr.fn(ent)
}

func bundleEntry(raw []byte) (BundleEntry, error) {
	var e BundleEntry
	s := scanner{data: raw}
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
				err := s.skip()
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
			return true, json.Unmarshal(raw[start:s.pos], e.Request)
		}
		return false, nil
	})
	return e, err
}

// trailing refuses anything after the document but white space.
func (jr *jsonReader) trailing() error {
	if _, err := jr.dec.Token(); err != io.EOF {
		off := jr.dec.InputOffset()
		return &Problem{At: Location{File: jr.name, Line: jr.lines.lineAt(off), Entry: -1}, Severity: SeverityError,
			Rule: "json-syntax", Message: "more than one JSON value in the file (if it is Bulk Data, name it .ndjson)"}
	}
	return nil
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
