package chart

import (
	"context"
	"encoding/json"
	"time"
)

// Sync-facing domain types: what a person sees of sync (conflicts to
// review, the workstation's sync history and scope). The protocol itself
// lives in package sync; these are the shapes the app shows and edits.

// ConflictValue is one of the values a field was given concurrently.
type ConflictValue struct {
	// Value is the field's JSON (a string, an object of strings, ...); empty
	// when that edit cleared the field.
	Value    json.RawMessage `json:"value"`
	DeviceID DeviceID        `json:"deviceId"`
	// DeviceName is the name the workstation was given at enrolment (or
	// "…" and the end of its id while its name has not synced here).
	DeviceName string    `json:"deviceName"`
	UserID     UserID    `json:"userId"`
	UserName   string    `json:"userName"` // the user's full name, or their id when unknown here
	At         time.Time `json:"at"`       // wall time of the edit (from its clock)
}

// RecordConflict is one field of one record that two workstations edited
// concurrently. Shown is what the chart displays now (the deterministic
// winner); Others are the concurrent values kept for review, latest first.
type RecordConflict struct {
	RecordID    string    `json:"recordId"`
	Kind        string    `json:"kind"` // patient, note, allergy, ...
	PatientID   PatientID `json:"patientId"`
	PatientName string    `json:"patientName"`
	// RecordLabel says which record in words: "Allergy: Penicillin",
	// "Note: Progress note 12 Mar 2026", "Demographics"; the kind alone
	// when the record does not open here.
	RecordLabel string          `json:"recordLabel"`
	Field       string          `json:"field"` // top-level JSON field name
	Shown       ConflictValue   `json:"shown"`
	Others      []ConflictValue `json:"others"`
	// AgainstSigned: Shown is a signed note's content, Others are edits it
	// refused; they can only be kept as an addendum, never applied.
	AgainstSigned bool `json:"againstSigned"`
}

// Resolution choices.
const (
	ResolveKeepShown = "shown"  // keep what is displayed
	ResolveTakeOther = "other"  // take Others[OtherIndex]
	ResolveMerged    = "merged" // store Value, written by the reviewer
	// ResolveAddendum (AgainstSigned only) keeps Others[OtherIndex] as an
	// unsigned addendum to the signed note and dismisses that value.
	ResolveAddendum = "addendum"
)

// Resolution settles one RecordConflict. It is stored as a new version of
// the record based on every concurrent head, so it syncs and closes the
// conflict on every workstation.
type Resolution struct {
	RecordID   string          `json:"recordId"`
	Kind       string          `json:"kind"`
	Field      string          `json:"field"`
	Choice     string          `json:"choice"`
	OtherIndex int             `json:"otherIndex"`
	Value      json.RawMessage `json:"value,omitempty"` // for ResolveMerged
	// ConfirmEmpty: the reviewer confirmed that an empty merged value is
	// meant to clear the field; without it an empty value is refused.
	ConfirmEmpty bool `json:"confirmEmpty,omitempty"`
}

// ConflictMark says that one record of a patient's chart has open sync
// conflicts, for the marker the chart shows on it.
type ConflictMark struct {
	RecordID string   `json:"recordId"`
	Kind     string   `json:"kind"`
	Fields   []string `json:"fields"` // the fields in conflict, sorted
}

// ConflictService lists and resolves sync conflicts. Conflicts lists those
// the user's role may read; resolving needs the role that may edit the
// record's kind. PatientConflicts marks the records of one patient with
// open conflicts the role may read (no values: the chart shows a marker
// that leads to the Conflicts screen).
type ConflictService interface {
	Conflicts(ctx context.Context) ([]RecordConflict, error)
	PatientConflicts(ctx context.Context, id PatientID) ([]ConflictMark, error)
	ResolveConflict(ctx context.Context, r Resolution) error
}

// SyncRun is one attempt to sync with the practice server, as the
// workstation recorded it (for the status bar and the end-of-day report).
type SyncRun struct {
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
	Sent       int       `json:"sent"`
	Received   int       `json:"received"`
	Conflicts  int       `json:"conflicts"`
	Requests   int       `json:"requests"`
	Error      string    `json:"error,omitempty"` // "" when the run succeeded
}

// Default and bounds for the practice's "warn when a workstation has not
// synced for N days" setting.
const (
	DefaultSyncWarnDays = 3
	MinSyncWarnDays     = 1
	MaxSyncWarnDays     = 90
)

// SyncScope is which patients this workstation replicates (partial
// replication): the whole practice (All), or a chosen set such as a
// nurse's route for the day. It is the device's own choice and does not
// sync. Practice-wide records (users, settings, templates) always come.
type SyncScope struct {
	All      bool           `json:"all"`
	Patients []ScopePatient `json:"patients"`
	// ByDate is set when the set is a route by date: the patients of a
	// nurse's home visits in the coming days, recomputed at every sync.
	ByDate *RouteByDate `json:"byDate,omitempty"`
}

// RouteByDate is a route computed from the appointment book: the patients
// of Nurse's home visits from today for Days days.
type RouteByDate struct {
	Nurse     UserID `json:"nurse"`
	NurseName string `json:"nurseName,omitempty"`
	Days      int    `json:"days"`
}

// MaxRouteDays bounds a route by date.
const MaxRouteDays = 14

// ScopePatient is one patient of a SyncScope. Leaving: taken off the set;
// the chart stays on this device until its PendingChanges (local changes
// the server has not acknowledged) reach 0 and a sync purges it.
// Backfilling: added after this device had synced, and its history is
// still being fetched.
type ScopePatient struct {
	ID             PatientID `json:"id"`
	Name           string    `json:"name"`
	MRN            string    `json:"mrn"`
	PendingChanges int       `json:"pendingChanges"`
	Leaving        bool      `json:"leaving"`
	Backfilling    bool      `json:"backfilling"`
}

// MaxScopePatients bounds a chosen set (the server's patient filter limit).
const MaxScopePatients = 10000

// SyncScopeState is the scope as a sync needs it. Pull is nil for the
// whole practice, else the patients to pull (including those leaving, until
// purged). Backfill lists patients added after this device had synced,
// whose history must be pulled from BackfillAfter.
type SyncScopeState struct {
	Pull          []PatientID
	Backfill      []PatientID
	BackfillAfter int64
}

// ServerResync is a workstation starting over with a practice server
// brought back from a copy (docs/SYNC.md, "A restored practice server"):
// its pulls went back to seq 0 and its own changes wait to be sent again.
type ServerResync struct {
	// Restored: the server's store incarnation changed; else its head
	// fell behind this workstation's cursor (a restore not reincarnated).
	Restored bool
	// Cursor is the pull cursor that was reset to 0; Requeued how many of
	// this workstation's own changes wait to be sent again.
	Cursor   int64
	Requeued int
}
