package fhirimport

import (
	"bytes"
	"testing"
)

// TestWriteOneLine: each line break of a pretty-printed resource becomes a
// space, nothing else changes, and the resource as read is left as it was
// (it is also the patient's record source).
func TestWriteOneLine(t *testing.T) {
	cases := map[string]string{
		"{\r\n  \"a\": \"x\\ny\",\n  \"b\": [1,\n 2]\n}\n": "{    \"a\": \"x\\ny\",   \"b\": [1,  2] } ",
		`{"a":"b"}`:   `{"a":"b"}`,
		"\n\n\r":      "   ",
		"":            "",
		"{\"é\":\n1}": "{\"é\": 1}",
	}
	for in, want := range cases {
		raw := []byte(in)
		var buf bytes.Buffer
		buf.WriteString("before\n")
		writeOneLine(&buf, raw)
		if got := buf.String(); got != "before\n"+want {
			t.Errorf("writeOneLine(%q) wrote %q, want %q", in, got, "before\n"+want)
		}
		if string(raw) != in {
			t.Errorf("writeOneLine changed its input %q to %q", in, raw)
		}
	}
}
