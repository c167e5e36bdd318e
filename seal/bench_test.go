package seal

import "testing"

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
