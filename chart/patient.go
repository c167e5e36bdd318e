package chart

import (
	"crypto/rand"
	"math/big"
	"regexp"
	"strings"
	"time"
)

// Sex is the sex recorded for clinical purposes (FHIR administrative gender).
type Sex string

const (
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexOther   Sex = "other"
	SexUnknown Sex = "unknown"
)

// Valid reports whether s is a known value.
func (s Sex) Valid() bool {
	return s == SexFemale || s == SexMale || s == SexOther || s == SexUnknown
}

// Address is where the patient lives; Directions is free text for a
// home-visit nurse ("third farm past the grain silo, blue gate").
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	Region     string `json:"region"`
	PostalCode string `json:"postalCode"`
	Country    string `json:"country"`
	Directions string `json:"directions"`
}

// EmergencyContact is who to call.
type EmergencyContact struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	Phone        string `json:"phone"`
}

// Identifier is a patient's number in another system: System is a URI
// (e.g. "http://hospital.smarthealthit.org"), Type a short label ("MR",
// "SS", "DL" as in HL7 v2 table 0203) for people reading it.
type Identifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
	Type   string `json:"type,omitempty"`
}

// Patient is the demographic record: the whole of it is sealed at rest.
type Patient struct {
	ID                PatientID        `json:"id"`
	MRN               string           `json:"mrn"`
	GivenName         string           `json:"givenName"`
	FamilyName        string           `json:"familyName"`
	PreferredName     string           `json:"preferredName"`
	BirthDate         string           `json:"birthDate"` // YYYY-MM-DD
	Sex               Sex              `json:"sex"`
	GenderIdentity    string           `json:"genderIdentity"`
	Phone             string           `json:"phone"`
	Address           Address          `json:"address"`
	EmergencyContact  EmergencyContact `json:"emergencyContact"`
	PreferredLanguage string           `json:"preferredLanguage"`
	// Identifiers are the patient's numbers elsewhere (a hospital MRN, a
	// national or insurance number), kept from imports and used to match
	// an incoming patient to this chart.
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Email       string       `json:"email,omitempty"`
	// Deceased is set with DeceasedDate (YYYY-MM-DD) when known.
	Deceased     bool   `json:"deceased,omitempty"`
	DeceasedDate string `json:"deceasedDate,omitempty"`
	// Inactive keeps the chart but takes the patient out of the patient
	// list, the day's list and recalls (moved away, left the practice).
	Inactive  bool      `json:"inactive,omitempty"`
	Insurance Insurance `json:"insurance"`
	// Guardian is who decides for a minor; the form asks for one under 18.
	Guardian Guardian `json:"guardian"`
	// Merged is set on a record retired by a merge: the same person's
	// chart continues under Merged.Into (patient_merge.go).
	Merged *PatientMerge `json:"merged,omitempty"`
	// Origin is set on a patient first registered by an import.
	Origin *SourceRef `json:"origin,omitempty"`

	// Set by the store, ignored on input.
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy UserID    `json:"updatedBy"`
}

// PatientVersion is one entry of a patient's demographic history.
type PatientVersion struct {
	Patient Patient `json:"patient"`
	// ChangeID, Concurrent and DeviceName as in RecordVersion.
	ChangeID      ChangeID  `json:"changeId"`
	Version       int64     `json:"version"`
	Concurrent    bool      `json:"concurrent"`
	DeviceName    string    `json:"deviceName"`
	ChangedAt     time.Time `json:"changedAt"`
	ChangedBy     UserID    `json:"changedBy"`
	ChangedByName string    `json:"changedByName"`
}

// PatientSummary is a search hit: enough for the patient list and to tell
// two patients apart.
type PatientSummary struct {
	ID            PatientID `json:"id"`
	MRN           string    `json:"mrn"`
	GivenName     string    `json:"givenName"`
	FamilyName    string    `json:"familyName"`
	PreferredName string    `json:"preferredName"`
	BirthDate     string    `json:"birthDate"`
	Sex           Sex       `json:"sex"`
	Phone         string    `json:"phone"`
	// Inactive, Deceased and MergedInto say why a patient is out of the
	// lists by default (see Active); the list shows them on request.
	Inactive   bool      `json:"inactive,omitempty"`
	Deceased   bool      `json:"deceased,omitempty"`
	MergedInto PatientID `json:"mergedInto,omitempty"`
}

// Summary returns the patient's search-hit view.
func (p *Patient) Summary() PatientSummary {
	s := PatientSummary{ID: p.ID, MRN: p.MRN, GivenName: p.GivenName, FamilyName: p.FamilyName,
		PreferredName: p.PreferredName, BirthDate: p.BirthDate, Sex: p.Sex, Phone: p.Phone,
		Inactive: p.Inactive, Deceased: p.Deceased}
	if p.Merged != nil {
		s.MergedInto = p.Merged.Into
	}
	return s
}

const oldestBirthYears = 130

var (
	mrnPattern   = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{2,19}$`)
	phoneAllowed = regexp.MustCompile(`^\+?[0-9 ()./-]+$`)
)

// Validate is ValidateFor with no date order chosen: a date of birth typed
// all in numbers is accepted only when it cannot be read two ways.
func (p *Patient) Validate(now time.Time) error { return p.ValidateFor(now, "") }

// ValidateFor normalises a patient's fields in place and checks them
// against today's date (for the date of birth), reading a typed date of
// birth in the practice's order. It returns every problem found, each
// attached to its form field, in the order the form shows them.
func (p *Patient) ValidateFor(now time.Time, order DateOrder) error {
	type line struct {
		dst                  *string
		field, label         string
		max                  int
		required, long, name bool
	}
	var probs Problems
	clean := func(f line) {
		var v string
		var err error
		switch {
		case f.long:
			v, err = cleanText(f.field, f.label, *f.dst, f.max, f.required)
		case f.name:
			v, err = cleanName(f.field, f.label, *f.dst, f.max, f.required)
		default:
			v, err = cleanLine(f.field, f.label, *f.dst, f.max, f.required)
		}
		if probs.Add(err) {
			*f.dst = v
		}
	}
	for _, f := range []line{
		{&p.FamilyName, "familyName", "Family name", MaxNameLen, true, false, true},
		{&p.GivenName, "givenName", "Given name", MaxNameLen, true, false, true},
		{&p.PreferredName, "preferredName", "Preferred name", MaxNameLen, false, false, true},
	} {
		clean(f)
	}
	probs.Add(p.validateMRN())
	probs.Add(p.validateBirthDate(now, order))
	if p.Sex == "" {
		p.Sex = SexUnknown
	}
	if !p.Sex.Valid() {
		probs.Add(FieldError("sex", "Choose female, male, other or unknown."))
	}
	clean(line{&p.GenderIdentity, "genderIdentity", "Gender identity", MaxShortTextLen, false, false, false})
	probs.Add(cleanPhone(&p.Phone, "phone", "Phone"))
	for _, f := range []line{
		{&p.PreferredLanguage, "preferredLanguage", "Preferred language", MaxShortTextLen, false, false, false},
		{&p.EmergencyContact.Name, "emergencyContact.name", "Emergency contact name", MaxNameLen, false, false, true},
		{&p.EmergencyContact.Relationship, "emergencyContact.relationship", "Emergency contact relationship", MaxShortTextLen, false, false, false},
	} {
		clean(f)
	}
	probs.Add(cleanPhone(&p.EmergencyContact.Phone, "emergencyContact.phone", "Emergency contact phone"))
	for _, f := range []line{
		{&p.Address.Line1, "address.line1", "Address line 1", MaxShortTextLen, false, false, false},
		{&p.Address.Line2, "address.line2", "Address line 2", MaxShortTextLen, false, false, false},
		{&p.Address.City, "address.city", "City or town", MaxShortTextLen, false, false, false},
		{&p.Address.Region, "address.region", "State or region", MaxShortTextLen, false, false, false},
		{&p.Address.PostalCode, "address.postalCode", "Postal code", 20, false, false, false},
		{&p.Address.Country, "address.country", "Country", MaxShortTextLen, false, false, false},
		{&p.Address.Directions, "address.directions", "Directions", MaxLongTextLen, false, true, false},
	} {
		clean(f)
	}
	p.validateImported(&probs, now)
	p.validateStatus(&probs)
	return probs.Err()
}

func (p *Patient) validateMRN() error {
	p.MRN = strings.ToUpper(strings.TrimSpace(p.MRN))
	if p.MRN != "" && !mrnPattern.MatchString(p.MRN) {
		return FieldError("mrn", "A medical record number is 3 to 20 letters, digits or dashes.")
	}
	return nil
}

func (p *Patient) validateBirthDate(now time.Time, order DateOrder) error {
	p.BirthDate = strings.TrimSpace(p.BirthDate)
	if p.BirthDate == "" {
		return FieldError("birthDate", "Date of birth is required.")
	}
	iso, err := ParseDate("birthDate", "Date of birth", p.BirthDate, order)
	if err != nil {
		return err
	}
	d, _ := time.Parse(time.DateOnly, iso) // ParseDate returns only real dates
	shown := isoLongDate(iso)
	if iso > now.Format(time.DateOnly) {
		return FieldError("birthDate", "Date of birth %s is in the future.", shown)
	}
	if d.Year() < now.Year()-oldestBirthYears {
		return FieldError("birthDate", "Date of birth %s is more than %d years ago; please check the year.", shown, oldestBirthYears)
	}
	p.BirthDate = iso
	return nil
}

func cleanPhone(dst *string, field, label string) error {
	v, err := validatePhone(field, label, *dst)
	if err == nil {
		*dst = v
	}
	return err
}

func validatePhone(field, label, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	digits := PhoneDigits(s)
	if !phoneAllowed.MatchString(s) || len(digits) < 5 || len(digits) > 17 || len(s) > 32 {
		return "", FieldError(field, "%s should be a phone number: digits, spaces, +, -, brackets (5 to 17 digits).", label)
	}
	return s, nil
}

// PhoneDigits keeps only the digits of a phone number, for matching.
func PhoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NewMRN returns a random medical record number: eight digits and a Luhn
// check digit, so a mistyped MRN is usually caught.
func NewMRN() string {
	n, err := rand.Int(rand.Reader, big.NewInt(90_000_000))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	body := big.NewInt(0).Add(n, big.NewInt(10_000_000)).String()
	return body + string(rune('0'+luhnDigit(body)))
}

func luhnDigit(digits string) int {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// Age returns the whole years between birthDate (YYYY-MM-DD) and now, or -1.
func Age(birthDate string, now time.Time) int {
	d, err := time.Parse(time.DateOnly, birthDate)
	if err != nil {
		return -1
	}
	years := now.Year() - d.Year()
	if now.Month() < d.Month() || (now.Month() == d.Month() && now.Day() < d.Day()) {
		years--
	}
	return years
}

// DuplicateReason explains why two patients may be the same person.
func DuplicateReason(a, b *Patient) string {
	if a.ID == b.ID {
		return ""
	}
	if strings.EqualFold(a.FamilyName, b.FamilyName) && strings.EqualFold(a.GivenName, b.GivenName) && a.BirthDate == b.BirthDate {
		return "same name and date of birth"
	}
	if da, db := PhoneDigits(a.Phone), PhoneDigits(b.Phone); da != "" && da == db {
		return "same phone number"
	}
	return ""
}

// DuplicateCandidate is a possible duplicate found when registering.
type DuplicateCandidate struct {
	Patient PatientSummary `json:"patient"`
	Reason  string         `json:"reason"`
}
