//go:build race

package fhir

// raceDetector is true in a -race build: the fixture-wide tests, ten times
// slower under it, take a CI-sized sample there (OUTPOST_LONG=1 for all).
const raceDetector = true
