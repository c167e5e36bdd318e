package fhir

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// narrative walks a resource's text and, when its div is unsafe or broken,
// drops the whole text member (a warning says so): the narrative is a
// rendering of the structured data, which is kept.
func (c *checker) narrative(keyAt, prevEnd, index int) error {
	div := ""
	err := c.s.members(func(key string, _ int) (bool, error) {
		if key == "div" && c.s.peek() == '"' {
			v, err := c.s.str()
			div = v
			return true, err
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	why := unsafeNarrative(div)
	if why == "" {
		return nil
	}
	c.warn("narrative-security", "%s: the narrative was dropped (the structured data is kept)", why)
	end := c.s.pos
	if index > 0 {
		c.edits = append(c.edits, edit{at: prevEnd, end: end})
		return nil
	}
	after := scanner{data: c.s.data, pos: end}
	if after.peek() == ',' {
		end = after.pos + 1
	}
	c.edits = append(c.edits, edit{at: keyAt, end: end})
	return nil
}

// unsafeTags may run code or pull content when a narrative is shown.
var unsafeTags = map[string]bool{"script": true, "iframe": true, "object": true, "embed": true, "form": true,
	"input": true, "button": true, "style": true, "link": true, "meta": true, "base": true, "frame": true,
	"frameset": true, "applet": true, "svg": true, "math": true}

// unsafeNarrative says what is wrong with a narrative div, or "".
func unsafeNarrative(div string) string {
	d := xml.NewDecoder(strings.NewReader(div))
	d.Strict = true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return ""
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return "the narrative is not well-formed XHTML (" + se.Msg + ")"
			}
			return "the narrative is not well-formed XHTML (" + err.Error() + ")"
		}
		switch t := tok.(type) {
		case xml.Directive:
			return "the narrative declares a DOCTYPE or entities"
		case xml.ProcInst:
			if t.Target != "xml" {
				return "the narrative holds a processing instruction"
			}
		case xml.StartElement:
			if why := unsafeElement(t); why != "" {
				return why
			}
		}
	}
}

func unsafeElement(t xml.StartElement) string {
	name := strings.ToLower(t.Name.Local)
	if unsafeTags[name] {
		return "the narrative holds a <" + name + "> element"
	}
	for _, a := range t.Attr {
		attr := strings.ToLower(a.Name.Local)
		if strings.HasPrefix(attr, "on") {
			return "the narrative holds an event handler (" + attr + ")"
		}
		v := strings.ToLower(strings.Join(strings.Fields(a.Value), ""))
		if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text/html") {
			return "the narrative holds a script URL in " + attr
		}
	}
	return ""
}
