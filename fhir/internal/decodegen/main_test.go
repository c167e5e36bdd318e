package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The decoders in the fhir package are what decodegen writes from the
// types as they are now: a field added to a type without `go generate
// ./fhir` fails here (and would otherwise be dropped by the fast path,
// which skips names it does not know).
func TestDecodersGenerated(t *testing.T) {
	dir := filepath.Join("..", "..")
	want, err := Generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	have, _ := filepath.Glob(filepath.Join(dir, "decode_r4_*.go"))
	if len(have) != len(want) {
		t.Errorf("%d generated files in fhir, decodegen writes %d: run go generate ./fhir", len(have), len(want))
	}
	for name, src := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, src) {
			t.Errorf("%s is not what decodegen writes now: run go generate ./fhir", name)
		}
	}
}
