// Package cdsi evaluates a patient's immunization history and forecasts the
// doses due, following the CDC's Clinical Decision Support for Immunization
// (CDSi) logic specification over its supporting data (embedded from data/,
// upstream bytes; see data/SOURCE.md and docs/CDSI.md).
//
// It is pure: no storage, no clock of its own (the assessment date is an
// argument), so the same history always gives the same forecast, and the
// CDC's published test cases (cases.go) can check it case by case. The chart
// hands it doses and coded observations; it hands back each series' status,
// the reasons a dose was not valid, and the next dose's dates.
package cdsi
