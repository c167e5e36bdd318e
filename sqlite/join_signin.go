package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"outpost/chart"
	"outpost/seal"
)

// Sign-in from the change log: for a username the users table does not
// hold (a joined workstation before its first sign-in, or a user whose
// change a join pull stored unmerged), or while a join pull left changes
// unmerged. The credentials in the log say nothing of usernames but a
// one-byte bucket: the passphrase is tried on those of the typed name's
// bucket (one, almost always), and the secret it opens reaches the
// practice's keys through the user's keyboxes. Those keys open and merge
// everything stored, and the merged users row then decides (active? the
// credential still current?). Practices from before key epochs carried a
// login hash and the wrapped practice key in each user change instead;
// those still sign in.

// logCandidate is a credential that may be the typed user's: their secret
// wrapped for the passphrase (v2), or the practice key so wrapped (v1).
type logCandidate struct {
	user    chart.UserID
	wrapped []byte
	own     bool // a credential of the user's own (v2)
}

// errLogSignInRefused makes the materialising transaction roll back.
var errLogSignInRefused = errors.New("sign-in refused after merge")

// logSignIn is one sign-in attempt through the change log.
type logSignIn struct {
	name, passphrase string
	practice         chart.Practice
	device           chart.DeviceID
	joined           bool     // no sign-in here yet: the users table is empty
	row              *userRow // the users row of name, if any
	login            string   // loginHash of name (local throttling; v1 user changes)
	refusal          error    // set when the merged row refuses the sign-in
	refusedUser      chart.User
	progress         func(done, total int) // nil: nobody watches
	mergeLater       bool                  // leave the charts' records to MergeBehind
}

// unlocked is what a passphrase opened: a user's keys, or (v1) the
// practice's first key.
type unlocked struct {
	cand logCandidate
	keys *seal.UserKeys
	root *seal.Key
}

func (w *Workstation) signInFromLog(ctx context.Context, a *logSignIn) (chart.Session, error) {
	a.login = loginHash(a.practice.ID, a.name)
	wait, err := w.loginThrottled(ctx, a.login)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if wait > 0 { // before scrypt runs: throttling must cost nothing
		return nil, w.refuseSignIn(ctx, a.device, chart.User{Username: clip(a.name)}, "refused: throttled after failed attempts",
			unauthorized("passphrase", "Too many wrong passphrases for this account. Wait %s, then try again.", formatWait(wait)))
	}
	cands, err := loginCandidates(ctx, w.db, a.practice.ID, a.name, a.login)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if a.row != nil && len(a.row.wrapped) > 0 {
		cands = append(cands, logCandidate{user: a.row.ID, wrapped: a.row.wrapped, own: a.row.keyScheme == 2})
	}
	if len(cands) == 0 && !a.joined {
		return nil, w.refuseSignIn(ctx, a.device, chart.User{Username: clip(a.name)}, "unknown username",
			unauthorized("username", "No user named “%s” on this workstation.", clip(a.name)))
	}
	u, err := w.unwrapAny(cands, a.passphrase)
	if err != nil {
		return nil, signInError(err)
	}
	if u == nil {
		return nil, w.recordLoginFailure(ctx, a)
	}
	ring, err := ringFor(ctx, w.db, u.keys, u.cand.user, u.root)
	if err != nil {
		return nil, signInError(err)
	}
	s, err := w.materialise(ctx, ring, u, a)
	if errors.Is(err, errLogSignInRefused) {
		ring.Wipe()
		if a.refusal == nil {
			return nil, w.recordLoginFailure(ctx, a)
		}
		return nil, w.refuseSignIn(ctx, a.device, a.refusedUser, "account is deactivated", a.refusal)
	}
	if err != nil {
		ring.Wipe()
		return nil, wrapInternal("sign in", err)
	}
	if u.keys == nil {
		if err := s.upgradeCredential(ctx, a.passphrase); err != nil {
			return nil, wrapInternal("sign in", err)
		}
	}
	if !a.mergeLater {
		if err := s.MergeBehind(ctx, a.progress); err != nil {
			return nil, errors.Join(wrapInternal("sign in", err), s.Lock(ctx))
		}
	}
	return s, nil
}

// loginCandidates returns the credentials that may be name's: the latest
// credential of each user whose bucket is name's, then (practices from
// before key epochs) the wrapped keys of user changes whose login hash is
// login, newest first.
func loginCandidates(ctx context.Context, q queryer, practice chart.PracticeID, name, login string) ([]logCandidate, error) {
	bucket := loginBucket(practice, name)
	rows, err := q.QueryContext(ctx, `SELECT record_id, kind, `+changeSealed("changes")+` FROM changes
		WHERE kind IN (?, ?) AND patient_id = '' ORDER BY hlc DESC, change_id DESC`, kindCredential, kindUser)
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	defer rows.Close()
	var out []logCandidate
	latest := map[chart.UserID]bool{}
	for rows.Next() {
		var id chart.UserID
		var kind string
		var raw []byte
		if err := rows.Scan(&id, &kind, &raw); err != nil {
			return nil, fmt.Errorf("find user: %w", err)
		}
		switch kind {
		case kindCredential:
			var c credentialRecord
			if latest[id] || json.Unmarshal(raw, &c) != nil || c.User != id {
				continue
			}
			latest[id] = true
			if c.Bucket == bucket && len(c.Secret) > 0 {
				out = append(out, logCandidate{user: id, wrapped: c.Secret, own: true})
			}
		case kindUser:
			var env userEnvelope
			if json.Unmarshal(raw, &env) == nil && env.V == 1 && env.Login == login && len(env.Wrapped) > 0 {
				out = append(out, logCandidate{user: id, wrapped: env.Wrapped})
			}
		}
	}
	return out, rows.Err()
}

// unwrapAny tries the passphrase on each distinct candidate in turn; nil
// means none opened. With no candidate it still does the work of one, so
// the time a refusal takes does not tell whether the username exists.
func (w *Workstation) unwrapAny(cands []logCandidate, passphrase string) (*unlocked, error) {
	if len(cands) == 0 {
		w.decoyUnwrap(passphrase)
		return nil, nil
	}
	for i, c := range cands {
		if seen(cands[:i], c.wrapped) {
			continue
		}
		u := &unlocked{cand: c}
		var err error
		if c.own {
			u.keys, err = openCredential(c.wrapped, passphrase, w.workFactor)
		} else {
			u.root, err = seal.UnwrapWithPassphrase(c.wrapped, passphrase, w.workFactor)
		}
		if errors.Is(err, seal.ErrWrongPassphrase) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return u, nil
	}
	return nil, nil
}

// decoyUnwrap does the scrypt work of one unwrap that cannot succeed.
func (w *Workstation) decoyUnwrap(passphrase string) {
	w.decoyOnce.Do(func() {
		k, err := seal.NewKey()
		if err != nil {
			return
		}
		defer k.Wipe()
		// The passphrase is random too: nobody can type it.
		w.decoy, _ = seal.WrapWithPassphrase(k, hex.EncodeToString(k.Derive("outpost/decoy/v1")), w.workFactor)
	})
	if w.decoy != nil {
		seal.UnwrapWithPassphrase(w.decoy, passphrase, w.workFactor) //nolint:errcheck // only the time it takes matters
	}
}

func seen(before []logCandidate, wrapped []byte) bool {
	for _, b := range before {
		if bytes.Equal(b.wrapped, wrapped) {
			return true
		}
	}
	return false
}

// materialise merges the whole change log with ring in one transaction,
// then lets the merged users row decide: a deactivated account, or a
// credential that is no longer current (an older passphrase opened), rolls
// everything back. On success the session is opened as usual.
func (w *Workstation) materialise(ctx context.Context, ring *seal.Keyring, u *unlocked, a *logSignIn) (*Session, error) {
	tmp := newSession(w, ring, u.keys, chart.User{ID: u.cand.user, Username: clip(a.name)}, a.practice, a.device,
		chart.NewPatientIndex(nil))
	defer clear(tmp.mrnKey) // the keys themselves live on in the real session
	var user chart.User
	merged := mergedIndex{}
	// Chart first, the checkpoint is left behind the chart (wal_left.go);
	// a sign-in that merges everything first empties the log before it
	// returns, as the merge behind would.
	write := w.write
	if a.mergeLater {
		write = w.writeLeavingCheckpoint
	}
	w.signInMerging.Add(1)
	defer w.signInMerging.Add(-1)
	err := write(ctx, func(t *tx) error {
		t.progress, t.indexed = a.progress, merged
		merged, err := tmp.mergeAll(ctx, t)
		if err != nil {
			return err
		}
		row, ok, err := loadUser(ctx, t, "id", string(u.cand.user))
		if err != nil {
			return err
		}
		if !ok {
			return errLogSignInRefused // its versions wait for a parent: not yet a user here
		}
		if !row.Active {
			a.refusal = unauthorized("username", "This account is deactivated; ask your practice administrator.")
			a.refusedUser = row.User
			return errLogSignInRefused
		}
		if err := stillCurrent(row, u, a.passphrase, w.workFactor); err != nil {
			return err
		}
		user = row.User
		tmp.user = row.User
		if _, err := t.ExecContext(ctx, `DELETE FROM signin_throttle WHERE login = ?`, a.login); err != nil {
			return fmt.Errorf("reset failed attempts: %w", err)
		}
		if err := deleteMeta(ctx, t, metaJoinPending, metaUnmerged); err != nil {
			return err
		}
		return tmp.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate,
			Detail: fmt.Sprintf("opened %d records pulled from the practice server", merged)})
	})
	if err != nil {
		return nil, err
	}
	// The merge rewrote every record in one transaction: fold that log
	// back (best effort; it is trimmed at its next restart otherwise).
	if !a.mergeLater {
		if err := w.Checkpoint(ctx); err != nil {
			slog.Warn("checkpoint after the first sign-in's merge", "err", err)
		}
	}
	practice, _, err := loadPractice(ctx, w.db)
	if err != nil {
		w.copyLeftLog()
		return nil, err
	}
	s, err := w.openSession(ctx, ring, u.keys, user, practice, a.device, merged)
	w.copyLeftLog() // chart first: the copy left behind the chart (wal_left.go)
	return s, err
}

// stillCurrent checks that what the passphrase opened is the merged row's
// current credential (an older passphrase's opens nothing new).
func stillCurrent(row userRow, u *unlocked, passphrase string, workFactor int) error {
	if u.keys != nil {
		if row.keyScheme == 2 && bytes.Equal(row.box, u.keys.BoxPublic()) {
			return nil
		}
		return errLogSignInRefused
	}
	if bytes.Equal(row.wrapped, u.cand.wrapped) {
		return nil
	}
	if row.keyScheme == 2 {
		return errLogSignInRefused
	}
	k, err := seal.UnwrapWithPassphrase(row.wrapped, passphrase, workFactor)
	if errors.Is(err, seal.ErrWrongPassphrase) {
		return errLogSignInRefused
	}
	if err != nil {
		return err
	}
	k.Wipe()
	return nil
}

// loginThrottled returns how long sign-ins for login must still wait.
func (w *Workstation) loginThrottled(ctx context.Context, login string) (time.Duration, error) {
	var until string
	err := w.db.QueryRowContext(ctx, `SELECT coalesce(locked_until, '') FROM signin_throttle WHERE login = ?`,
		login).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) || err == nil && until == "" {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	t, err := parseTime(until)
	if err != nil {
		return 0, err
	}
	return max(t.Sub(w.now()), 0), nil
}

// recordLoginFailure counts a failed sign-in through the change log,
// throttles from the fifth, and audits it. On a workstation where nobody
// has signed in yet the refusal says the same whether or not the username
// exists: usernames are not in clear there.
func (w *Workstation) recordLoginFailure(ctx context.Context, a *logSignIn) error {
	var wait time.Duration
	err := w.write(ctx, func(t *tx) error {
		var failures int
		err := t.QueryRowContext(ctx, `INSERT INTO signin_throttle (login, failed_attempts) VALUES (?, 1)
			ON CONFLICT (login) DO UPDATE SET failed_attempts = failed_attempts + 1 RETURNING failed_attempts`,
			a.login).Scan(&failures)
		if err != nil {
			return fmt.Errorf("count failed attempt: %w", err)
		}
		if wait = lockoutFor(failures); wait > 0 {
			if _, err := t.ExecContext(ctx, `UPDATE signin_throttle SET locked_until = ? WHERE login = ?`,
				formatTime(t.now.Add(wait)), a.login); err != nil {
				return fmt.Errorf("throttle sign-in: %w", err)
			}
		}
		return auditFailure(ctx, t, a.device, chart.User{Username: clip(a.name)}, chart.AuditSignInFailed,
			fmt.Sprintf("unknown username or wrong passphrase (%d in a row)", failures))
	})
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	switch {
	case a.row != nil:
		return unauthorized("passphrase", "That passphrase is not right. Check Caps Lock and try again.")
	case !a.joined:
		return unauthorized("username", "No user named “%s” on this workstation.", clip(a.name))
	}
	msg := "That username and passphrase do not match a user of this practice. Check both, and Caps Lock, then try again."
	if wait > 0 {
		msg += fmt.Sprintf(" After too many attempts, wait %s before trying again.", formatWait(wait))
	}
	return unauthorized("passphrase", "%s", msg)
}
