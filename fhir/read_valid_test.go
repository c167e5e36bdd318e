package fhir

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ownValid is the validator's own answer, without json.Valid behind it.
func ownValid(b []byte) bool {
	v := validator{b: b}
	v.ws()
	return v.value(0) && v.ws() && v.i == len(b)
}

var validSeeds = []string{
	`{}`, `[]`, `""`, `0`, `-0.5e+10`, `true`, `null`, ` {"a":[1,2,{"b":"c\u00e9\n"}]} `,
	`{"a":1,}`, `[1,]`, `01`, `1.`, `-`, `1e`, `"\x"`, `"\u12g4"`, "\"a\tb\"", `{"a" 1}`, `{1:2}`,
	`[1 2]`, `tru`, `nul`, `"abc`, `{"a":"b"`, `[`, `]`, `{"a":"b"}}`, "\"caf\xc3\xa9\"", "\"\xff\"",
	`{"resourceType":"Patient","text":{"div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"}}`,
}

// The validator accepts exactly what json.Valid accepts: accepting more
// would let broken JSON through the first pass; accepting less only costs
// a second look.
func TestValidatorAgreesWithEncodingJSON(t *testing.T) {
	inputs := validSeeds
	files := fixtureFiles(t)
	for _, f := range append(files[:min(len(files), 12)], edgeCaseFiles()...) {
		inputs = append(inputs, string(readMaybeGzip(t, f)))
	}
	for _, in := range inputs {
		if got, want := ownValid([]byte(in)), json.Valid([]byte(in)); got != want {
			t.Errorf("%.80q: validator says %v, json.Valid %v", in, got, want)
		}
	}
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if !ownValid([]byte(deep[1 : len(deep)-1])) {
		t.Error("nesting up to json.Valid's limit is refused")
	}
	if ownValid([]byte(deep)) || isValidJSON([]byte(deep)) != json.Valid([]byte(deep)) {
		t.Error("nesting past json.Valid's limit is not left to json.Valid")
	}
}

func FuzzValidJSONAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range validSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := ownValid(b), json.Valid(b); got != want {
			t.Fatalf("%q: validator says %v, json.Valid %v", b, got, want)
		}
	})
}

func BenchmarkValidJSON(b *testing.B) {
	doc := readMaybeGzip(b, fixtureFiles(b)[0])
	for _, c := range []struct {
		name  string
		valid func([]byte) bool
	}{{"own", isValidJSON}, {"encoding-json", json.Valid}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if !c.valid(doc) {
					b.Fatal("not valid")
				}
			}
		})
	}
}

func edgeCaseFiles() []string {
	root := sharedFixtures()
	if root == "" {
		return nil
	}
	m, _ := filepath.Glob(filepath.Join(root, "edge-cases/cases/*.json"))
	return m
}

// readMaybeGzip reads a fixture as the importer would: through
// decompressed (gzip told by its magic bytes, a byte order mark dropped).
func readMaybeGzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, done, err := decompressed(f)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// specialInEight answers as plainInString does byte by byte: every pair of
// byte values at every pair of places among plain filler ('a', 0x20, 0xff:
// the edges of what is plain), and one byte alone at each place.
func TestSpecialInEight(t *testing.T) {
	want := func(w []byte) bool {
		for _, c := range w {
			if !plainInString[c] {
				return true
			}
		}
		return false
	}
	for _, fill := range []byte{'a', 0x20, 0xff, '"' + 1, '\\' - 1} {
		w := bytes.Repeat([]byte{fill}, 8)
		for p := range 8 {
			for q := p; q < 8; q++ {
				for c := range 256 {
					for d := range 256 {
						w[p], w[q] = byte(c), byte(d)
						if got := specialInEight(binary.LittleEndian.Uint64(w)); got != want(w) {
							t.Fatalf("specialInEight(%q) = %v", w, got)
						}
					}
				}
				w[p], w[q] = fill, fill
			}
		}
	}
}
