package fhir

import (
	"bytes"
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
	case strings.Contains(msg, "looking for beginning of object key string") || unquotedName.MatchString(msg):
		return " (property names must be in double quotes)"
	case strings.Contains(msg, "after object key:value pair") || strings.Contains(msg, "after array element"):
		return " (a comma is missing, or a bracket does not match the one it closes)"
	}
	return ""
}

var unquotedName = regexp.MustCompile(`invalid character '[A-Za-z_]'$`)

// lineCounter counts the bytes and lines a decoder reads, and keeps the
// last chunks so that a decoder's byte offset can be turned into the line
// a person sees in an editor.
type lineCounter struct {
	r      io.Reader
	n      int64
	chunks []chunkLines
	recent [2][]byte
}

type chunkLines struct {
	start int64
	lines int // newlines before start
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		lines := 0
		if k := len(c.chunks); k > 0 {
			last := c.chunks[k-1]
			lines = last.lines + bytes.Count(c.recent[(k-1)%2], []byte{'\n'})
		}
		slot := len(c.chunks) % 2
		c.recent[slot] = append(c.recent[slot][:0], p[:n]...)
		c.chunks = append(c.chunks, chunkLines{start: c.n, lines: lines})
		c.n += int64(n)
	}
	return n, err
}

// lineAt is the 1-based line holding byte offset off (the line of the
// chunk's start when the chunk is no longer held).
func (c *lineCounter) lineAt(off int64) int {
	for k := len(c.chunks) - 1; k >= 0; k-- {
		ch := c.chunks[k]
		if off < ch.start {
			continue
		}
		line := ch.lines + 1
		if k >= len(c.chunks)-2 {
			held := c.recent[k%2]
			line += bytes.Count(held[:min(int(off-ch.start), len(held))], []byte{'\n'})
		}
		return line
	}
	return 1
}
