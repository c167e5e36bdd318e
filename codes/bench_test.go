package codes

import "testing"

// BenchmarkICD10Load measures decompressing, parsing and indexing the
// whole ICD-10-CM list, what the first search pays. Goal: well under 300 ms.
func BenchmarkICD10Load(b *testing.B) {
	for b.Loop() {
		if _, err := loadICD10(icd10Data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkICD10Search runs a mix of as-you-type queries, from a single
// letter (most matches) to a full code. Goal: under 5 ms per query.
func BenchmarkICD10Search(b *testing.B) {
	queries := []string{"e", "e11.9", "diab", "diab mel type 2", "pneumo", "fracture of femur", "a", "s72.00", "chronic kidney disease stage 3", "pain"}
	ix := icd10List.get()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.search(queries[i%len(queries)], DefaultLimit, nil)
	}
}

// BenchmarkICD10SearchWorst is the slowest single query: one letter, which
// matches a word in most descriptions.
func BenchmarkICD10SearchWorst(b *testing.B) {
	ix := icd10List.get()
	b.ResetTimer()
	for b.Loop() {
		ix.search("a", DefaultLimit, nil)
	}
}
