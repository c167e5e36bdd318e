package fhir

import (
	"strings"
	"time"
)

// objectFields keeps the members of one object that rules across members
// need: an attachment's data with its contentType, a period's ends.
type objectFields struct {
	data, start, end     string
	hasData, contentType bool
}

// checkID: an id that cannot stand in a reference fails; one that only
// breaks the length or character rule is still unambiguous and warns.
func (c *checker) checkID(id string) {
	switch {
	case validID(id):
	case id == "" || strings.ContainsAny(id, "/?#| \t\r\n"):
		c.fail("resource-id", "%q is not a valid id: ids are 1 to 64 of A-Z a-z 0-9 - . and this one cannot be used in a reference", id)
	default:
		c.warn("resource-id", "%q breaks the id rule (1 to 64 of A-Z a-z 0-9 - .); read as is", id)
	}
}

// dateKeys and dateTimeKeys name the elements whose values are FHIR dates
// or dateTimes/instants, wherever they appear.
var dateKeys = map[string]bool{"birthDate": true}

var dateTimeKeys = map[string]bool{"authoredOn": true, "recordedDate": true, "dateAsserted": true,
	"start": true, "end": true, "recorded": true, "issued": true, "lastUpdated": true, "date": true,
	"created": true, "time": true, "creation": true, "expirationDate": true}

func (c *checker) stringRules(key, v string, f *objectFields) {
	if !c.controlWarned && hasControl(v) {
		c.controlWarned = true
		c.warn("primitive-value", "contains control characters (read as is)")
	}
	switch {
	case key == "reference":
		c.out.Refs = append(c.out.Refs, v)
	case dateKeys[key]:
		c.checkDate(v, false)
	case dateTimeKeys[key] || strings.HasSuffix(key, "DateTime") || strings.HasSuffix(key, "Instant"):
		c.checkDate(v, true)
	}
	if f == nil {
		return
	}
	switch key {
	case "data":
		f.data, f.hasData = v, true
	case "contentType":
		f.contentType = true
	case "start":
		f.start = v
	case "end":
		f.end = v
	}
}

func hasControl(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return true
		}
	}
	return false
}

// checkDate: not a date at all fails; a time without seconds or time zone
// warns (FHIR requires both; the sender's local time is the best reading).
func (c *checker) checkDate(v string, withTime bool) {
	ok, hasTime, seconds, zone := dateTimeShape(v)
	ok = ok && (withTime || !hasTime) && validDatePart(v)
	if !ok {
		kind := "date (YYYY, YYYY-MM or YYYY-MM-DD)"
		if withTime {
			kind = "dateTime (YYYY-MM-DDThh:mm:ss+zz:zz or a date)"
		}
		c.fail("primitive-value", "%q is not a FHIR %s", v, kind)
		return
	}
	if hasTime && (!seconds || !zone) {
		c.warn("primitive-value", "%q has a time without seconds or time zone; read as the sender's local time", v)
	}
}

func validDatePart(v string) bool {
	d, _, _ := strings.Cut(v, "T")
	var layout string
	switch len(d) {
	case 4:
		layout = "2006"
	case 7:
		layout = "2006-01"
	case 10:
		layout = "2006-01-02"
	default:
		return false
	}
	_, err := time.Parse(layout, d)
	return err == nil
}

// objectRules checks what spans members: an attachment's base64, a period.
func (c *checker) objectRules(f objectFields) {
	if f.hasData && f.contentType && !validBase64(f.data) {
		c.fail("primitive-value", "the attachment's data is not valid base64, so its content cannot be read")
	}
	if f.start != "" && f.end != "" {
		s, okS := instantOf(f.start)
		e, okE := instantOf(f.end)
		if okS && okE && s.After(e) {
			c.warn("clinical-rule", "the period starts (%s) after it ends (%s)", f.start, f.end)
		}
	}
}

func instantOf(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// validBase64 accepts standard base64 with padding, ignoring white space
// (FHIR allows line breaks in base64Binary).
func validBase64(v string) bool {
	n, pad := 0, 0
	for i := 0; i < len(v); i++ {
		b := v[i]
		switch {
		case b == ' ' || b == '\n' || b == '\r' || b == '\t':
			continue
		case b == '=':
			pad++
		case pad > 0:
			return false
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9', b == '+', b == '/':
		default:
			return false
		}
		n++
	}
	return n%4 == 0 && pad <= 2
}
