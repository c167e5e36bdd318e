package chart

import (
	"github.com/google/uuid"
)

// Typed identifiers keep a patient id from being passed where a user id is
// expected. All are UUIDv7 strings: opaque, time-ordered (good index
// locality in SQLite), and safe to keep in clear beside sealed content.
type (
	PracticeID string
	UserID     string
	PatientID  string
	DeviceID   string
	ChangeID   string
)

func newV7() string { return uuid.Must(uuid.NewV7()).String() }

func NewPracticeID() PracticeID { return PracticeID(newV7()) }
func NewUserID() UserID         { return UserID(newV7()) }
func NewPatientID() PatientID   { return PatientID(newV7()) }
func NewDeviceID() DeviceID     { return DeviceID(newV7()) }
func NewChangeID() ChangeID     { return ChangeID(newV7()) }

// ValidID reports whether s is a well-formed UUID, for ids that arrive from
// the UI or the wire.
func ValidID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
