package chart

import (
	"strings"
	"time"
	"unicode/utf8"
)

// SystemCPT names CPT, which imported procedures often carry.
const SystemCPT = "http://www.ama-assn.org/go/cpt"

// Limits for what imports bring.
const (
	MaxIdentifiers = 20
	// MaxSourceDocumentLen bounds one part of a SourceDocument: an import
	// splits the originals of a large patient into parts below it. JSON
	// escaping may double a part, and a sealed record must stay within what
	// sync carries (16 MB).
	MaxSourceDocumentLen = 6 << 20
	maxEmailLen          = 254
)

// procedureStatuses are FHIR's Procedure.status values.
var procedureStatuses = []string{"completed", "in-progress", "not-done", "stopped", "unknown", "preparation", "on-hold"}

// problemVerifications are FHIR's Condition.verificationStatus values.
var problemVerifications = []string{"", "unconfirmed", "provisional", "differential", "confirmed", "refuted"}

// Validate normalises a procedure in place.
func (p *Procedure) Validate(now time.Time) error {
	if err := validateCoded("code", "The procedure", &p.Code, true); err != nil {
		return err
	}
	p.Status = strings.TrimSpace(p.Status)
	if p.Status == "" {
		p.Status = "unknown"
	}
	if !oneOf(p.Status, procedureStatuses...) {
		return FieldError("status", "Choose completed, in progress, not done, stopped or unknown.")
	}
	var err error
	if p.Performed, err = validateDateOrDateTime("performed", "The date performed", p.Performed, now); err != nil {
		return err
	}
	if p.PerformedEnd, err = validateDateOrDateTime("performedEnd", "The end", p.PerformedEnd, now); err != nil {
		return err
	}
	if p.PerformedEnd != "" && p.PerformedEnd < p.Performed {
		return FieldError("performedEnd", "The procedure ends before it starts.")
	}
	if err := validateEncounterLink(p.EncounterID); err != nil {
		return err
	}
	return cleanFields(
		textField{&p.Reason, "reason", "The reason", MaxShortTextLen, false, false},
		textField{&p.Performer, "performer", "The performer", MaxShortTextLen, false, false},
		textField{&p.BodySite, "bodySite", "The body site", MaxShortTextLen, false, false},
		textField{&p.Comment, "comment", "The comment", MaxLongTextLen, false, true},
	)
}

// Validate checks a source document: what the import read, kept whole.
// The NDJSON itself is not cleaned: it is kept exactly as read.
func (d *SourceDocument) Validate(time.Time) error {
	if err := cleanFields(
		textField{&d.ImportID, "importId", "The import", MaxCodeLen, true, false},
		textField{&d.File, "file", "The file name", MaxShortTextLen, false, false},
	); err != nil {
		return err
	}
	if d.Part < 1 || d.Parts < d.Part {
		return FieldError("part", "A source document is part 1 to %d of its patient's originals.", max(d.Parts, 1))
	}
	switch {
	case strings.TrimSpace(d.NDJSON) == "":
		return FieldError("ndjson", "A source document holds the original resources; this one is empty.")
	case len(d.NDJSON) > MaxSourceDocumentLen:
		return FieldError("ndjson", "A source document part is at most %d MB; split the originals in more parts.",
			MaxSourceDocumentLen>>20)
	case !utf8.ValidString(d.NDJSON):
		return FieldError("ndjson", "The original resources are not valid UTF-8 text.")
	}
	return nil
}

// validate checks the outside author of an imported note (nil: a note
// charted here).
func (in *ImportedNote) validate(now time.Time) error {
	if in == nil {
		return nil
	}
	v, err := cleanName("imported.authorName", "The author", in.AuthorName, MaxNameLen, false)
	if err != nil {
		return err
	}
	in.AuthorName = v
	if in.AuthorName == "" {
		in.AuthorName = "Unknown author"
	}
	if err := cleanFields(
		textField{&in.Organization, "imported.organization", "The organisation", MaxShortTextLen, false, false},
		textField{&in.MediaType, "imported.mediaType", "The media type", MaxCodeLen, false, false},
	); err != nil {
		return err
	}
	in.Date, err = validateDateOrDateTime("imported.date", "The date written", in.Date, now)
	return err
}

// validateImported checks what only imported encounters carry.
func (e *Encounter) validateImported(now time.Time) error {
	var err error
	if e.End, err = ValidateLocalDateTime("end", "The end", e.End, now, false); err != nil {
		return err
	}
	if e.End != "" && e.End < strings.TrimSpace(e.Start) {
		return FieldError("end", "The encounter ends before it starts.")
	}
	return cleanFields(
		textField{&e.Class, "class", "The encounter class", MaxCodeLen, false, false},
		textField{&e.TypeText, "typeText", "The encounter type", MaxShortTextLen, false, false},
	)
}

// validateImported checks a problem's abatement and verification.
func (p *Problem) validateImported(now time.Time) error {
	var err error
	if p.Abatement, err = validatePartialDate("abatement", "The abatement", p.Abatement, now); err != nil {
		return err
	}
	if p.Abatement != "" && p.Onset != "" && p.Abatement < p.Onset[:min(len(p.Onset), len(p.Abatement))] {
		return FieldError("abatement", "The problem abates before its onset.")
	}
	p.Verification = strings.TrimSpace(p.Verification)
	if !oneOf(p.Verification, problemVerifications...) {
		return FieldError("verification", "Choose unconfirmed, provisional, differential, confirmed or refuted.")
	}
	return nil
}

// validateReport checks the report a result belongs to.
func (r *Result) validateReport() error {
	if r.ReportID != "" && !ValidID(string(r.ReportID)) {
		return FieldError("reportId", "The report this result belongs to has a malformed id.")
	}
	return cleanFields(
		textField{&r.ReportName, "reportName", "The report name", MaxShortTextLen, false, false},
		textField{&r.Performer, "performer", "The laboratory", MaxShortTextLen, false, false},
	)
}

// validateImported checks identifiers, email and death, adding each
// problem to probs.
func (p *Patient) validateImported(probs *Problems, now time.Time) {
	probs.Add(p.validateIdentifiers())
	probs.Add(cleanFields(textField{&p.Email, "email", "Email", maxEmailLen, false, false}))
	if p.Email != "" && !probs.Has("email") && !validEmail(p.Email) {
		probs.Add(FieldError("email", "An email address looks like name@example.org."))
	}
	date, err := validateDate("deceasedDate", "The date of death", p.DeceasedDate, now, false, true)
	if probs.Add(err) {
		p.DeceasedDate = date
		p.Deceased = p.Deceased || date != ""
		if date != "" && p.BirthDate != "" && date < p.BirthDate {
			probs.Add(FieldError("deceasedDate", "The date of death is before the date of birth."))
		}
	}
}

func (p *Patient) validateIdentifiers() error {
	if len(p.Identifiers) > MaxIdentifiers {
		return FieldError("identifiers", "A patient can have at most %d identifiers from other systems.", MaxIdentifiers)
	}
	for i := range p.Identifiers {
		id := &p.Identifiers[i]
		if err := cleanFields(
			textField{&id.System, "identifiers", "An identifier's system", MaxShortTextLen, false, false},
			textField{&id.Value, "identifiers", "An identifier", MaxNameLen, true, false},
			textField{&id.Type, "identifiers", "An identifier's type", MaxCodeLen, false, false},
		); err != nil {
			return err
		}
	}
	return nil
}

// SameIdentifier reports whether a and b name the same number in the same
// system (a system is a URI: compared exactly; values ignore case and
// surrounding space, as people type them).
func SameIdentifier(a, b Identifier) bool {
	return a.System != "" && a.System == b.System &&
		strings.EqualFold(strings.TrimSpace(a.Value), strings.TrimSpace(b.Value))
}
