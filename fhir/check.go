package fhir

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Checked is a resource after the format checks: its JSON (repaired where
// a repair loses nothing a clinician needs, e.g. a lone object wrapped into
// the array FHIR requires, or an unsafe narrative dropped), the problems
// found, and every reference it makes.
type Checked struct {
	Raw      json.RawMessage
	Problems []Problem
	Refs     []string
}

// Failed says whether a problem stops the resource from being imported.
func (c Checked) Failed() bool {
	for _, p := range c.Problems {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors lists the problems that fail the resource, joined for a report.
func (c Checked) Errors() string {
	var msgs []string
	for _, p := range c.Problems {
		if p.Severity == SeverityError {
			msgs = append(msgs, p.Message+" ("+p.Rule+")")
		}
	}
	return strings.Join(msgs, "; ")
}

// Check applies the format checks to one resource. The decisions, rule by
// rule (more lenient than the HL7 validator where a clinician would want
// the data, never where the data would be ambiguous or unsafe):
//
//   - duplicate property: fails (which of the two values is meant?)
//   - unknown or missing resourceType: fails
//   - an array where one object is required: fails (the structure is wrong)
//   - a lone object where FHIR requires an array: warns, read as [object]
//   - an empty array: warns
//   - a date or dateTime that is not one: fails; a time without a time
//     zone or seconds: warns (read as the sender's local time)
//   - invalid base64 in an attachment: fails (the content is lost)
//   - an id that cannot stand in a reference ("/", "?", "#", "|", blanks):
//     fails; one that is only too long or uses "_": warns
//   - a narrative with scripts, event handlers, javascript: URLs,
//     entities it does not define or XHTML that does not parse: the
//     narrative is dropped and a warning says so (the structured data is
//     kept; a narrative script is never imported)
//   - control characters in a string: warns
//   - a period whose start is after its end: warns
func Check(r Resource) Checked {
	c := checker{s: scanner{data: r.Raw}, at: r.At, out: Checked{Raw: r.Raw}}
	if err := c.resource(true, r.Type); err != nil {
		c.fail("json-structure", "the resource is not a JSON object")
	}
	c.containedRefs()
	if len(c.edits) > 0 {
		c.out.Raw = applyEdits(r.Raw, c.edits)
	}
	return c.out
}

type checker struct {
	s    scanner
	at   Location
	typ  string
	path []string
	// keys are the member names of the objects being walked, innermost
	// last: one slice for the whole resource instead of one an object
	// (they were a seventh of the checks' CPU, mostly allocating).
	keys  []string
	out   Checked
	edits []edit
	// controlWarned keeps one control-character warning per resource.
	controlWarned bool
	// contained holds the ids of contained resources ("#id" references).
	contained map[string]bool
}

// containedRefs warns of "#id" references to no contained resource.
func (c *checker) containedRefs() {
	for _, ref := range c.out.Refs {
		if id, ok := strings.CutPrefix(ref, "#"); ok && id != "" && !c.contained[id] {
			c.warn("bundle-reference", "reference %q names no contained resource", ref)
		}
	}
}

func (c *checker) report(sev Severity, rule, format string, args ...any) {
	where := c.typ
	if len(c.path) > 0 {
		where += "." + strings.Join(c.path, ".")
	}
	c.out.Problems = append(c.out.Problems, Problem{At: c.at, Severity: sev, Rule: rule,
		Message: where + ": " + fmt.Sprintf(format, args...)})
}

func (c *checker) fail(rule, format string, args ...any) {
	c.report(SeverityError, rule, format, args...)
}

func (c *checker) warn(rule, format string, args ...any) {
	c.report(SeverityWarning, rule, format, args...)
}

// resource walks a resource object (the top one, whose type the reader
// found, or a contained one).
func (c *checker) resource(top bool, typ string) error {
	if !top || typ == "" {
		start := c.s.pos
		var err error
		if typ, _, _, err = topLevel(c.s.data[start:]); err != nil {
			return err
		}
	}
	outerTyp, outerPath := c.typ, c.path
	if top {
		c.typ = typ
	} else {
		c.path = append(c.path, typ)
	}
	switch {
	case typ == "":
		c.fail("resource-type", "the resource has no resourceType")
	case !knownType[typ]:
		c.fail("resource-type", "%q is not a FHIR R4 resource type", typ)
	}
	err := c.object(schemaFor(typ), true)
	c.typ, c.path = outerTyp, outerPath
	return err
}

// object walks the object at pos. n is its schema (nil when Outpost does
// not map it); atResource says it is a resource (id, text, contained).
func (c *checker) object(n *node, atResource bool) error {
	var fields objectFields
	prevEnd, index := -1, 0
	mine := len(c.keys) // this object's names follow; a nested object's go above them and are dropped on its return
	defer func() { c.keys = c.keys[:mine] }()
	err := c.s.members(func(key string, keyAt int) (bool, error) {
		for _, k := range c.keys[mine:] {
			if k == key {
				c.fail("json-structure", "property %q appears twice (which value is meant?)", key)
			}
		}
		c.keys = append(c.keys, key)
		c.path = append(c.path, key)
		err := c.member(n, atResource, key, keyAt, prevEnd, index, &fields)
		c.path = c.path[:len(c.path)-1]
		prevEnd, index = c.s.pos, index+1
		return true, err
	})
	if err == nil {
		c.objectRules(fields)
	}
	return err
}

func (c *checker) member(n *node, atResource bool, key string, keyAt, prevEnd, index int, f *objectFields) error {
	switch {
	case atResource && key == "resourceType":
		return c.s.skip()
	case atResource && key == "id":
		v, err := c.s.str()
		c.checkID(v)
		if len(c.path) > 1 { // a contained resource
			if c.contained == nil {
				c.contained = map[string]bool{}
			}
			c.contained[v] = true
		}
		return err
	case key == "contained" && c.s.peek() == '[':
		return c.s.elements(func(int) error { return c.resource(false, "") })
	case key == "text" && c.s.peek() == '{':
		// A Narrative: the resource's own, a contained or nested resource's,
		// or a Composition section's.
		return c.narrative(keyAt, prevEnd, index)
	}
	var child *node
	if n != nil {
		child = n.fields[key]
	}
	if c.s.peek() == '"' {
		v, err := c.s.str()
		if err == nil {
			c.stringRules(key, v, f)
		}
		return err
	}
	return c.value(child)
}

// value walks a non-string value with its schema.
func (c *checker) value(n *node) error {
	switch c.s.peek() {
	case '{':
		start := c.s.pos
		if n != nil && n.array {
			c.warn("json-structure", "must be a JSON array, not an object: read as an array of one")
		}
		if err := c.object(n, false); err != nil {
			return err
		}
		if n != nil && n.array {
			c.edits = append(c.edits, edit{at: start, end: start, insert: "["}, edit{at: c.s.pos, end: c.s.pos, insert: "]"})
		}
		return nil
	case '[':
		if n != nil && !n.array && n.fields != nil {
			c.fail("json-structure", "must be one JSON object, not an array")
		}
		if c.emptyArray() {
			c.warn("json-structure", "an empty array (FHIR leaves out an element with no values)")
		}
		return c.s.elements(func(int) error {
			if c.s.peek() == '"' {
				v, err := c.s.str()
				if err == nil {
					c.stringRules(c.path[len(c.path)-1], v, nil)
				}
				return err
			}
			return c.value(n.element())
		})
	}
	return c.s.skip()
}

func (c *checker) emptyArray() bool {
	s := scanner{data: c.s.data, pos: c.s.pos + 1}
	return s.peek() == ']'
}

// edit replaces data[at:end] with insert.
type edit struct {
	at, end int
	insert  string
}

func applyEdits(data []byte, edits []edit) json.RawMessage {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].at < edits[j].at })
	out := make([]byte, 0, len(data)+len(edits))
	pos := 0
	for _, e := range edits {
		if e.at < pos {
			continue // inside a span already removed
		}
		out = append(out, data[pos:e.at]...)
		out = append(out, e.insert...)
		pos = e.end
	}
	return append(out, data[pos:]...)
}
