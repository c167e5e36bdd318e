package seal

import (
	"cmp"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Run with: go test -run '^$' -bench . -benchmem ./seal
// sampleRecord is a patient record of the size the sign-in index opens
// 50,000 of.

func BenchmarkSealRecord(b *testing.B) {
	k := mustKey(b)
	ad := AD("record", "patient", "42")
	for b.Loop() {
		k.Seal(sampleRecord, ad)
	}
}

func BenchmarkOpenRecord(b *testing.B) {
	k := mustKey(b)
	ad := AD("record", "patient", "42")
	blob := k.Seal(sampleRecord, ad)
	for b.Loop() {
		if _, err := k.Open(blob, ad); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSealSourceDocument seals 1 MiB of a Synthea Bundle's JSON, the
// shape of an imported patient's source document (the resources Outpost
// keeps only as they came). It reads the shared fixtures
// (OUTPOST_FHIR_FIXTURES or /work/shared/fixtures/fhir) and is skipped
// without them.
func BenchmarkSealSourceDocument(b *testing.B) {
	doc := syntheaJSON(b, 1<<20)
	k := mustKey(b)
	ad := AD("record", "source", "42")
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		k.Seal(doc, ad)
	}
	b.ReportMetric(float64(len(k.Seal(doc, ad)))/float64(len(doc)), "sealed/plain")
}

// syntheaJSON is the first n bytes of a shared Synthea patient's Bundle.
func syntheaJSON(b *testing.B, n int) []byte {
	doc := syntheaJSONOrNil(b, n)
	if doc == nil {
		b.Skip("no shared Synthea fixtures")
	}
	return doc
}

// syntheaJSONOrNil is syntheaJSON, nil without the fixtures.
func syntheaJSONOrNil(t testing.TB, n int) []byte {
	dir := cmp.Or(os.Getenv("OUTPOST_FHIR_FIXTURES"), "/work/shared/fixtures/fhir")
	f, err := os.Open(filepath.Join(dir, "synthea/blaze-synthea-2.7/d614dcb6-435f-be94-5344-00143898b1c3.json.gz"))
	if err != nil {
		return nil
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	doc := make([]byte, n)
	if _, err := io.ReadFull(z, doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
