// Package codes ships the clinical vocabularies Outpost needs offline,
// embedded in the binary: ICD-10-CM FY2022 (diagnoses) with curated entry
// terms, CDC CVX (vaccines), the RxNorm prescribable content of 2025-10-06
// (drugs, their ingredients and brands), the LOINC codes of vital signs
// and common laboratory tests with their UCUM units, and a short list of
// non-drug allergens. Each list loads lazily on first use and answers
// as-you-type searches; Versions says which release each is.
//
// The embedded files in data/ are generated from the fixtures by
// internal/gen and must not be edited by hand; the tables in curated/ are
// written by hand, each row citing its source. Licences and credits are in
// ATTRIBUTION.md, exposed as Attribution; docs/VOCABULARIES.md says how to
// update each list.
//
// The package imports only the standard library so chart-side code, the
// desktop layer and tools can all use it.
package codes

//go:generate go run ./internal/gen -out data
