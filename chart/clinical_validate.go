package chart

import (
	"strings"
	"time"
)

// Limits for clinical text. A note section holds a real note (longer than
// the general long-text limit) but a pasted document is still refused.
const (
	MaxNoteSectionLen = 20000
	MaxNoteSections   = 30
	MaxCodeLen        = 64
	MaxDiagnoses      = 20
	MaxRefills        = 99
	MaxDaysSupply     = 365
	MaxDoseNumber     = 20
)

// LocalDateTimeLayout is how the UI writes a local date and time.
const LocalDateTimeLayout = "2006-01-02T15:04"

// RecordMeta gives the store generic access to the Meta embedded in every
// clinical record type.
func (m *Meta) RecordMeta() *Meta { return m }

// textField is one free-text field to clean in place.
type textField struct {
	dst          *string
	field, label string
	max          int
	required     bool
	multiline    bool
}

func cleanFields(fields ...textField) error {
	for _, f := range fields {
		clean := cleanLine
		if f.multiline {
			clean = cleanText
		}
		v, err := clean(f.field, f.label, *f.dst, f.max, f.required)
		if err != nil {
			return err
		}
		*f.dst = v
	}
	return nil
}

// cleanEach cleans every field, adding each one's problem to probs.
func cleanEach(probs *Problems, fields ...textField) {
	for _, f := range fields {
		probs.Add(cleanFields(f))
	}
}

// ValidateLocalDateTime checks a local "YYYY-MM-DDTHH:MM" that may not be in
// the future of now (read in the workstation's time zone).
func ValidateLocalDateTime(field, label, s string, now time.Time, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", FieldError(field, "%s is required.", label)
		}
		return "", nil
	}
	if _, err := time.Parse(LocalDateTimeLayout, s); err != nil {
		return "", FieldError(field, "%s must be a real date and time, written YYYY-MM-DD HH:MM.", label)
	}
	if s > now.In(time.Local).Format(LocalDateTimeLayout) {
		return "", FieldError(field, "%s is in the future.", label)
	}
	return s, nil
}

// validateDate checks a YYYY-MM-DD date; notFuture refuses dates after today.
func validateDate(field, label, s string, now time.Time, required, notFuture bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", FieldError(field, "%s is required.", label)
		}
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", FieldError(field, "%s must be a real date, written YYYY-MM-DD.", label)
	}
	if notFuture && s > now.In(time.Local).Format(time.DateOnly) {
		return "", FieldError(field, "%s is in the future.", label)
	}
	return s, nil
}

// validatePartialDate accepts YYYY-MM-DD, YYYY-MM or YYYY (an onset is often
// known only roughly), not in the future.
func validatePartialDate(field, label, s string, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	today := now.In(time.Local).Format(time.DateOnly)
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		if len(s) != len(layout) {
			continue
		}
		if _, err := time.Parse(layout, s); err != nil {
			break
		}
		if s > today[:len(s)] {
			return "", FieldError(field, "%s is in the future.", label)
		}
		return s, nil
	}
	return "", FieldError(field, "%s must be written YYYY-MM-DD, YYYY-MM or YYYY.", label)
}

// validateDateOrDateTime accepts a date or a local date and time.
func validateDateOrDateTime(field, label, s string, now time.Time) (string, error) {
	if len(strings.TrimSpace(s)) == len(time.DateOnly) {
		return validateDate(field, label, s, now, false, true)
	}
	return ValidateLocalDateTime(field, label, s, now, false)
}

// SNOMED CT is known for imported records: a migrating practice's
// problems, allergies and procedures often carry only SNOMED CT codes.
var knownSystems = map[string]bool{"": true, SystemICD10CM: true, SystemRxNorm: true, SystemCVX: true, SystemLOINC: true,
	SystemAllergyClass: true, SystemAllergen: true, SystemSNOMED: true, SystemCPT: true}

// validateCoded checks a coded concept; Display is what a person reads, so
// it is the part that is required.
func validateCoded(field, label string, c *Coded, required bool) error {
	if err := cleanFields(
		textField{&c.Display, field, label, MaxShortTextLen, required, false},
		textField{&c.Code, field, label + " code", MaxCodeLen, false, false},
		textField{&c.System, field, label + " code system", MaxShortTextLen, false, false},
	); err != nil {
		return err
	}
	if !knownSystems[c.System] {
		return FieldError(field, "%s has an unknown code system.", label)
	}
	if c.System != "" && c.Code == "" {
		return FieldError(field, "%s names a code system but no code.", label)
	}
	if c.Display == "" && c.Code != "" {
		return FieldError(field, "%s needs its name as well as its code.", label)
	}
	return nil
}

func oneOf[T ~string](v T, allowed ...T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// Validate normalises an encounter in place.
func (e *Encounter) Validate(now time.Time) error {
	if e.Type == "" {
		e.Type = EncounterOffice
	}
	// EncounterOther is only for imported encounters, which name their class.
	if !oneOf(e.Type, EncounterOffice, EncounterHome, EncounterTelephone, EncounterTelehealth) &&
		(e.Type != EncounterOther || strings.TrimSpace(e.Class) == "") {
		return FieldError("type", "Choose office, home, telephone or telehealth.")
	}
	if err := e.validateImported(now); err != nil {
		return err
	}
	var err error
	if e.Start, err = ValidateLocalDateTime("start", "The start", e.Start, now, true); err != nil {
		return err
	}
	if err := cleanFields(
		textField{&e.Location, "location", "Location", MaxShortTextLen, false, false},
		textField{&e.ClinicianName, "clinicianName", "Clinician", MaxNameLen, false, false},
		textField{&e.Reason, "reason", "Reason for visit", MaxShortTextLen, false, false},
	); err != nil {
		return err
	}
	if e.ClinicianID != "" && !ValidID(string(e.ClinicianID)) {
		return FieldError("clinicianId", "Choose the clinician from the list.")
	}
	if len(e.Diagnoses) > MaxDiagnoses {
		return FieldError("diagnoses", "An encounter can list at most %d diagnoses.", MaxDiagnoses)
	}
	for i := range e.Diagnoses {
		if err := validateCoded("diagnoses", "Diagnosis", &e.Diagnoses[i], true); err != nil {
			return err
		}
	}
	return nil
}

// Validate normalises a note draft in place. A draft may have empty
// sections; signing requires text (see HasText).
func (n *Note) Validate(now time.Time) error {
	if n.Kind == "" {
		n.Kind = NoteClinical
	}
	if !oneOf(n.Kind, NoteClinical, NoteNursing) {
		return FieldError("kind", "Choose a clinical or a nursing note.")
	}
	if err := n.Imported.validate(now); err != nil {
		return err
	}
	if err := cleanFields(
		textField{&n.Title, "title", "The title", MaxShortTextLen, true, false},
		textField{&n.TemplateID, "templateId", "Template", MaxCodeLen, false, false},
	); err != nil {
		return err
	}
	if len(n.Sections) > MaxNoteSections {
		return FieldError("sections", "A note can have at most %d sections.", MaxNoteSections)
	}
	seen := map[string]bool{}
	for i := range n.Sections {
		sec := &n.Sections[i]
		if err := cleanFields(
			textField{&sec.Key, "sections", "A section key", MaxCodeLen, true, false},
			textField{&sec.Label, "sections." + sec.Key, "The section name", MaxShortTextLen, true, false},
			textField{&sec.Text, "sections." + sec.Key, "The section " + sec.Label, MaxNoteSectionLen, false, true},
		); err != nil {
			return err
		}
		if seen[sec.Key] {
			return FieldError("sections", "The section %s appears twice.", sec.Label)
		}
		seen[sec.Key] = true
	}
	return nil
}

// HasText reports whether any section has text: an empty note cannot be signed.
func (n *Note) HasText() bool {
	for _, s := range n.Sections {
		if strings.TrimSpace(s.Text) != "" {
			return true
		}
	}
	return false
}

// Validate normalises a template in place.
func (t *Template) Validate() error {
	if t.Kind == "" {
		t.Kind = NoteClinical
	}
	if !oneOf(t.Kind, NoteClinical, NoteNursing) {
		return FieldError("kind", "Choose a clinical or a nursing template.")
	}
	if err := cleanLineField(&t.Name, "name", "The template name", MaxShortTextLen, true); err != nil {
		return err
	}
	if len(t.Sections) == 0 || len(t.Sections) > MaxNoteSections {
		return FieldError("sections", "A template needs 1 to %d sections.", MaxNoteSections)
	}
	seen := map[string]bool{}
	for i := range t.Sections {
		sec := &t.Sections[i]
		if err := cleanFields(
			textField{&sec.Key, "sections", "A section key", MaxCodeLen, true, false},
			textField{&sec.Label, "sections." + sec.Key, "The section name", MaxShortTextLen, true, false},
			textField{&sec.Prompt, "sections." + sec.Key, "The section prompt", MaxLongTextLen, false, true},
			textField{&sec.Text, "sections." + sec.Key, "The starting text of " + sec.Label, MaxNoteSectionLen, false, true},
		); err != nil {
			return err
		}
		if unknown := UnknownPlaceholders(sec.Text); len(unknown) > 0 {
			return FieldError("sections."+sec.Key, "The starting text of %s uses %s, which is not a placeholder. "+
				"The placeholders are %s.", sec.Label, strings.Join(unknown, " and "), placeholderNames())
		}
		if seen[sec.Key] {
			return FieldError("sections", "The section %s appears twice.", sec.Label)
		}
		seen[sec.Key] = true
	}
	return nil
}

func cleanLineField(dst *string, field, label string, max int, required bool) error {
	return cleanFields(textField{dst, field, label, max, required, false})
}

// Validate normalises a problem in place.
func (p *Problem) Validate(now time.Time) error {
	if err := validateCoded("condition", "The condition", &p.Condition, true); err != nil {
		return err
	}
	var err error
	if p.Onset, err = validatePartialDate("onset", "The onset", p.Onset, now); err != nil {
		return err
	}
	if p.Status == "" {
		p.Status = ProblemActive
	}
	if !oneOf(p.Status, ProblemActive, ProblemInactive, ProblemResolved) {
		return FieldError("status", "Choose active, inactive or resolved.")
	}
	if err := p.validateImported(now); err != nil {
		return err
	}
	return cleanFields(textField{&p.Comment, "comment", "The comment", MaxLongTextLen, false, true})
}
