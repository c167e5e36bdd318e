package chart

import (
	"context"
	"strings"
	"time"
)

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
	AuditImport          AuditAction = "import"
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
	// PatientName and DeviceName are filled in for the viewer when the
	// entry is listed (never stored): the patient's name where this
	// workstation holds the patient, and the workstation's name.
	PatientName string `json:"patientName,omitempty"`
	DeviceName  string `json:"deviceName,omitempty"`
}

// Summary returns the indexed patient with id, if any: the audit viewer
// names patients by it.
func (ix *PatientIndex) Summary(id PatientID) (PatientSummary, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e := ix.byID[id]
	if e == nil {
		return PatientSummary{}, false
	}
	return e.summary, true
}

// PatientDisplayName is "Given Family", as sentences and lists of events
// name a patient.
func PatientDisplayName(p PatientSummary) string {
	return strings.TrimSpace(p.GivenName + " " + p.FamilyName)
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

// AuditVerification is the result of verifying the audit log: this
// workstation's chains, the copies of other workstations' logs received by
// sync, and the practice server's anchor.
type AuditVerification struct {
	OK      bool  `json:"ok"`
	Entries int64 `json:"entries"`
	// FirstBadSeq is this workstation's first entry that fails, 0 when its
	// own log is intact; Problem says what is wrong with it.
	FirstBadSeq int64  `json:"firstBadSeq"`
	Problem     string `json:"problem"`
	// Breaks lists every break found, here and in other workstations' logs.
	Breaks []AuditBreak `json:"breaks"`
	// Keyed entries are sealed into the keyed chain; SealedLate of them were
	// sealed after they were written (before the keyed chain existed, or
	// while nobody was signed in); Pending still wait for a key.
	Keyed      int64 `json:"keyed"`
	SealedLate int64 `json:"sealedLate"`
	Pending    int64 `json:"pending"`
	// Workstations is how many other workstations' logs were checked, over
	// RemoteEntries positions.
	Workstations  int              `json:"workstations"`
	RemoteEntries int64            `json:"remoteEntries"`
	Server        AuditServerCheck `json:"server"`
	// Checked says what was checked, one sentence per check.
	Checked []string `json:"checked"`
}

// AuditBreakKind names what kind of break verification found.
type AuditBreakKind string

const (
	AuditBreakChanged  AuditBreakKind = "changed"  // an entry differs from what was written
	AuditBreakRemoved  AuditBreakKind = "removed"  // entries are missing, or the log was cut back
	AuditBreakMoved    AuditBreakKind = "moved"    // entries out of place or replaced
	AuditBreakAdded    AuditBreakKind = "added"    // entries added outside Outpost
	AuditBreakUnsealed AuditBreakKind = "unsealed" // an entry's keyed seal was removed
	AuditBreakFork     AuditBreakKind = "fork"     // a workstation's log was rewritten after its entries were received
	AuditBreakServer   AuditBreakKind = "server"   // the practice server holds an entry this log does not
)

// AuditBreak is one break: which workstation's log, from which entry.
type AuditBreak struct {
	Kind       AuditBreakKind `json:"kind"`
	DeviceID   DeviceID       `json:"deviceId"`
	DeviceName string         `json:"deviceName"`
	Seq        int64          `json:"seq"`
	Problem    string         `json:"problem"`
}

// AuditServerState says whether and how the practice server was asked.
type AuditServerState string

const (
	AuditServerNotAsked     AuditServerState = "not asked"
	AuditServerNotConnected AuditServerState = "not connected" // no practice server configured
	AuditServerUnreachable  AuditServerState = "unreachable"
	AuditServerEmpty        AuditServerState = "empty"    // it holds no entry from this workstation yet
	AuditServerHeld         AuditServerState = "held"     // it returned its latest entry, to be compared
	AuditServerInvalid      AuditServerState = "invalid"  // its answer did not open under the practice key
	AuditServerMatched      AuditServerState = "matched"  // this log holds the server's latest entry, unchanged
	AuditServerMismatch     AuditServerState = "mismatch" // it does not: a break is listed
)

// AuditServerCheck is the outcome of the practice server's anchor: Seq is
// the entry it holds as this workstation's latest.
type AuditServerCheck struct {
	State   AuditServerState `json:"state"`
	Seq     int64            `json:"seq"`
	Message string           `json:"message"`
}

// AuditAnchor is what the practice server returned for this workstation's
// log: its latest stored audit change, sealed as this workstation sent it
// (the server cannot read it), or why it could not be asked.
type AuditAnchor struct {
	State    AuditServerState
	Message  string // for AuditServerUnreachable
	RecordID string
	ChangeID ChangeID
	DeviceID DeviceID
	Sealed   []byte
}

// AuditAnchorVerifier verifies the audit log against the practice server's
// anchor as well (the SQLite session implements it).
type AuditAnchorVerifier interface {
	VerifyAuditAnchored(ctx context.Context, anchor AuditAnchor) (AuditVerification, error)
}
