package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// jsonProblem puts a decoding error in words an administrator can act on,
// and returns the byte offset of the error (0 when unknown).
func jsonProblem(err error, at Location, _ []byte) (*Problem, int64) {
	p := &Problem{At: at, Severity: SeverityError, Rule: "json-syntax"}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		p.Message = "not valid JSON: " + syn.Error() + syntaxHint(syn.Error())
		return p, syn.Offset
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		p.Message = "not valid JSON: the file ends in the middle of a value (is a closing bracket missing, or was the file cut short?)"
	case errors.As(err, &typ):
		p.Rule = "json-structure"
		p.Message = fmt.Sprintf("%s must be a JSON %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
		return p, typ.Offset
	default:
		p.Message = "not valid JSON: " + err.Error()
	}
	return p, 0
}

func jsonKind(k string) string {
	switch k {
	case "slice":
		return "array"
	case "struct", "map":
		return "object"
	}
	return k
}

// syntaxHint names the usual cause of a decoder complaint.
func syntaxHint(msg string) string {
	switch {
	case strings.Contains(msg, "invalid character '/'"):
		return " (comments are not allowed in JSON)"
	case strings.Contains(msg, "after decimal point"):
		return " (a decimal point must be followed by digits: write 925 or 925.0, not 925.; rule primitive-value)"
	case strings.Contains(msg, "invalid character '}' looking for beginning of object key") ||
		strings.Contains(msg, "invalid character ']' looking for beginning of value"):
		return " (a comma before a closing bracket is not allowed in JSON)"
	case strings.Contains(msg, "invalid character ','"):
		return " (an extra comma)"
	case strings.Contains(msg, "looking for beginning of object key string") || unquotedName.MatchString(msg):
		return " (property names must be in double quotes)"
	case strings.Contains(msg, "after object key:value pair") || strings.Contains(msg, "after array element"):
		return " (a comma is missing, or a bracket does not match the one it closes)"
	}
	return ""
}

var unquotedName = regexp.MustCompile(`invalid character '[A-Za-z_]'$`)
