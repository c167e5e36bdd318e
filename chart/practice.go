package chart

import "time"

// Practice is the clinic that owns the chart. Its settings sync to every
// workstation.
type Practice struct {
	ID   PracticeID `json:"id"`
	Name string     `json:"name"`
	// IdleLockMinutes is how long a session may sit idle before it locks.
	IdleLockMinutes int       `json:"idleLockMinutes"`
	CreatedAt       time.Time `json:"createdAt"`
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

// WorkstationStatus is what the sign-in screen needs before anyone signs in.
type WorkstationStatus struct {
	HasPractice  bool     `json:"hasPractice"`
	PracticeName string   `json:"practiceName"`
	DeviceID     DeviceID `json:"deviceId"`
	SignedIn     *User    `json:"signedIn,omitempty"`
}
