package chart

import (
	"context"
	"time"
)

// HeldChange is a change pulled from the practice server that this
// workstation held back instead of applying: it did not validate, its clock
// was implausible, its kind is unknown to this version of Outpost, its
// authentication failed, its content did not open, or its record would not
// merge with it. It is kept sealed exactly as received; the rest of the
// sync went on without it.
type HeldChange struct {
	ID          int64     `json:"id"`
	ChangeID    string    `json:"changeId"`
	Kind        string    `json:"kind"`
	RecordID    string    `json:"recordId"`
	PatientID   PatientID `json:"patientId"`
	PatientName string    `json:"patientName"` // "" when the patient is not on this workstation
	DeviceID    DeviceID  `json:"deviceId"`
	DeviceName  string    `json:"deviceName"` // the sending workstation, by the name it enrolled with
	UserID      UserID    `json:"userId"`
	UserName    string    `json:"userName"` // "" when the user is not known here
	WrittenAt   time.Time `json:"writtenAt"`
	// Reason is a code: malformed, clock, unknown_kind, unverified,
	// unopened, merge. Message says it for a person ("A change sent by
	// workstation Front desk could not be opened: …").
	Reason     string    `json:"reason"`
	Message    string    `json:"message"`
	ReceivedAt time.Time `json:"receivedAt"`
	Tries      int       `json:"tries"`
	LastTried  time.Time `json:"lastTried"`
	// Set once an administrator dismissed it (it stays listed, apart).
	DismissedAt     *time.Time `json:"dismissedAt,omitempty"`
	DismissedBy     string     `json:"dismissedBy,omitempty"`
	DismissedReason string     `json:"dismissedReason,omitempty"`
}

// HeldRetry says what a retry of held changes did.
type HeldRetry struct {
	Released  int `json:"released"`  // taken in and merged
	StillHeld int `json:"stillHeld"` // still failing (their message updated)
}

// QuarantineService lets an administrator see, retry and dismiss held
// changes. Every retry and dismissal is audited; a dismissal needs a reason.
type QuarantineService interface {
	HeldChanges(ctx context.Context, includeDismissed bool) ([]HeldChange, error)
	RetryHeld(ctx context.Context, ids []int64) (HeldRetry, error)
	DismissHeld(ctx context.Context, id int64, reason string) error
}

// MaxDismissReason bounds a dismissal's reason.
const MaxDismissReason = 500

// AuditQuarantine is the audit action of retrying or dismissing a held
// change.
const AuditQuarantine AuditAction = "held change"
