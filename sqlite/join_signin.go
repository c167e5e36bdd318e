package sqlite

import (
	"bytes"
	"context"
	"database/sql"
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
// unmerged. The user changes carry the login hash in clear and the
// wrapped key; the passphrase unwraps the practice key, which opens and
// merges everything stored, and the merged users row then decides (active?
// the passphrase still current?).

// logCandidate is a wrapped key that may be the typed user's.
type logCandidate struct {
	user    chart.UserID
	wrapped []byte
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
	login            string   // loginHash of name
	refusal          error    // set when the merged row refuses the sign-in
	refusedUser      chart.User
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
	cands, err := loginCandidates(ctx, w.db, a.login)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if a.row != nil {
		cands = append(cands, logCandidate{user: a.row.ID, wrapped: a.row.wrapped})
	}
	if len(cands) == 0 && !a.joined {
		return nil, w.refuseSignIn(ctx, a.device, chart.User{Username: clip(a.name)}, "unknown username",
			unauthorized("username", "No user named “%s” on this workstation.", clip(a.name)))
	}
	key, cand, err := unwrapAny(cands, a.passphrase)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if key == nil {
		return nil, w.recordLoginFailure(ctx, a)
	}
	s, err := w.materialise(ctx, key, cand, a)
	if errors.Is(err, errLogSignInRefused) {
		key.Wipe()
		if a.refusal == nil {
			return nil, w.recordLoginFailure(ctx, a)
		}
		return nil, w.refuseSignIn(ctx, a.device, a.refusedUser, "account is deactivated", a.refusal)
	}
	if err != nil {
		key.Wipe()
		return nil, wrapInternal("sign in", err)
	}
	return s, nil
}

// loginCandidates returns the wrapped keys of the user changes whose
// login hash is login, newest first, each once.
func loginCandidates(ctx context.Context, q queryer, login string) ([]logCandidate, error) {
	rows, err := q.QueryContext(ctx, `SELECT record_id, sealed FROM changes WHERE kind = ? AND patient_id = ''
		ORDER BY hlc DESC, change_id DESC`, kindUser)
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	defer rows.Close()
	var out []logCandidate
	for rows.Next() {
		var c logCandidate
		var sealed []byte
		if err := rows.Scan(&c.user, &sealed); err != nil {
			return nil, fmt.Errorf("find user: %w", err)
		}
		var env userEnvelope
		if json.Unmarshal(sealed, &env) != nil || env.Login != login || len(env.Wrapped) == 0 {
			continue // not this user's (or unreadable: the merge reports it)
		}
		c.wrapped = env.Wrapped
		out = append(out, c)
	}
	return out, rows.Err()
}

// unwrapAny tries the passphrase on each distinct wrapped key in turn.
// A nil key means none opened.
func unwrapAny(cands []logCandidate, passphrase string) (*seal.Key, logCandidate, error) {
	for i, c := range cands {
		if seen(cands[:i], c.wrapped) {
			continue
		}
		key, err := seal.UnwrapWithPassphrase(c.wrapped, passphrase)
		if errors.Is(err, seal.ErrWrongPassphrase) {
			continue
		}
		if err != nil {
			return nil, c, err
		}
		return key, c, nil
	}
	return nil, logCandidate{}, nil
}

func seen(before []logCandidate, wrapped []byte) bool {
	for _, b := range before {
		if bytes.Equal(b.wrapped, wrapped) {
			return true
		}
	}
	return false
}

// materialise merges the whole change log with key in one transaction,
// then lets the merged users row decide: a deactivated account, or a
// passphrase that is no longer current (an older wrapped key opened),
// rolls everything back. On success the session is opened as usual.
func (w *Workstation) materialise(ctx context.Context, key *seal.Key, cand logCandidate, a *logSignIn) (*Session, error) {
	tmp := newSession(w, key, chart.User{ID: cand.user, Username: clip(a.name)}, a.practice, a.device, chart.NewPatientIndex(nil))
	defer clear(tmp.mrnKey) // the key itself lives on in the real session
	var user chart.User
	err := w.write(ctx, func(t *tx) error {
		merged, err := tmp.mergeAll(ctx, t)
		if err != nil {
			return err
		}
		row, ok, err := loadUser(ctx, t, "id", string(cand.user))
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
		if err := stillCurrent(row.wrapped, cand.wrapped, a.passphrase); err != nil {
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
	if err := w.Checkpoint(ctx); err != nil {
		slog.Warn("checkpoint after the first sign-in's merge", "err", err)
	}
	practice, _, err := loadPractice(ctx, w.db)
	if err != nil {
		return nil, err
	}
	return w.openSession(ctx, key, user, practice, a.device)
}

// stillCurrent checks the passphrase against the merged row's wrapped key
// when the one that opened was another (an older passphrase).
func stillCurrent(current, opened []byte, passphrase string) error {
	if bytes.Equal(current, opened) {
		return nil
	}
	k, err := seal.UnwrapWithPassphrase(current, passphrase)
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
