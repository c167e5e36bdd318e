// Package codes ships the clinical code lists Outpost needs offline,
// embedded in the binary: ICD-10-CM FY2022 (diagnoses), CDC CVX
// (vaccines) and a small RxNorm list (medications seen in the test data).
// Each list loads lazily on first use and answers as-you-type searches.
//
// The embedded files in data/ are generated from the fixtures by
// internal/gen and must not be edited by hand; licences and credits are in
// ATTRIBUTION.md, exposed as Attribution.
//
// The package imports only the standard library so chart-side code, the
// desktop layer and tools can all use it.
package codes

//go:generate go run ./internal/gen -out data
