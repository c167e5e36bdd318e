package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/wire"
)

// Practice-wide records. The users (with their age-wrapped data keys) and
// the practice settings travel as changes with no patient, in the normal
// change log, so the outbox pushes them and every workstation pulls them:
//
//   - kind "user", record id = user id: sealed is a userEnvelope. The wrapped
//     key is already encrypted (age scrypt), and the login hash lets a
//     workstation that has no data key yet find the user at sign-in. The
//     profile (username, name, role, active) is sealed under the data key:
//     no staff name or role is on the wire in clear.
//   - kind "practice", record id = practice id: sealed is a practiceRecord,
//     sealed like any record.
//
// The users table and the meta settings stay the current state: every
// local change writes both the row and a change (in one transaction), and
// pulled changes are merged (merge.Record, like patients) and applied.

const (
	kindUser             = "user"
	kindPractice         = "practice"
	userEnvelopeVersion  = 2
	loginHashLabel       = "outpost-login"
	mergeFieldWrappedKey = "wrapped"
)

// practiceMerger re-merges practice-wide record id (a user, the practice
// settings) after pulled changes touched it and returns how many field
// conflicts it holds.
type practiceMerger func(s *Session, ctx context.Context, t *tx, id string) (int, error)

// practiceMergers are the practice-wide kinds ApplyRemote merges.
var practiceMergers = map[string]practiceMerger{
	kindUser:       mergeUser,
	kindPractice:   mergePractice,
	kindDevice:     mergeDevice,
	kindCredential: mergeCredential,
	kindKeybox:     mergeKeyRecord,
	kindEpoch:      mergeKeyRecord,
}

// loginHash is what a user change says of its username in clear: enough
// to find the user at sign-in on a workstation holding no key, nothing to
// read the name from (short of guessing it).
func loginHash(practice chart.PracticeID, username string) string {
	sum := sha256.Sum256([]byte(loginHashLabel + "\n" + string(practice) + "\n" + strings.ToLower(username)))
	return hex.EncodeToString(sum[:])
}

// userEnvelope is the sealed bytes of a user change. Version 2 carries the
// sealed profile only: the user's credential (their wrapped secret) is its
// own record (keys.go), and nothing of the username is on the wire.
// Version 1, written before key epochs, also carried a login hash of the
// username and the practice key wrapped for the passphrase; it is still
// read.
type userEnvelope struct {
	V       int    `json:"v"`
	Login   string `json:"login,omitempty"`   // v1
	Wrapped []byte `json:"wrapped,omitempty"` // v1: the data key, age-wrapped for the user's passphrase
	Profile []byte `json:"profile"`           // a sealed userProfile
}

// userProfile is the sealed part of a user change.
type userProfile struct {
	ID        chart.UserID `json:"id"`
	Username  string       `json:"username"`
	FullName  string       `json:"fullName"`
	Role      chart.Role   `json:"role"`
	Active    bool         `json:"active"`
	CreatedAt time.Time    `json:"createdAt"`
	UpdatedAt time.Time    `json:"updatedAt"`
	// WrappedSum (v1) is sha256 of the envelope's wrapped key: it binds the
	// wrapped key (outside the seal) to this version, so a server cannot
	// replay an old passphrase's key under a newer profile.
	WrappedSum string `json:"wrappedSum,omitempty"`
	// Box (v2) is the public half of the user's current credential: a
	// workstation takes a credential for the user only if it matches.
	Box []byte `json:"box,omitempty"`
	// LicenceNumber and NPI are the user's professional credentials; nil
	// in a profile written before they existed, and merging that keeps
	// what this workstation holds (applyUserCredentials).
	LicenceNumber *string `json:"licenceNumber"`
	NPI           *string `json:"npi"`
}

// practiceRecord is the sealed content of a practice change.
type practiceRecord struct {
	ID              chart.PracticeID    `json:"id"`
	Name            string              `json:"name"`
	IdleLockMinutes int                 `json:"idleLockMinutes"`
	Units           chart.PracticeUnits `json:"units"`
	SyncWarnDays    int                 `json:"syncWarnDays"`
	// RecoveryRecipient is the public half of the practice recovery key, so
	// a workstation that joins can make its own recovery wrap.
	RecoveryRecipient string `json:"recoveryRecipient"`
	// Address and Phone (chart.PracticeContact) are nil in a record written
	// before they existed: merging it keeps this workstation's.
	Address *string `json:"address"`
	Phone   *string `json:"phone"`
	// Registry (chart.RegistryTargets) is nil in a record written before
	// it existed: merging that keeps this workstation's.
	Registry  *chart.RegistryTargets `json:"registry"`
	CreatedAt time.Time              `json:"createdAt"`
	UpdatedAt time.Time              `json:"updatedAt"`
}

// pwWriter writes practice-wide changes: whose key seals them, from which
// device, attributed to whom.
type pwWriter struct {
	w      *Workstation
	key    *seal.Keyring
	device chart.DeviceID
	actor  chart.UserID
}

func (s *Session) pw() pwWriter {
	return pwWriter{w: s.w, key: s.key, device: s.deviceID, actor: s.user.ID}
}

// nextVersion returns the parents (every head) and version of the next
// local write of a practice-wide record.
func nextVersion(ctx context.Context, t *tx, kind, id string) ([]chart.ChangeID, int64, error) {
	heads, err := recordHeads(ctx, t, kind, id)
	if err != nil {
		return nil, 0, err
	}
	var top int64
	err = t.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM changes WHERE record_id = ? AND kind = ?`,
		id, kind).Scan(&top)
	if err != nil {
		return nil, 0, fmt.Errorf("next version of %s %s: %w", kind, id, err)
	}
	return heads, top + 1, nil
}

// appendChange adds one practice-wide change to the change log (not to
// records: the users table and meta are the current state).
func (p pwWriter) appendChange(ctx context.Context, t *tx, kind, id string, version int64, parents []chart.ChangeID,
	cid chart.ChangeID, sealed []byte) error {
	return p.w.appendLocal(ctx, t, p.key, &wire.Change{ChangeID: cid, RecordID: id, Kind: kind, Version: version,
		Parents: parents, DeviceID: p.device, UserID: p.actor, Sealed: sealed})
}

// syncUser writes user id's current row (its synced username, profile and
// wrapped key) as a new user change.
func (p pwWriter) syncUser(ctx context.Context, t *tx, id chart.UserID) error {
	u, ok, err := loadUser(ctx, t, "id", string(id))
	if err != nil {
		return err
	}
	if !ok {
		return userNotFound()
	}
	parents, version, err := nextVersion(ctx, t, kindUser, string(id))
	if err != nil {
		return err
	}
	prof := userProfile{ID: u.ID, Username: u.syncName, FullName: u.FullName, Role: u.Role, Active: u.Active,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Box: u.box, LicenceNumber: &u.LicenceNumber, NPI: &u.NPI}
	pt, err := json.Marshal(prof)
	if err != nil {
		return fmt.Errorf("encode user: %w", err)
	}
	defer clear(pt)
	cid := chart.NewChangeID()
	env, err := json.Marshal(userEnvelope{V: userEnvelopeVersion,
		Profile: p.key.Seal(pt, recordAD(kindUser, string(id), version, cid))})
	if err != nil {
		return fmt.Errorf("encode user change: %w", err)
	}
	return p.appendChange(ctx, t, kindUser, string(id), version, parents, cid, env)
}

// syncPractice writes the practice settings as meta holds them as a new
// practice change.
func (p pwWriter) syncPractice(ctx context.Context, t *tx) error {
	rec, err := loadPracticeRecord(ctx, t)
	if err != nil {
		return err
	}
	rec.UpdatedAt = t.now
	parents, version, err := nextVersion(ctx, t, kindPractice, string(rec.ID))
	if err != nil {
		return err
	}
	pt, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode practice: %w", err)
	}
	cid := chart.NewChangeID()
	sealed := p.key.Seal(pt, recordAD(kindPractice, string(rec.ID), version, cid))
	return p.appendChange(ctx, t, kindPractice, string(rec.ID), version, parents, cid, sealed)
}

// loadPracticeRecord reads the practice settings from meta.
func loadPracticeRecord(ctx context.Context, q queryer) (practiceRecord, error) {
	p, _, err := loadPractice(ctx, q)
	if err != nil {
		return practiceRecord{}, err
	}
	units, err := loadPracticeUnits(ctx, q)
	if err != nil {
		return practiceRecord{}, err
	}
	m, err := readMeta(ctx, q, metaRecoveryPublic)
	if err != nil {
		return practiceRecord{}, fmt.Errorf("load practice: %w", err)
	}
	return practiceRecord{ID: p.ID, Name: p.Name, IdleLockMinutes: p.IdleLockMinutes, Units: units,
		SyncWarnDays: p.SyncWarnDays, RecoveryRecipient: m[metaRecoveryPublic], Address: &p.Address, Phone: &p.Phone,
		Registry: &p.Registry, CreatedAt: p.CreatedAt}, nil
}

// publishPractice makes p the settings every open session of this
// workstation reports (a setting changed here or merged from elsewhere).
func (w *Workstation) publishPractice(p chart.Practice) { w.live.Store(&p) }

// livePractice returns the latest published settings of the practice
// fallback names, else fallback.
func (w *Workstation) livePractice(fallback chart.Practice) chart.Practice {
	if p := w.live.Load(); p != nil && p.ID == fallback.ID {
		return *p
	}
	return fallback
}
