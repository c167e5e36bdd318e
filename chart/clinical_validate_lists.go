package chart

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Validate normalises a medication in place and reports every problem at
// once. Safety checks are separate (they need the rest of the chart), and
// so is who may prescribe (CheckPrescribing).
func (m *Medication) Validate(now time.Time) error {
	var probs Problems
	probs.Add(validateCoded("drug", "The medication", &m.Drug, true))
	cleanEach(&probs,
		textField{&m.Dose, "dose", "The dose", 20, false, false},
		textField{&m.Unit, "unit", "The dose unit", 40, false, false},
		textField{&m.Route, "route", "The route", 60, false, false},
		textField{&m.Frequency, "frequency", "The frequency", MaxShortTextLen, false, false},
		textField{&m.Quantity, "quantity", "The quantity", 60, false, false},
	)
	if m.Dose != "" && !probs.Has("dose") {
		if x, err := strconv.ParseFloat(strings.ReplaceAll(m.Dose, ",", "."), 64); err != nil || x <= 0 {
			probs.Add(FieldError("dose", "The dose must be a number greater than zero, e.g. 500 or 0.5."))
		}
	}
	if m.Refills < 0 || m.Refills > MaxRefills {
		probs.Add(FieldError("refills", "Refills must be between 0 and %d.", MaxRefills))
	}
	if m.DaysSupply < 0 || m.DaysSupply > MaxDaysSupply {
		probs.Add(FieldError("daysSupply", "The days' supply must be between 1 and %d days (or left empty).", MaxDaysSupply))
	}
	probs.Add(validateEncounterLink(m.EncounterID))
	m.validateDatesAndStatus(&probs, now)
	cleanEach(&probs,
		textField{&m.Instructions, "instructions", "The instructions", MaxLongTextLen, false, true},
		textField{&m.StopReason, "stopReason", "The stop reason", MaxShortTextLen, false, false},
		textField{&m.PrescriberName, "prescriberName", "The prescriber", MaxNameLen, false, false},
	)
	if m.Status == MedStopped && m.StopReason == "" && !probs.Has("stopReason") {
		probs.Add(FieldError("stopReason", "Say why the medication was stopped."))
	}
	return probs.Err()
}

func (m *Medication) validateDatesAndStatus(probs *Problems, now time.Time) {
	var err error
	if m.StartDate, err = validateDate("startDate", "The start date", m.StartDate, now, false, false); err != nil {
		probs.Add(err)
	}
	if m.StopDate, err = validateDate("stopDate", "The stop date", m.StopDate, now, false, false); err != nil {
		probs.Add(err)
	}
	if m.StartDate != "" && m.StopDate != "" && m.StopDate < m.StartDate {
		probs.Add(FieldError("stopDate", "The stop date is before the start date."))
	}
	if m.Status == "" {
		m.Status = MedActive
	}
	if !oneOf(m.Status, MedActive, MedCompleted, MedStopped) {
		probs.Add(FieldError("status", "Choose active, completed or stopped."))
	}
	if m.Source == "" {
		m.Source = MedPrescribedHere
	}
	if !oneOf(m.Source, MedPrescribedHere, MedPatientReported) {
		probs.Add(FieldError("source", "Choose prescribed here or reported by the patient."))
	}
	if m.PrescriberID != "" && !ValidID(string(m.PrescriberID)) {
		probs.Add(FieldError("prescriberId", "Choose the prescriber from the list."))
	}
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
	if err := validateEncounterLink(r.EncounterID); err != nil {
		return err
	}
	if err := r.validateReport(); err != nil {
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

// Validate normalises an immunization in place and reports every problem
// at once, in the order the form shows the fields.
func (im *Immunization) Validate(now time.Time) error {
	var probs Problems
	probs.Add(validateCoded("vaccine", "The vaccine", &im.Vaccine, true))
	if im.Source == "" {
		im.Source = "given"
	}
	if !oneOf(im.Source, "given", "historical") {
		probs.Add(FieldError("source", "Choose given here or historical."))
	}
	var err error
	if im.Date, err = validateDate("date", "The date", im.Date, now, true, true); err != nil {
		probs.Add(err)
	}
	if im.DoseNumber < 0 || im.DoseNumber > MaxDoseNumber {
		probs.Add(FieldError("doseNumber", "The dose number must be between 1 and %d (or left empty).", MaxDoseNumber))
	}
	cleanEach(&probs, textField{&im.Lot, "lot", "The lot number", 60, false, false})
	if im.Expiry, err = validateDate("expiry", "The expiry date", im.Expiry, now, false, false); err != nil {
		probs.Add(err)
	}
	cleanEach(&probs,
		textField{&im.Manufacturer, "manufacturer", "The manufacturer", MaxShortTextLen, false, false},
		textField{&im.Site, "site", "The site", 60, false, false},
		textField{&im.Route, "route", "The route", 60, false, false},
		textField{&im.GivenBy, "givenBy", "Given by", MaxNameLen, false, false},
		textField{&im.RefusalReason, "refusalReason", "The refusal reason", MaxShortTextLen, false, false},
	)
	if im.Refused && im.RefusalReason == "" && !probs.Has("refusalReason") {
		probs.Add(FieldError("refusalReason", "Say why the vaccine was refused."))
	}
	probs.Add(im.checkLotExpiry())
	return probs.Err()
}

// MinOverrideReasonLen is the shortest reason accepted to override a
// warning: enough for "stock", not a stray keystroke.
const MinOverrideReasonLen = 5

// checkLotExpiry warns when the dose is dated after its lot's expiry date:
// such a dose does not count and is usually repeated (ACIP General Best
// Practice Guidelines for Immunization, "Vaccine administration": doses
// given from expired vaccine are invalid and should be repeated). Like a
// medication safety alert, it can be overridden with a stated reason; the
// dates may be right (a historical record copied from a card).
func (im *Immunization) checkLotExpiry() error {
	expired := !im.Refused && im.Date != "" && im.Expiry != "" && im.Date > im.Expiry
	if !expired {
		im.ExpiredLotReason = ""
		return nil
	}
	reason, err := cleanText("expiredLotReason", "The reason", im.ExpiredLotReason, MaxShortTextLen, false)
	if err != nil {
		return err
	}
	im.ExpiredLotReason = reason
	if utf8.RuneCountInString(reason) >= MinOverrideReasonLen {
		return nil
	}
	lot := "The lot"
	if im.Lot != "" {
		lot = "Lot " + im.Lot
	}
	return FieldError("expiredLotReason", "%s expired on %s, before this dose was given on %s. A dose from an expired lot "+
		"does not count and is usually repeated (ACIP General Best Practice Guidelines for Immunization). "+
		"Check the lot and the dates; to save it as it is, say why (at least %d characters).",
		lot, isoLongDate(im.Expiry), isoLongDate(im.Date), MinOverrideReasonLen)
}

// isoLongDate writes a valid YYYY-MM-DD as "12 March 1980".
func isoLongDate(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return LongDate(d.Year(), int(d.Month()), d.Day())
}
