//go:build !race

package fhir

// raceDetector is false without -race (race_on_test.go).
const raceDetector = false
