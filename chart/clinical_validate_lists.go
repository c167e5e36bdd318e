package chart

import (
	"strconv"
	"strings"
	"time"
)

// Validate normalises a medication in place. Safety checks are separate
// (they need the rest of the chart).
func (m *Medication) Validate(now time.Time) error {
	if err := validateCoded("drug", "The medication", &m.Drug, true); err != nil {
		return err
	}
	if err := cleanFields(
		textField{&m.Dose, "dose", "The dose", 20, false, false},
		textField{&m.Unit, "unit", "The dose unit", 40, false, false},
		textField{&m.Route, "route", "The route", 60, false, false},
		textField{&m.Frequency, "frequency", "The frequency", MaxShortTextLen, false, false},
		textField{&m.Instructions, "instructions", "The instructions", MaxLongTextLen, false, true},
		textField{&m.Quantity, "quantity", "The quantity", 60, false, false},
		textField{&m.StopReason, "stopReason", "The stop reason", MaxShortTextLen, false, false},
		textField{&m.PrescriberName, "prescriberName", "The prescriber", MaxNameLen, false, false},
	); err != nil {
		return err
	}
	if m.Dose != "" {
		if x, err := strconv.ParseFloat(strings.ReplaceAll(m.Dose, ",", "."), 64); err != nil || x <= 0 {
			return FieldError("dose", "The dose must be a number greater than zero, e.g. 500 or 0.5.")
		}
	}
	if m.Refills < 0 || m.Refills > MaxRefills {
		return FieldError("refills", "Refills must be between 0 and %d.", MaxRefills)
	}
	return m.validateDatesAndStatus(now)
}

func (m *Medication) validateDatesAndStatus(now time.Time) error {
	var err error
	if m.StartDate, err = validateDate("startDate", "The start date", m.StartDate, now, false, false); err != nil {
		return err
	}
	if m.StopDate, err = validateDate("stopDate", "The stop date", m.StopDate, now, false, false); err != nil {
		return err
	}
	if m.StartDate != "" && m.StopDate != "" && m.StopDate < m.StartDate {
		return FieldError("stopDate", "The stop date is before the start date.")
	}
	if m.Status == "" {
		m.Status = MedActive
	}
	if !oneOf(m.Status, MedActive, MedCompleted, MedStopped) {
		return FieldError("status", "Choose active, completed or stopped.")
	}
	if m.Status == MedStopped && m.StopReason == "" {
		return FieldError("stopReason", "Say why the medication was stopped.")
	}
	if m.Source == "" {
		m.Source = MedPrescribedHere
	}
	if !oneOf(m.Source, MedPrescribedHere, MedPatientReported) {
		return FieldError("source", "Choose prescribed here or reported by the patient.")
	}
	if m.PrescriberID != "" && !ValidID(string(m.PrescriberID)) {
		return FieldError("prescriberId", "Choose the prescriber from the list.")
	}
	return nil
}

// Validate normalises an allergy in place.
func (a *Allergy) Validate(now time.Time) error {
	if err := validateCoded("substance", "The substance", &a.Substance, true); err != nil {
		return err
	}
	if err := cleanFields(
		textField{&a.Reaction, "reaction", "The reaction", MaxShortTextLen, false, false},
		textField{&a.Comment, "comment", "The comment", MaxLongTextLen, false, true},
	); err != nil {
		return err
	}
	defaults := []struct {
		dst          *string
		def, field   string
		allowed      []string
		message      string
		allowMissing bool
	}{
		{&a.Type, "allergy", "type", []string{"allergy", "intolerance"}, "Choose allergy or intolerance.", false},
		{&a.Severity, "", "severity", []string{"mild", "moderate", "severe"}, "Choose mild, moderate or severe.", true},
		{&a.Criticality, "", "criticality", []string{"low", "high", "unable-to-assess"}, "Choose low, high or unable to assess.", true},
		{&a.Verification, AllergyUnconfirmed, "verification", []string{AllergyUnconfirmed, AllergyConfirmed, AllergyRefuted},
			"Choose unconfirmed, confirmed or refuted.", false},
	}
	for _, d := range defaults {
		*d.dst = strings.TrimSpace(*d.dst)
		if *d.dst == "" {
			*d.dst = d.def
		}
		if (*d.dst != "" || !d.allowMissing) && !oneOf(*d.dst, d.allowed...) {
			return FieldError(d.field, "%s", d.message)
		}
	}
	var err error
	a.Onset, err = validatePartialDate("onset", "The onset", a.Onset, now)
	return err
}

// Result flags.
const (
	ResultNormal   = "normal"
	ResultLow      = "low"
	ResultHigh     = "high"
	ResultCritical = "critical"
	ResultAbnormal = "abnormal"
)

// Validate normalises a result in place and computes Flag from the value
// and reference range when the value is numeric and no flag was given.
func (r *Result) Validate(now time.Time) error {
	if err := validateCoded("test", "The test", &r.Test, true); err != nil {
		return err
	}
	if err := cleanFields(
		textField{&r.Value, "value", "The value", MaxShortTextLen, true, false},
		textField{&r.Unit, "unit", "The unit", 40, false, false},
		textField{&r.RefLow, "refLow", "The low reference", 20, false, false},
		textField{&r.RefHigh, "refHigh", "The high reference", 20, false, false},
		textField{&r.RefText, "refText", "The reference range", MaxShortTextLen, false, false},
	); err != nil {
		return err
	}
	low, lowOK, err := optionalNumber("refLow", "The low reference", r.RefLow)
	if err != nil {
		return err
	}
	high, highOK, err := optionalNumber("refHigh", "The high reference", r.RefHigh)
	if err != nil {
		return err
	}
	if lowOK && highOK && low > high {
		return FieldError("refHigh", "The high reference is below the low reference.")
	}
	if r.CollectedAt, err = validateDateOrDateTime("collectedAt", "The collection time", r.CollectedAt, now); err != nil {
		return err
	}
	if r.ResultedAt, err = validateDateOrDateTime("resultedAt", "The result time", r.ResultedAt, now); err != nil {
		return err
	}
	r.Flag = strings.TrimSpace(r.Flag)
	if r.Flag == "" {
		r.Flag = computeFlag(r.Value, low, lowOK, high, highOK)
	}
	if r.Flag != "" && !oneOf(r.Flag, ResultNormal, ResultLow, ResultHigh, ResultCritical, ResultAbnormal) {
		return FieldError("flag", "Choose normal, low, high, critical or abnormal.")
	}
	return nil
}

func optionalNumber(field, label, s string) (float64, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil {
		return 0, false, FieldError(field, "%s must be a number.", label)
	}
	return x, true, nil
}

// computeFlag compares a numeric value with the reference range; a value
// that is not a number ("positive", "<5") is left unflagged.
func computeFlag(value string, low float64, lowOK bool, high float64, highOK bool) string {
	x, err := strconv.ParseFloat(strings.ReplaceAll(value, ",", "."), 64)
	if err != nil || (!lowOK && !highOK) {
		return ""
	}
	switch {
	case lowOK && x < low:
		return ResultLow
	case highOK && x > high:
		return ResultHigh
	}
	return ResultNormal
}

// Validate normalises an immunization in place.
func (im *Immunization) Validate(now time.Time) error {
	if err := validateCoded("vaccine", "The vaccine", &im.Vaccine, true); err != nil {
		return err
	}
	var err error
	if im.Date, err = validateDate("date", "The date", im.Date, now, true, true); err != nil {
		return err
	}
	if im.Expiry, err = validateDate("expiry", "The expiry date", im.Expiry, now, false, false); err != nil {
		return err
	}
	if err := cleanFields(
		textField{&im.Lot, "lot", "The lot number", 60, false, false},
		textField{&im.Manufacturer, "manufacturer", "The manufacturer", MaxShortTextLen, false, false},
		textField{&im.Site, "site", "The site", 60, false, false},
		textField{&im.Route, "route", "The route", 60, false, false},
		textField{&im.GivenBy, "givenBy", "Given by", MaxNameLen, false, false},
		textField{&im.RefusalReason, "refusalReason", "The refusal reason", MaxShortTextLen, false, false},
	); err != nil {
		return err
	}
	if im.DoseNumber < 0 || im.DoseNumber > MaxDoseNumber {
		return FieldError("doseNumber", "The dose number must be between 1 and %d (or left empty).", MaxDoseNumber)
	}
	if im.Source == "" {
		im.Source = "given"
	}
	if !oneOf(im.Source, "given", "historical") {
		return FieldError("source", "Choose given here or historical.")
	}
	if im.Refused && im.RefusalReason == "" {
		return FieldError("refusalReason", "Say why the vaccine was refused.")
	}
	return nil
}
