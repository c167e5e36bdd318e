package app

import (
	"context"

	"outpost/chart"
)

// Session is bound to the frontend: practice creation, sign-in, lock.
type Session struct{ a *App }

// SignedIn is who is signed in, and the practice's settings.
type SignedIn struct {
	User     chart.User     `json:"user"`
	Practice chart.Practice `json:"practice"`
}

// PracticeCreated is returned once, when the practice is created: the
// recovery key is never shown again.
type PracticeCreated struct {
	User        chart.User     `json:"user"`
	Practice    chart.Practice `json:"practice"`
	RecoveryKey string         `json:"recoveryKey"`
}

func signedIn(s chart.Session) SignedIn { return SignedIn{User: s.User(), Practice: s.Practice()} }

// Status says whether this workstation has a practice yet, and who is
// signed in.
func (s *Session) Status() (chart.WorkstationStatus, error) {
	return ready(s.a, s.status)
}

func (s *Session) status(ctx context.Context) (chart.WorkstationStatus, error) {
	st, err := s.a.ws.Status(ctx)
	if err != nil {
		return st, err
	}
	s.a.withLock(func() {
		if s.a.session != nil {
			u := s.a.session.User()
			st.SignedIn = &u
		}
	})
	return st, nil
}

// CreatePractice creates the practice and its first administrator, and
// signs them in.
func (s *Session) CreatePractice(p chart.NewPractice) (PracticeCreated, error) {
	return ready(s.a, func(ctx context.Context) (PracticeCreated, error) {
		sess, recovery, err := s.a.ws.CreatePractice(ctx, p)
		if err != nil {
			return PracticeCreated{}, err
		}
		s.a.begin(sess)
		return PracticeCreated{User: sess.User(), Practice: sess.Practice(), RecoveryKey: recovery}, nil
	})
}

// SignIn signs a user in with their passphrase, replacing whoever was
// signed in before.
func (s *Session) SignIn(username, passphrase string) (SignedIn, error) {
	return ready(s.a, func(ctx context.Context) (SignedIn, error) {
		sess, err := s.a.ws.SignIn(ctx, username, passphrase)
		if err != nil {
			return SignedIn{}, err
		}
		s.a.begin(sess)
		return signedIn(sess), nil
	})
}

// Lock drops the key and the decrypted index. Locking when already locked
// is not an error.
func (s *Session) Lock() error {
	return errOnly(ready(s.a, func(ctx context.Context) (done, error) { return noResult(s.a.lock(ctx)) }))
}

// Activity tells the backend the user is still at the keyboard.
func (s *Session) Activity() error {
	return errOnly(call(s.a, func(context.Context, chart.Session) (done, error) { return done{}, nil }))
}

// Current returns who is signed in, or nil when locked.
func (s *Session) Current() (*SignedIn, error) {
	return ready(s.a, func(context.Context) (*SignedIn, error) {
		s.a.mu.Lock()
		defer s.a.mu.Unlock()
		if s.a.session == nil {
			return nil, nil
		}
		si := signedIn(s.a.session)
		return &si, nil
	})
}

// RecoverPassphrase sets a new passphrase with the practice recovery key.
func (s *Session) RecoverPassphrase(recoveryKey, username, newPassphrase string) error {
	return errOnly(ready(s.a, func(ctx context.Context) (done, error) {
		return noResult(s.a.ws.RecoverPassphrase(ctx, recoveryKey, username, newPassphrase))
	}))
}

// ChangePassphrase changes the signed-in user's own passphrase.
func (s *Session) ChangePassphrase(oldPassphrase, newPassphrase string) error {
	return errOnly(call(s.a, func(ctx context.Context, sess chart.Session) (done, error) {
		return noResult(sess.ChangeOwnPassphrase(ctx, oldPassphrase, newPassphrase))
	}))
}
