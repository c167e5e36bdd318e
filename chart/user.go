package chart

import (
	"regexp"
	"strings"
	"time"
)

// User is a member of staff who signs in. Usernames and full names are staff
// data, kept in clear so the sign-in screen works before any key is unwrapped.
type User struct {
	ID       UserID `json:"id"`
	Username string `json:"username"`
	FullName string `json:"fullName"`
	Role     Role   `json:"role"`
	Active   bool   `json:"active"`
	// LicenceNumber and NPI are the professional credentials a
	// prescription carries; both may be empty (not every role prescribes).
	LicenceNumber string    `json:"licenceNumber"`
	NPI           string    `json:"npi"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
}

// NewUser is the form to add a user.
type NewUser struct {
	FullName   string `json:"fullName"`
	Username   string `json:"username"`
	Role       Role   `json:"role"`
	Passphrase string `json:"passphrase"`
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// NormalizeUsername lower-cases and trims a username as typed at sign-in.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate normalises fields in place and checks them, reporting every
// problem at once in the order the form shows the fields.
func (u *NewUser) Validate() error {
	var probs Problems
	name, err := cleanName("fullName", "Full name", u.FullName, MaxNameLen, true)
	if probs.Add(err) {
		u.FullName = name
	}
	u.Username = NormalizeUsername(u.Username)
	if !usernamePattern.MatchString(u.Username) {
		probs.Add(FieldError("username", "A username is 2 to 32 characters: lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit."))
	}
	if !u.Role.Valid() {
		probs.Add(FieldError("role", "Choose a role: clinician, nurse, front desk or administrator."))
	}
	probs.Add(ValidatePassphrase("passphrase", u.Passphrase))
	return probs.Err()
}

// Credentials are a user's professional credentials, printed on what they
// prescribe: the licence number their regulator gave them and, where the
// practice uses one, their US National Provider Identifier.
type Credentials struct {
	LicenceNumber string `json:"licenceNumber"`
	NPI           string `json:"npi"`
}

// MaxLicenceLen bounds a licence number (regulators' numbers are short).
const MaxLicenceLen = 40

// Validate trims the credentials in place and checks them, reporting every
// problem at once. Both are optional.
func (c *Credentials) Validate() error {
	var probs Problems
	licence, err := cleanLine("licenceNumber", "Licence number", c.LicenceNumber, MaxLicenceLen, false)
	if probs.Add(err) {
		c.LicenceNumber = licence
	}
	c.NPI = strings.Join(strings.Fields(c.NPI), "")
	if c.NPI != "" && !ValidNPI(c.NPI) {
		probs.Add(FieldError("npi", "A National Provider Identifier is 10 digits whose last is a check digit; please check it."))
	}
	return probs.Err()
}

// ValidNPI reports whether s is a National Provider Identifier: 10 digits,
// the last a Luhn check digit computed over "80840" followed by the first
// nine (the prefix the NPI standard uses for its issuer).
func ValidNPI(s string) bool {
	if len(s) != 10 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	return luhnDigit("80840"+s[:9]) == int(s[9]-'0')
}
