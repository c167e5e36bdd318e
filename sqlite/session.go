package sqlite

import (
	"context"
	"fmt"
	gosync "sync"

	"outpost/chart"
	"outpost/seal"
)

// Session is one signed-in user's view of the chart; it implements
// chart.Session. It holds the unwrapped data key and the decrypted patient
// index until Lock.
type Session struct {
	w        *Workstation
	deviceID chart.DeviceID

	// mu guards everything below. Reads and writes of the chart take it
	// shared (the index is safe for concurrent use); Lock and settings
	// changes take it exclusively, so the key is never wiped mid-use.
	mu       gosync.RWMutex
	key      *seal.Keyring  // the practice's keys this user reaches; nil once locked
	userKeys *seal.UserKeys // the user's own key pair, for keys that arrive while signed in
	// ringGrew: a pull brought keys this session lacked; changes held back
	// for want of them are retried after it.
	ringGrew bool
	mrnKey   []byte // subkey for MRN tags
	user     chart.User
	practice chart.Practice
	index    *chart.PatientIndex
	// unreadable are the patient records left out of the index because
	// they did not open (set at sign-in, then only read).
	unreadable unreadablePatients
	// indexOpened counts the patient records the sign-in opened for the
	// index (the rest came from the snapshot or the merge before it).
	indexOpened int
	// tasks remembers what the inbox count needs of each task (worklist.go).
	tasks taskCounter
}

var _ chart.Session = (*Session)(nil)
var _ chart.ChartService = (*Session)(nil)

func newSession(w *Workstation, key *seal.Keyring, uk *seal.UserKeys, u chart.User, p chart.Practice, device chart.DeviceID,
	ix *chart.PatientIndex) *Session {
	return &Session{w: w, deviceID: device, key: key, userKeys: uk, mrnKey: key.Derive(mrnTagLabel), user: u, practice: p,
		index: ix}
}

func errLocked() error {
	return chart.Errorf(chart.ELOCKED, "Outpost is locked. Sign in again.")
}

// check returns ELOCKED after Lock, else the role check for act (if any).
// Call it with mu held.
func (s *Session) check(act chart.Action) error {
	if s.key == nil {
		return errLocked()
	}
	if act == "" {
		return nil
	}
	return chart.Require(s.user.Role, act)
}

// User returns the signed-in user (kept after Lock, for the lock screen).
func (s *Session) User() chart.User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.user
}

// Practice returns the practice and its settings, as last changed here or
// merged from another workstation.
func (s *Session) Practice() chart.Practice {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.w.livePractice(s.practice)
}

func (s *Session) signedInUser() (chart.User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.user, s.key != nil
}

// Lock audits the lock, then wipes the key and drops the index. Locking a
// locked session does nothing, so an idle timer and a button can both fire.
func (s *Session) Lock(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key == nil {
		return nil
	}
	err := s.w.write(ctx, func(t *tx) error {
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditLock, Detail: "locked the session"})
	})
	// Lock even if the audit write failed: leaving the chart open is worse.
	s.wipe()
	s.w.clearCurrent(s)
	if err != nil {
		return fmt.Errorf("lock: audit: %w", err)
	}
	return nil
}

// drop locks without auditing, when the store closes or another user signs in.
func (s *Session) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wipe()
}

func (s *Session) wipe() {
	s.key.Wipe()
	s.key, s.userKeys = nil, nil
	clear(s.mrnKey)
	s.mrnKey = nil
	if s.index != nil {
		s.index.Clear()
		s.index = nil
	}
}

// audit appends e, attributed to this session's user and device, inside t,
// and queues it for the practice server, which relays it in the next
// push's audit batches (audit_sync.go).
func (s *Session) audit(ctx context.Context, t *tx, e chart.AuditEntry) error {
	e.UserID, e.Username, e.DeviceID = s.user.ID, s.user.Username, s.deviceID
	var key *seal.Key
	if s.key != nil {
		key = s.key.Root()
	} // else cannot seal now: the entry waits for a key like a failed sign-in
	if _, err := appendAudit(ctx, t, key, t.now, e); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// auditLocal appends e to this workstation's log only. It is for sync's own
// bookkeeping ("applied N changes from the practice server"): were that
// entry synced, applying it elsewhere would write another, and two
// workstations would echo entries to each other forever.
func (s *Session) auditLocal(ctx context.Context, t *tx, e chart.AuditEntry) error {
	e.UserID, e.Username, e.DeviceID = s.user.ID, s.user.Username, s.deviceID
	a, err := appendAuditRow(ctx, t, s.key.Root(), t.now, e)
	if err == nil {
		err = a.writeHead(ctx, t)
	}
	if err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

func patientAudit(action chart.AuditAction, id chart.PatientID, detail string) chart.AuditEntry {
	return chart.AuditEntry{Action: action, PatientID: id, RecordKind: kindPatient, RecordID: string(id), Detail: detail}
}
