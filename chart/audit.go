package chart

import "time"

// AuditAction names what happened. The set is closed so the audit viewer can
// filter by it.
type AuditAction string

const (
	AuditSignIn          AuditAction = "sign-in"
	AuditSignInFailed    AuditAction = "sign-in failed"
	AuditLock            AuditAction = "lock"
	AuditChartOpen       AuditAction = "chart open"
	AuditCreate          AuditAction = "create"
	AuditUpdate          AuditAction = "update"
	AuditExport          AuditAction = "export"
	AuditSearch          AuditAction = "search"
	AuditUserAdmin       AuditAction = "user administration"
	AuditPracticeSetting AuditAction = "practice setting"
	AuditPassphrase      AuditAction = "passphrase change"
	AuditVerify          AuditAction = "audit verification"
)

// AuditEntry is one line of the append-only, hash-chained audit log.
type AuditEntry struct {
	Seq       int64       `json:"seq"`
	At        time.Time   `json:"at"`
	UserID    UserID      `json:"userId"`
	Username  string      `json:"username"`
	Action    AuditAction `json:"action"`
	PatientID PatientID   `json:"patientId,omitempty"`
	// RecordKind and RecordID name the record touched, when there is one.
	RecordKind string `json:"recordKind,omitempty"`
	RecordID   string `json:"recordId,omitempty"`
	// Detail is a short human description ("registered patient", "wrong
	// passphrase"). It is sealed at rest when a key is available.
	Detail   string   `json:"detail"`
	DeviceID DeviceID `json:"deviceId"`
	Hash     string   `json:"hash"`
	// Remote marks an entry written on another workstation of the practice
	// and received by sync (its Seq and Hash are that workstation's).
	Remote bool `json:"remote,omitempty"`
	// Cursor is the entry's position in the practice-wide trail: pass the
	// last one shown as AuditFilter.Before to read the next page.
	Cursor string `json:"cursor,omitempty"`
}

// AuditFilter narrows the audit viewer. Zero values match everything.
type AuditFilter struct {
	UserID    UserID      `json:"userId"`
	PatientID PatientID   `json:"patientId"`
	Action    AuditAction `json:"action"`
	From      string      `json:"from"`  // YYYY-MM-DD, inclusive, local to the workstation
	To        string      `json:"to"`    // YYYY-MM-DD, inclusive
	Limit     int         `json:"limit"` // default 200, at most 5000
	BeforeSeq int64       `json:"beforeSeq"`
	// AllDevices shows the practice-wide trail: this workstation's entries
	// and those received from every other workstation, newest first by
	// time. It pages with Before instead of BeforeSeq.
	AllDevices bool   `json:"allDevices"`
	Before     string `json:"before"`
}

// AuditVerification is the result of re-walking the hash chain.
type AuditVerification struct {
	OK      bool  `json:"ok"`
	Entries int64 `json:"entries"`
	// FirstBadSeq is the first entry that fails, 0 when OK.
	FirstBadSeq int64  `json:"firstBadSeq"`
	Problem     string `json:"problem"`
}
