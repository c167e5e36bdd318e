package fhir

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

var compactCases = []string{
	"{\n  \"a\" : [ 1 , 2.50, {\"b\" : \"x \\\" y\" } ],\r\n\t\"c\": null }\n",
	`{"text": "  spaces  inside  stay  ", "n": -1e3}`,
	"[1 2]",
	"tr ue",
	"{\"a\" \"b\"}",
	`"unterminated  `,
	`{"a":"\\\\" , "b" : "\\\\\" " }`,
	"  ",
	"",
}

// TestAppendCompactKeepsValues: what is valid JSON stays valid and decodes
// to the same values; what is not stays invalid.
func TestAppendCompactKeepsValues(t *testing.T) {
	for _, c := range compactCases {
		checkCompact(t, []byte(c))
	}
	got := string(AppendCompact([]byte("x"), []byte(compactCases[0])))
	if want := `x{"a":[1,2.50,{"b":"x \" y"}],"c":null}`; got != want {
		t.Errorf("compacted %q, want %q", got, want)
	}
	for _, path := range fixtureFiles(t)[:3] {
		ReadFile(path, func(e Entry) error { checkCompact(t, e.Raw); return nil })
	}
}

// TestWriteOneLine: line breaks go with the white space around them; what
// is left of a line stays as it was, and the resource as read is left as
// it was (it is also the patient's record source).
func TestWriteOneLine(t *testing.T) {
	cases := map[string]string{
		"{\r\n  \"a\": \"x\\ny\",\n  \"b\": [1,\n 2]\n}\n": `{"a": "x\ny","b": [1,2]}`,
		`{"a":"b"}`:                 `{"a":"b"}`,
		"\n\n\r":                    "",
		"":                          "",
		"{\"é\":\n1}":               `{"é":1}`,
		"[1 \n\t 2]":                "[1 2]",
		"{\"a\"\r\"b\"}":            `{"a" "b"}`,
		"{\n  \"k\" : \"  v  \"\n}": `{"k" : "  v  "}`,
	}
	for in, want := range cases {
		raw := []byte(in)
		var buf strings.Builder
		buf.WriteString("before\n")
		WriteOneLine(&buf, raw)
		if got := buf.String(); got != "before\n"+want {
			t.Errorf("WriteOneLine(%q) wrote %q, want %q", in, got, "before\n"+want)
		}
		if string(raw) != in {
			t.Errorf("WriteOneLine changed its input %q to %q", in, raw)
		}
	}
}

func FuzzAppendCompact(f *testing.F) {
	for _, c := range compactCases {
		f.Add([]byte(c))
	}
	if b, err := os.ReadFile("../testdata/fhir/uscore-inferno/README.md"); err == nil {
		f.Add(b[:min(len(b), 500)])
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkCompact(t, raw) })
}

func checkCompact(t *testing.T, raw []byte) {
	t.Helper()
	checkCompacted(t, raw, AppendCompact(nil, raw))
	var line strings.Builder
	WriteOneLine(&line, raw)
	oneLine := []byte(line.String())
	if bytes.ContainsAny(oneLine, "\n\r") {
		t.Fatalf("%q written on one line as %q", raw, oneLine)
	}
	if json.Valid(raw) { // WriteOneLine is for resources the reader passed
		checkCompacted(t, raw, oneLine)
	}
}

func checkCompacted(t *testing.T, raw, out []byte) {
	t.Helper()
	if json.Valid(raw) != json.Valid(out) {
		t.Fatalf("%q compacted to %q: valid %v, then %v", raw, out, json.Valid(raw), json.Valid(out))
	}
	if !json.Valid(raw) {
		return
	}
	if len(out) > len(raw) || bytes.ContainsAny(out, "\n\r") && !bytes.ContainsAny(raw, "\n\r") {
		t.Fatalf("%q compacted to %q", raw, out)
	}
	if a, b := decodeAny(t, raw), decodeAny(t, out); !reflect.DeepEqual(a, b) {
		t.Fatalf("%q compacted to %q: %v, then %v", raw, out, a, b)
	}
}

func decodeAny(t *testing.T, raw []byte) any {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
