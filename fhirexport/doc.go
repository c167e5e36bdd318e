// Package fhirexport writes the chart as FHIR R4: a patient's whole chart
// as a collection Bundle, the whole practice as Bulk Data NDJSON with a
// completion manifest, and the International Patient Summary document of
// a referral. US Core 6.1 must-support elements are filled wherever the
// chart has the data. Pure: it is given chart.PatientRecords and writes
// JSON; the store and the audit are the caller's.
package fhirexport
