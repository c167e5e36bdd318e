// Package printout renders printable documents from the chart: a visit
// summary for the patient, a home-visit sheet for a nurse's route, a
// prescription and an immunization record.
//
// Documents are PDF 1.4 files written by a small writer in this package
// (no module dependencies): the standard Type1 fonts Helvetica and
// Helvetica-Bold in WinAnsiEncoding, so nothing is embedded and any viewer
// or printer can show them. Every page carries the practice, the patient,
// the time of printing, "Confidential health information" and "Page N of M",
// so a loose page can always be put back with its patient.
//
// The functions only lay out what they are given: they do not read the
// chart or audit; the caller records the export (chart.AuditExport).
// Records marked entered-in-error are never printed.
package printout
