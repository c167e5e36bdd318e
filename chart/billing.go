package chart

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Billing basics: the practice's own service codes and fees, a superbill
// per encounter, and a day's totals. Outpost ships no service codes: CPT
// is licensed by the AMA and must not be shipped, so each practice enters
// the codes it bills under (its licence, its fee schedule).

const (
	// KindServiceCode is one of the practice's service codes with its fee:
	// a practice-wide setting (patient id ""), edited by administrators,
	// one record per code so two edits of different codes never conflict.
	KindServiceCode = "service-code"
	// KindSuperbill is a superbill: patient-scoped like the encounter it
	// bills, because it names the patient's diagnoses, so it travels with
	// its patient (and only to workstations that hold them) and is read
	// and written under the clinical roles like the rest of the chart.
	KindSuperbill = "superbill"
)

// Bounds of billing input.
const (
	MaxFeeCents       = 100_000_00 // $100,000 for one service: anything above is a typing slip
	MaxSuperbillLines = 40
	MaxServiceUnits   = 99
)

var serviceCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-]{0,15}$`)

// ServiceCode is a code the practice bills under, with its fee in cents.
// An inactive code stays on old superbills but is no longer offered.
type ServiceCode struct {
	ID          RecordID  `json:"id"`
	Version     int64     `json:"version"`
	Code        string    `json:"code"`
	Description string    `json:"description"`
	FeeCents    int64     `json:"feeCents"`
	Active      bool      `json:"active"`
	UpdatedAt   time.Time `json:"updatedAt"`
	UpdatedBy   UserID    `json:"updatedBy"`
}

// Validate trims the code in place and checks it.
func (c *ServiceCode) Validate() error {
	var probs Problems
	c.Code = strings.ToUpper(strings.TrimSpace(c.Code))
	if !serviceCodePattern.MatchString(c.Code) {
		probs.Add(FieldError("code", "The code is 1 to 16 letters, digits, dots or dashes, as your fee schedule writes it."))
	}
	desc, err := cleanLine("description", "The description", c.Description, MaxShortTextLen, true)
	if probs.Add(err) {
		c.Description = desc
	}
	probs.Add(checkFee("feeCents", c.FeeCents))
	return probs.Err()
}

func checkFee(field string, cents int64) error {
	if cents < 0 || cents > MaxFeeCents {
		return FieldError(field, "The fee must be between $0.00 and %s.", FormatCents(MaxFeeCents))
	}
	return nil
}

// FormatCents writes an amount of cents as dollars: "$1,234.50".
func FormatCents(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := fmt.Sprint(cents / 100)
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return fmt.Sprintf("%s$%s.%02d", sign, whole, cents%100)
}

// SuperbillLine is one service billed: the code and fee as they were when
// billed (a later fee change does not rewrite old superbills).
type SuperbillLine struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	FeeCents    int64  `json:"feeCents"`
	Units       int    `json:"units"`
}

// Amount is the line's fee times its units.
func (l SuperbillLine) Amount() int64 { return l.FeeCents * int64(l.Units) }

// Superbill bills one encounter: its diagnoses (ICD-10-CM, from the
// encounter) and the services chosen, with their fees and the total.
type Superbill struct {
	Meta
	EncounterID RecordID        `json:"encounterId"`
	Date        string          `json:"date"` // the visit's day, YYYY-MM-DD
	Diagnoses   []Coded         `json:"diagnoses"`
	Lines       []SuperbillLine `json:"lines"`
	TotalCents  int64           `json:"totalCents"`
}

// Validate checks the superbill and sets its total from its lines.
func (b *Superbill) Validate(now time.Time) error {
	if !ValidID(string(b.EncounterID)) {
		return FieldError("encounterId", "Open the superbill from its visit.")
	}
	var err error
	if b.Date, err = validateDate("date", "The visit date", b.Date, now, true, false); err != nil {
		return err
	}
	if len(b.Lines) == 0 {
		return FieldError("lines", "Choose at least one service to bill.")
	}
	if len(b.Lines) > MaxSuperbillLines {
		return FieldError("lines", "A superbill holds at most %d services.", MaxSuperbillLines)
	}
	b.TotalCents = 0
	for i := range b.Lines {
		l := &b.Lines[i]
		l.Code = strings.ToUpper(strings.TrimSpace(l.Code))
		if !serviceCodePattern.MatchString(l.Code) {
			return FieldError("lines", "Service %d has no valid code: choose it from the practice's list.", i+1)
		}
		if l.Description, err = cleanLine("lines", "The service's description", l.Description, MaxShortTextLen, false); err != nil {
			return err
		}
		if l.Units < 1 || l.Units > MaxServiceUnits {
			return FieldError("lines", "Units of %s must be between 1 and %d.", l.Code, MaxServiceUnits)
		}
		if err := checkFee("lines", l.FeeCents); err != nil {
			return err
		}
		b.TotalCents += l.Amount()
	}
	for i := range b.Diagnoses {
		if err := validateCoded("diagnoses", "The diagnosis", &b.Diagnoses[i], true); err != nil {
			return err
		}
	}
	return nil
}

// DayTotals sums the superbills of one day for the practice.
type DayTotals struct {
	Date       string         `json:"date"`
	Superbills int            `json:"superbills"`
	TotalCents int64          `json:"totalCents"`
	ByCode     []ServiceTotal `json:"byCode"`
	// Unopened counts superbills (of any day) that failed their integrity
	// check here, so a total is never silently short.
	Unopened int `json:"unopened"`
}

// ServiceTotal is one code's share of a day.
type ServiceTotal struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Units       int    `json:"units"`
	TotalCents  int64  `json:"totalCents"`
}

// BillingService keeps the practice's fee schedule and its superbills.
type BillingService interface {
	// ServiceCodes lists the practice's codes (inactive ones included),
	// by code. Every role may read them: they are prices, not health data.
	ServiceCodes(ctx context.Context) ([]ServiceCode, error)
	// SaveServiceCode adds or edits a code (administrators; syncs).
	SaveServiceCode(ctx context.Context, c ServiceCode) (ServiceCode, error)
	// SaveSuperbill creates or edits the superbill of an encounter.
	SaveSuperbill(ctx context.Context, b Superbill) (Superbill, error)
	// Superbills lists a patient's superbills, oldest first.
	Superbills(ctx context.Context, id PatientID) ([]Superbill, error)
	// DayTotals sums the superbills of a day (YYYY-MM-DD), per code. It
	// names no patient or diagnosis, so administrators may see it too.
	DayTotals(ctx context.Context, date string) (DayTotals, error)
}
