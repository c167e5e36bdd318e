package chart

import (
	"strings"
	"time"
)

// Practice is the clinic that owns the chart. Its settings sync to every
// workstation.
type Practice struct {
	ID   PracticeID `json:"id"`
	Name string     `json:"name"`
	// IdleLockMinutes is how long a session may sit idle before it locks.
	IdleLockMinutes int `json:"idleLockMinutes"`
	// SyncWarnDays is how many days without a sync before the workstation
	// warns that it is falling behind the practice server.
	SyncWarnDays int `json:"syncWarnDays"`
	// Address (up to MaxPracticeAddressLines lines) and Phone are where
	// a pharmacy reaches the prescriber: printed on every prescription.
	Address string `json:"address"`
	Phone   string `json:"phone"`
	// Registry is the chronic-care registries' targets (the defaults
	// until an administrator sets them).
	Registry  RegistryTargets `json:"registry"`
	CreatedAt time.Time       `json:"createdAt"`
}

// PracticeContact is the practice's address and phone, set by an
// administrator in Settings.
type PracticeContact struct {
	Address string `json:"address"`
	Phone   string `json:"phone"`
}

// Bounds of the practice address: a few lines, as on a letterhead.
const (
	MaxPracticeAddressLines = 5
	MaxPracticeAddressLen   = 400
)

// Validate trims the contact in place (blank lines and the spaces around
// each line go) and checks it, reporting every problem at once. Both parts
// are optional.
func (c *PracticeContact) Validate() error {
	var probs Problems
	addr, err := cleanText("address", "Address", strings.ReplaceAll(c.Address, "\r\n", "\n"), MaxPracticeAddressLen, false)
	if probs.Add(err) {
		var lines []string
		for l := range strings.SplitSeq(addr, "\n") {
			l, err := cleanLine("address", "Address", strings.Join(strings.Fields(l), " "), MaxShortTextLen, false)
			if !probs.Add(err) {
				break
			}
			if l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > MaxPracticeAddressLines {
			probs.Add(FieldError("address", "The address is %d lines; keep it to %d, as on a letterhead.", len(lines), MaxPracticeAddressLines))
		}
		if !probs.Has("address") {
			c.Address = strings.Join(lines, "\n")
		}
	}
	phone, err := validatePhone("phone", "Phone", c.Phone)
	if probs.Add(err) {
		c.Phone = phone
	}
	return probs.Err()
}

const (
	DefaultIdleLockMinutes = 10
	MinIdleLockMinutes     = 1
	MaxIdleLockMinutes     = 240
)

// NewPractice is what "Create a practice" asks for: the practice and its
// first administrator.
type NewPractice struct {
	PracticeName string  `json:"practiceName"`
	Admin        NewUser `json:"admin"`
}

// Validate trims fields in place and checks them.
func (p *NewPractice) Validate() error {
	name, err := cleanLine("practiceName", "Practice name", p.PracticeName, MaxShortTextLen, true)
	if err != nil {
		return err
	}
	p.PracticeName = name
	p.Admin.Role = RoleAdministrator
	return p.Admin.Validate()
}

// ValidateIdleLock checks an idle-lock setting.
func ValidateIdleLock(minutes int) error {
	if minutes < MinIdleLockMinutes || minutes > MaxIdleLockMinutes {
		return FieldError("idleLockMinutes", "The idle lock must be between %d and %d minutes.", MinIdleLockMinutes, MaxIdleLockMinutes)
	}
	return nil
}

// ValidateSyncWarnDays checks the "warn when not synced for N days" setting.
func ValidateSyncWarnDays(days int) error {
	if days < MinSyncWarnDays || days > MaxSyncWarnDays {
		return FieldError("syncWarnDays", "The sync warning must be between %d and %d days.", MinSyncWarnDays, MaxSyncWarnDays)
	}
	return nil
}

// WorkstationStatus is what the sign-in screen needs before anyone signs in.
type WorkstationStatus struct {
	HasPractice  bool     `json:"hasPractice"`
	PracticeName string   `json:"practiceName"`
	DeviceID     DeviceID `json:"deviceId"`
	SignedIn     *User    `json:"signedIn,omitempty"`
	// NeedsFirstSignIn: the workstation joined a practice through the
	// practice server and nobody has signed in here yet, so the practice's
	// settings (and its name: PracticeName may be "") are still sealed.
	// The first sign-in with any practice user's passphrase opens them.
	NeedsFirstSignIn bool `json:"needsFirstSignIn"`
}
