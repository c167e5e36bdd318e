package fhir

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
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
	out := AppendCompact(nil, raw)
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
