// Package printout renders printable documents from the chart: a visit
// summary for the patient, a home-visit sheet for a nurse's route, a
// prescription and an immunization record.
//
// Documents are PDF 1.4 files written by a small writer in this package.
// The text is set in DejaVu Sans and DejaVu Sans Bold (fonts/, with their
// licence), which cover Latin with its diacritics, Greek, Cyrillic and
// Vietnamese: each document embeds a subset of the two fonts holding only
// the glyphs it draws (Type 0 fonts over CIDFontType2, Identity-H codes,
// a ToUnicode map so the text can be searched and copied). A character
// the font lacks (most emoji, CJK) prints as the replacement character
// U+FFFD, never as a silent "?". Text is measured with the same glyph
// widths the PDF gives the viewer, so wrapped lines and table cells stay
// inside their boxes. Every page carries the practice, the patient,
// the time of printing, "Confidential health information" and "Page N of M",
// so a loose page can always be put back with its patient.
//
// The functions only lay out what they are given: they do not read the
// chart or audit; the caller records the export (chart.AuditExport).
// Records marked entered-in-error are never printed.
package printout
