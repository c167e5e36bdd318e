package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"outpost/chart"
	"outpost/seal"
	"outpost/strength"
	"outpost/sync/clock"
)

// What a user's passphrase touches: their credential (a new passphrase is
// a new secret, so the old passphrase opens nothing new), the keyboxes
// sealed to it, and the practice's key epochs.

var _ chart.KeyService = (*Session)(nil)

// checkStrength refuses a passphrase an attacker would guess soon, with
// what made it weak; personal lists what an attacker would try first.
func checkStrength(field, passphrase string, personal ...string) error {
	v := strength.Judge(passphrase, personal...)
	if !v.Weak {
		return nil
	}
	return chart.FieldError(field, "This passphrase would be too easy to guess: %s. Use four or more words "+
		"that do not belong together (for example “lantern oyster maple quietly”).", v.Why)
}

// publishCredential writes a user's credential, their profile (which names
// the credential's public half) and a keybox of every key the session
// holds, sealed to it.
func (s *Session) publishCredential(ctx context.Context, t *tx, id chart.UserID, username string, c credential) error {
	if err := (keyWriter{s.pw()}).credential(ctx, t, id, username, c); err != nil {
		return err
	}
	if err := s.pw().syncUser(ctx, t, id); err != nil {
		return err
	}
	return s.keyboxesForUser(ctx, t, id, c.keys.BoxPublic())
}

// replaceCredential gives user a new secret (a changed or reset
// passphrase): the old credential is superseded everywhere, and the keys
// are sealed to the new one.
func (s *Session) replaceCredential(ctx context.Context, t *tx, u chart.User, c credential) error {
	if err := setCredential(ctx, t, u.ID, c.wrapped, c.keys.BoxPublic()); err != nil {
		return err
	}
	name, err := syncedUsername(ctx, t, u.ID)
	if err != nil {
		return err
	}
	return s.publishCredential(ctx, t, u.ID, name, c)
}

// syncedUsername is the username the practice knows a user by (a clash
// between users made offline renames one on this workstation only).
func syncedUsername(ctx context.Context, q queryer, id chart.UserID) (string, error) {
	u, ok, err := loadUser(ctx, q, "id", string(id))
	if err != nil {
		return "", err
	}
	if !ok {
		return "", userNotFound()
	}
	return u.syncName, nil
}

// checkOwnPassphrase checks a signed-in user's current passphrase.
func (s *Session) checkOwnPassphrase(u userRow, passphrase string) error {
	wrong := &chart.Error{Code: chart.EUNAUTHORIZED, Field: "oldPassphrase",
		Message: "Your current passphrase is not right. Check Caps Lock and try again."}
	switch u.keyScheme {
	case 2:
		keys, err := openCredential(u.wrapped, passphrase, s.w.workFactor)
		if errors.Is(err, seal.ErrWrongPassphrase) {
			return wrong
		}
		if err != nil {
			return fmt.Errorf("change passphrase: %w", err)
		}
		if !bytes.Equal(keys.BoxPublic(), u.box) {
			return fmt.Errorf("change passphrase: the stored credential does not match this account")
		}
		return nil
	default:
		k, err := seal.UnwrapWithPassphrase(u.wrapped, passphrase, s.w.workFactor)
		if errors.Is(err, seal.ErrWrongPassphrase) {
			return wrong
		}
		if err != nil {
			return fmt.Errorf("change passphrase: %w", err)
		}
		defer k.Wipe()
		if !k.Equal(s.key.Root()) {
			return fmt.Errorf("change passphrase: stored key differs from the session key")
		}
		return nil
	}
}

// rotate starts a new key epoch and audits it, saying who will need a
// passphrase reset to follow it.
func (s *Session) rotate(ctx context.Context, t *tx, reason string) error {
	missed, err := s.startEpoch(ctx, t, reason)
	if err != nil {
		return err
	}
	cur, _ := s.key.Current()
	detail := fmt.Sprintf("started practice key %s: %s", cur, reason)
	if missed > 0 {
		detail += fmt.Sprintf("; %d active users have not signed in since keys became per user and need their passphrase reset", missed)
	}
	return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditPracticeSetting, Detail: detail})
}

// RotatePracticeKey starts a new key epoch now (an administrator's "rotate
// now", or after revoking a lost workstation): records written from now on
// open only for the practice's active users.
func (s *Session) RotatePracticeKey(ctx context.Context, reason string) (chart.KeyStatus, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > chart.MaxShortTextLen {
		return chart.KeyStatus{}, chart.FieldError("reason", "Say in a few words why the key is changed (for example “laptop lost”).")
	}
	err := s.guarded("change the practice key", chart.ActManagePractice, func() error {
		return s.w.write(ctx, func(t *tx) error { return s.rotate(ctx, t, reason) })
	})
	if err != nil {
		return chart.KeyStatus{}, err
	}
	return s.KeyStatus(ctx)
}

// KeyStatus says which key epoch this session seals under and how many it
// can read.
func (s *Session) KeyStatus(ctx context.Context) (chart.KeyStatus, error) {
	var st chart.KeyStatus
	err := s.guarded("read the practice key status", chart.ActManagePractice, func() error {
		cur, _ := s.key.Current()
		st.Current, st.Epochs = cur.String(), len(s.key.Epochs())
		epochs, err := loadEpochs(ctx, s.w.db)
		if err != nil {
			return err
		}
		for _, e := range epochs {
			if e.id == cur {
				if ts, err := clock.ParseTimestamp(e.stamp); err == nil {
					since := ts.Time().UTC()
					st.Since = &since
				}
			}
		}
		unfolded, err := unfoldedEpochs(ctx, s.w.db, s.key)
		st.Concurrent = len(unfolded)
		return err
	})
	return st, err
}
