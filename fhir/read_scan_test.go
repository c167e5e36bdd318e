package fhir

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// skipEnds walks raw's top-level members with the scanner, skipping every
// value, and returns where each value starts (after the white space ws
// passed) and where skip left it.
func skipEnds(raw []byte) (starts, ends []int, err error) {
	s := &scanner{data: raw}
	err = s.members(func(string, int) (bool, error) {
		starts = append(starts, s.pos)
		if err := s.skip(); err != nil {
			return true, err
		}
		ends = append(ends, s.pos)
		return true, nil
	})
	return starts, ends, err
}

// checkSkipAsJSON: each value the scanner passes starts after exactly the
// white space before it and ends where encoding/json's decoder ends it.
func checkSkipAsJSON(t *testing.T, name string, raw []byte) {
	t.Helper()
	starts, ends, err := skipEnds(raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: not an object: %v %v", name, tok, err)
	}
	for k := 0; dec.More(); k++ {
		if _, err := dec.Token(); err != nil { // the member's name
			t.Fatalf("%s: %v", name, err)
		}
		colon := bytes.IndexByte(raw[dec.InputOffset():], ':') + int(dec.InputOffset())
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		end := int(dec.InputOffset())
		start := end - len(v)
		if ws := len(raw[colon+1:]) - len(bytes.TrimLeft(raw[colon+1:], " \t\r\n")); colon+1+ws != start {
			t.Fatalf("%s: member %d: the value starts at %d after %d bytes of white space, decoder says %d", name, k, colon+1+ws, ws, start)
		}
		if k >= len(ends) || starts[k] != start || ends[k] != end {
			t.Fatalf("%s: member %d: the scanner passed [%v, %v), encoding/json [%d, %d)", name, k, at(starts, k), at(ends, k), start, end)
		}
	}
}

func at(xs []int, k int) any {
	if k < len(xs) {
		return xs[k]
	}
	return "none"
}

// TestScannerSkipsAsJSON: the scanner's skip (a tight loop over what is
// neither a quote nor a bracket) and ws (indentation eight spaces at a
// time) end every value and every run of white space where encoding/json
// does, on every fixture resource and on indentation of every length
// around eight, tabs and line breaks mixed in.
func TestScannerSkipsAsJSON(t *testing.T) {
	for n := range 20 {
		for _, unit := range []string{" ", "\t", "\r\n", " \n"} {
			pad := strings.Repeat(unit, n)
			for _, v := range []string{`{"b": [1, {"c": "}]\"{"}], "d": "["}`, `"x\\"`, `-1.5e3`, `[]`, `{}`, `true`, `null`} {
				doc := "{" + pad + `"a"` + pad + ":" + pad + v + pad + "," + pad + `"z":` + pad + "[" + pad + v + pad + "]" + pad + "}"
				checkSkipAsJSON(t, strings.ReplaceAll(doc, "\n", "⏎"), []byte(doc))
			}
		}
	}
	files := fixtureFiles(t)
	if testing.Short() && len(files) > 3 {
		files = files[:3]
	}
	for _, f := range files {
		if _, err := ReadFile(f, func(e Entry) error {
			checkSkipAsJSON(t, e.At.String(), e.Raw)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkScannerSkip: the scanner passing every top-level member's value
// of a Synthea patient's resources (the head scan's and the checks' walk).
func BenchmarkScannerSkip(b *testing.B) {
	var raws [][]byte
	for _, f := range fixtureFiles(b)[:20] {
		ReadFile(f, func(e Entry) error {
			raws = append(raws, e.Raw)
			return nil
		})
	}
	n := 0
	for _, r := range raws {
		n += len(r)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, r := range raws {
			skipEnds(r)
		}
	}
}

// TestAfterSpace: white space ends where bytes.TrimLeft says, for runs of
// every length around eight, of each kind and mixed, at the end of the data
// or before a value, from any start.
func TestAfterSpace(t *testing.T) {
	for n := range 40 {
		for _, unit := range []string{" ", "\t", "\n", "\r\n", "  \n", " \t "} {
			for _, tail := range []string{"", "x", `"`, " x"} {
				data := []byte(strings.Repeat(unit, n)[:n] + tail)
				for i := range len(data) + 1 {
					want := len(data) - len(bytes.TrimLeft(data[i:], " \t\r\n"))
					if got := afterSpace(data, i); got != want {
						t.Fatalf("afterSpace(%q, %d) = %d, want %d", data, i, got, want)
					}
				}
			}
		}
	}
}
