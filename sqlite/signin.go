package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"outpost/chart"
	"outpost/seal"
)

// Sign-in throttling: after freeAttempts consecutive wrong passphrases each
// further failure locks the account for baseLockout·2^(n-freeAttempts), at
// most maxLockout. scrypt already makes each guess cost a second; this stops
// someone at the keyboard from scripting guesses.
const (
	freeAttempts = 5
	baseLockout  = 5 * time.Second
	maxLockout   = 5 * time.Minute
	// maxAuditedUsername bounds what a failed sign-in writes in clear.
	maxAuditedUsername = 64
)

func lockoutFor(failures int) time.Duration {
	if failures < freeAttempts {
		return 0
	}
	shift := failures - freeAttempts
	if shift >= 7 { // 5s·2^6 already exceeds the cap
		return maxLockout
	}
	return min(baseLockout<<shift, maxLockout)
}

func unauthorized(field, format string, args ...any) error {
	return &chart.Error{Code: chart.EUNAUTHORIZED, Field: field, Message: fmt.Sprintf(format, args...)}
}

// SignIn unwraps the practice key with the user's passphrase and builds the
// patient index. Every attempt is audited.
func (w *Workstation) SignIn(ctx context.Context, username, passphrase string) (chart.Session, error) {
	return w.SignInWithProgress(ctx, username, passphrase, nil)
}

// SignInWithProgress is SignIn reporting how far the first sign-in after a
// join has come in opening and merging what the join fetched (records done
// of total); progress may be nil. A plain sign-in reports nothing. It
// returns once everything the join fetched is merged.
func (w *Workstation) SignInWithProgress(ctx context.Context, username, passphrase string,
	progress func(done, total int)) (chart.Session, error) {
	return w.signIn(ctx, username, passphrase, progress, false)
}

// SignInChartFirst is SignInWithProgress returning as soon as the chart is
// usable: the first sign-in after a join merges the practice, its users
// and the patients, and leaves the charts' records to merge behind
// (sync_join_behind.go), which the caller runs with MergeBehind.
func (w *Workstation) SignInChartFirst(ctx context.Context, username, passphrase string,
	progress func(done, total int)) (chart.Session, error) {
	return w.signIn(ctx, username, passphrase, progress, true)
}

func (w *Workstation) signIn(ctx context.Context, username, passphrase string,
	progress func(done, total int), later bool) (chart.Session, error) {
	name := chart.NormalizeUsername(username)
	if name == "" {
		return nil, chart.FieldError("username", "Enter your username.")
	}
	if passphrase == "" {
		return nil, chart.FieldError("passphrase", "Enter your passphrase.")
	}
	practice, device, err := loadPractice(ctx, w.db)
	if err != nil {
		return nil, wrapInternal("sign in", err)
	}
	u, ok, err := loadUser(ctx, w.db, "username", name)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	flags, err := readMeta(ctx, w.db, metaJoinPending, metaUnmerged)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if _, unmerged := flags[metaUnmerged]; !ok || unmerged {
		// Not known here, or changes a join pull stored are not merged yet:
		// the change log decides (join_signin.go).
		a := &logSignIn{name: name, passphrase: passphrase, practice: practice, device: device, progress: progress,
			mergeLater: later}
		_, a.joined = flags[metaJoinPending]
		if ok {
			a.row = &u
		}
		return w.signInFromLog(ctx, a)
	}
	if !u.Active {
		return nil, w.refuseSignIn(ctx, device, u.User, "account is deactivated",
			unauthorized("username", "This account is deactivated; ask your practice administrator."))
	}
	wait, err := w.throttled(u)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if wait > 0 { // refused before scrypt runs: throttling must cost nothing
		return nil, w.refuseSignIn(ctx, device, u.User, fmt.Sprintf("refused: throttled after %d failed attempts", u.failed),
			unauthorized("passphrase", "Too many wrong passphrases for this account. Wait %s, then try again.", formatWait(wait)))
	}
	keys, root, err := w.unlock(u, passphrase)
	if errors.Is(err, seal.ErrWrongPassphrase) {
		return nil, w.recordWrongPassphrase(ctx, device, u.User)
	}
	if err != nil {
		return nil, signInError(err)
	}
	ring, err := w.ringAtSignIn(ctx, w.db, keys, u, root)
	if err != nil {
		return nil, signInError(err)
	}
	s, err := w.openSession(ctx, ring, keys, u.User, practice, device, nil)
	if err != nil {
		ring.Wipe()
		return nil, wrapInternal("sign in", err)
	}
	if keys == nil {
		if err := s.upgradeCredential(ctx, passphrase); err != nil {
			return nil, wrapInternal("sign in", err)
		}
	}
	return s, nil
}

// unlock opens what u's passphrase unwraps: their own key pair (keys), or,
// for an account from before key epochs, the practice's first key (root).
func (w *Workstation) unlock(u userRow, passphrase string) (keys *seal.UserKeys, root *seal.Key, err error) {
	if u.keyScheme == 2 {
		keys, err = openCredential(u.wrapped, passphrase, w.workFactor)
		if err == nil && !bytes.Equal(keys.BoxPublic(), u.box) {
			err = fmt.Errorf("the stored credential of %s does not match its key", u.ID)
		}
		return keys, nil, err
	}
	root, err = seal.UnwrapWithPassphrase(u.wrapped, passphrase, w.workFactor)
	return nil, root, err
}

// ringAtSignIn builds the signing-in user's keyring. An account from before
// key epochs reaches the first key only: it may sign in (and get a key of
// its own) only while the practice has no later key.
func (w *Workstation) ringAtSignIn(ctx context.Context, q queryer, keys *seal.UserKeys, u userRow, root *seal.Key) (*seal.Keyring, error) {
	ring, err := ringFor(ctx, q, keys, u.ID, root)
	if err != nil {
		return nil, err
	}
	if keys == nil {
		epochs, err := loadEpochs(ctx, q)
		if err != nil {
			return nil, err
		}
		if len(epochs) > 0 {
			ring.Wipe()
			return nil, errKeyChanged
		}
	}
	return ring, nil
}

// errKeyChanged: an account from before key epochs, at a practice whose key
// has changed since.
var errKeyChanged = errors.New("the practice key changed since this account last signed in")

// signInError says what the person must do about a key that cannot be
// opened.
func signInError(err error) error {
	switch {
	case errors.Is(err, seal.ErrWorkFactor):
		return unauthorized("passphrase", "This account's key asks for far more work than this practice allows, so "+
			"Outpost refused it: it may have been tampered with. Ask your practice administrator to reset your passphrase.")
	case errors.Is(err, errNoKey):
		return unauthorized("passphrase", "The practice's key for your account has not reached this workstation yet. "+
			"Sync with the practice server, or ask your practice administrator to reset your passphrase.")
	case errors.Is(err, errKeyChanged):
		return unauthorized("passphrase", "The practice's key was changed since you last signed in. Ask your practice "+
			"administrator to reset your passphrase; then sign in with the new one.")
	}
	return wrapInternal("sign in", err)
}

// upgradeCredential gives an account from before key epochs a secret of its
// own, wrapped for the passphrase just typed, and seals the practice key to
// it: from then on it signs in like any other.
func (s *Session) upgradeCredential(ctx context.Context, passphrase string) error {
	cred, err := newCredential(passphrase, s.w.workFactor)
	if err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.w.write(ctx, func(t *tx) error { return s.replaceCredential(ctx, t, s.user, cred) })
}

// clip bounds a typed username before it is echoed or stored.
func clip(name string) string {
	if utf8.RuneCountInString(name) <= maxAuditedUsername {
		return name
	}
	return string([]rune(name)[:maxAuditedUsername]) + "…"
}

// throttled returns how long u must still wait before another attempt.
func (w *Workstation) throttled(u userRow) (time.Duration, error) {
	if u.lockedUntil == "" {
		return 0, nil
	}
	until, err := parseTime(u.lockedUntil)
	if err != nil {
		return 0, err
	}
	return max(until.Sub(w.now()), 0), nil
}

// refuseSignIn audits a failed attempt (in clear: no key is available, and
// the detail never holds health data) and returns refusal.
func (w *Workstation) refuseSignIn(ctx context.Context, device chart.DeviceID, u chart.User, detail string, refusal error) error {
	err := w.write(ctx, func(t *tx) error {
		return auditFailure(ctx, t, device, u, chart.AuditSignInFailed, detail)
	})
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	return refusal
}

func auditFailure(ctx context.Context, t *tx, device chart.DeviceID, u chart.User, action chart.AuditAction, detail string) error {
	_, err := appendAudit(ctx, t, nil, t.now, chart.AuditEntry{UserID: u.ID, Username: u.Username,
		Action: action, Detail: detail, DeviceID: device})
	if err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// recordWrongPassphrase counts the failure, throttles from the fifth on,
// and audits it, all in one transaction.
func (w *Workstation) recordWrongPassphrase(ctx context.Context, device chart.DeviceID, u chart.User) error {
	var wait time.Duration
	err := w.write(ctx, func(t *tx) error {
		var failures int
		err := t.QueryRowContext(ctx, `UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?
			RETURNING failed_attempts`, u.ID).Scan(&failures)
		if err != nil {
			return fmt.Errorf("count failed attempt: %w", err)
		}
		if wait = lockoutFor(failures); wait > 0 {
			if _, err := t.ExecContext(ctx, `UPDATE users SET locked_until = ? WHERE id = ?`,
				formatTime(t.now.Add(wait)), u.ID); err != nil {
				return fmt.Errorf("throttle sign-in: %w", err)
			}
		}
		return auditFailure(ctx, t, device, u, chart.AuditSignInFailed,
			fmt.Sprintf("wrong passphrase (%d in a row)", failures))
	})
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	msg := "That passphrase is not right. Check Caps Lock and try again."
	if wait > 0 {
		msg = fmt.Sprintf("That passphrase is not right. After too many attempts, wait %s before trying again.", formatWait(wait))
	}
	return unauthorized("passphrase", "%s", msg)
}

// openSession builds the patient index, then resets the failure count and
// audits the sign-in, and makes the session current.
// merged are the index entries of the patients a merge just wrote
// (index_merged.go; nil: none).
func (w *Workstation) openSession(ctx context.Context, key *seal.Keyring, uk *seal.UserKeys, u chart.User, p chart.Practice,
	device chart.DeviceID, merged mergedIndex) (*Session, error) {
	b, err := w.buildIndexWith(ctx, key, merged)
	if err != nil {
		return nil, err
	}
	s := newSession(w, key, uk, u, p, device, chart.NewPatientIndex(patientsOf(b.entries)))
	s.unreadable, s.indexOpened = b.unreadable, b.opened
	err = w.write(ctx, func(t *tx) error { // after a join's first sign-in, no automatic checkpoint (writeTx)
		if _, err := t.ExecContext(ctx, `UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?`, u.ID); err != nil {
			return fmt.Errorf("reset failed attempts: %w", err)
		}
		if err := s.backfillPracticeWide(ctx, t); err != nil {
			return err
		}
		if err := s.publishDeviceName(ctx, t); err != nil {
			return err
		}
		if err := s.rotateIfRevoked(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditSignIn, Detail: "signed in"})
	})
	if err != nil {
		s.drop()
		return nil, err
	}
	w.publishPractice(p)
	w.setCurrent(s)
	if b.stale {
		w.refreshIndexSnapshot(s, b.entries)
	}
	return s, nil
}

// RecoverPassphrase sets a new passphrase for username using the practice
// recovery key.
func (w *Workstation) RecoverPassphrase(ctx context.Context, recoveryKey, username, newPassphrase string) error {
	if err := chart.ValidatePassphrase("newPassphrase", newPassphrase); err != nil {
		return err
	}
	name := chart.NormalizeUsername(username)
	m, err := readMeta(ctx, w.db, metaRecoveryWrapped, metaDeviceID)
	if err != nil {
		return fmt.Errorf("recover passphrase: %w", err)
	}
	if _, ok := m[metaRecoveryWrapped]; !ok {
		return chart.Errorf(chart.ENOTFOUND, "There is no practice on this workstation yet. Create one first.")
	}
	device := chart.DeviceID(m[metaDeviceID])
	u, ok, err := loadUser(ctx, w.db, "username", name)
	if err != nil {
		return fmt.Errorf("recover passphrase: %w", err)
	}
	if !ok {
		return unauthorized("username", "No user named “%s” on this workstation.", clip(name))
	}
	if err := checkStrength("newPassphrase", newPassphrase, u.Username, u.FullName); err != nil {
		return err
	}
	ring, err := recoveryRing(ctx, w.db, []byte(m[metaRecoveryWrapped]), recoveryKey)
	if errors.Is(err, seal.ErrWrongRecoveryKey) {
		return w.refuseRecovery(ctx, device, u.User)
	}
	if err != nil {
		return fmt.Errorf("recover passphrase: %w", err)
	}
	defer ring.Wipe()
	cred, err := newCredential(newPassphrase, w.workFactor)
	if err != nil {
		return fmt.Errorf("recover passphrase: %w", err)
	}
	practice, _, err := loadPractice(ctx, w.db)
	if err != nil {
		return fmt.Errorf("recover passphrase: %w", err)
	}
	// The user's own session, for the length of the reset: the new
	// credential and its keyboxes are written, sealed and attributed as
	// their sign-in would.
	tmp := newSession(w, ring, cred.keys, u.User, practice, device, nil)
	defer clear(tmp.mrnKey)
	err = w.write(ctx, func(t *tx) error {
		if err := tmp.replaceCredential(ctx, t, u.User, cred); err != nil {
			return err
		}
		return tmp.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPassphrase,
			Detail: "passphrase reset with the practice recovery key"})
	})
	if err != nil {
		return fmt.Errorf("recover passphrase: %w", err)
	}
	return nil
}

func (w *Workstation) refuseRecovery(ctx context.Context, device chart.DeviceID, u chart.User) error {
	err := w.write(ctx, func(t *tx) error {
		return auditFailure(ctx, t, device, u, chart.AuditPassphrase, "recovery key rejected")
	})
	if err != nil {
		return fmt.Errorf("recover passphrase: %w", err)
	}
	return unauthorized("recoveryKey", "That recovery key does not unlock this practice. Check it against the printed copy; it starts with AGE-SECRET-KEY-1.")
}

// backfillPracticeWide writes, once, the change of every user and of the
// practice settings that a workstation made before they synced, so they
// reach the practice server like everything since.
func (s *Session) backfillPracticeWide(ctx context.Context, t *tx) error {
	m, err := readMeta(ctx, t, metaBackfilled, metaPracticeName)
	if err != nil {
		return err
	}
	if _, done := m[metaBackfilled]; done {
		return nil
	}
	if _, made := m[metaPracticeName]; made {
		if err := s.backfillMissing(ctx, t); err != nil {
			return fmt.Errorf("write users and settings for sync: %w", err)
		}
	}
	return setMeta(ctx, t, metaBackfilled, []byte("1"))
}

func (s *Session) backfillMissing(ctx context.Context, t *tx) error {
	var practiceChanges int
	if err := t.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE kind = ? AND patient_id = ''`,
		kindPractice).Scan(&practiceChanges); err != nil {
		return err
	}
	if practiceChanges == 0 {
		if err := s.pw().syncPractice(ctx, t); err != nil {
			return err
		}
	}
	rows, err := t.QueryContext(ctx, `SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM changes c
		WHERE c.kind = ? AND c.patient_id = '' AND c.record_id = u.id) ORDER BY created_at, id`, kindUser)
	if err != nil {
		return err
	}
	var missing []chart.UserID
	for rows.Next() {
		var id chart.UserID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		missing = append(missing, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range missing {
		if err := s.pw().syncUser(ctx, t, id); err != nil {
			return err
		}
	}
	return nil
}
