package app

import (
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
func (s *Session) Status() (st chart.WorkstationStatus, err error) {
	defer recoverTo(s.a.opts.Logger, &err)
	if err := s.a.waitReady(); err != nil {
		return st, err
	}
	st, err = s.a.ws.Status(s.a.ctx)
	if err != nil {
		return st, err
	}
	s.a.mu.Lock()
	if s.a.session != nil {
		u := s.a.session.User()
		st.SignedIn = &u
	}
	s.a.mu.Unlock()
	return st, nil
}

// CreatePractice creates the practice and its first administrator, and
// signs them in.
func (s *Session) CreatePractice(p chart.NewPractice) (res PracticeCreated, err error) {
	defer recoverTo(s.a.opts.Logger, &err)
	if err := s.a.waitReady(); err != nil {
		return res, err
	}
	sess, recovery, err := s.a.ws.CreatePractice(s.a.ctx, p)
	if err != nil {
		return res, err
	}
	s.a.begin(sess)
	return PracticeCreated{User: sess.User(), Practice: sess.Practice(), RecoveryKey: recovery}, nil
}

// SignIn signs a user in with their passphrase, replacing whoever was
// signed in before.
func (s *Session) SignIn(username, passphrase string) (res SignedIn, err error) {
	defer recoverTo(s.a.opts.Logger, &err)
	if err := s.a.waitReady(); err != nil {
		return res, err
	}
	sess, err := s.a.ws.SignIn(s.a.ctx, username, passphrase)
	if err != nil {
		return res, err
	}
	s.a.begin(sess)
	return signedIn(sess), nil
}

// Lock drops the key and the decrypted index. Locking when already locked
// is not an error.
func (s *Session) Lock() (err error) {
	defer recoverTo(s.a.opts.Logger, &err)
	if err := s.a.waitReady(); err != nil {
		return err
	}
	return s.a.lock(s.a.ctx)
}

// Activity tells the backend the user is still at the keyboard.
func (s *Session) Activity() (err error) {
	defer recoverTo(s.a.opts.Logger, &err)
	_, err = s.a.current()
	return err
}

// Current returns who is signed in, or nil when locked.
func (s *Session) Current() (res *SignedIn, err error) {
	defer recoverTo(s.a.opts.Logger, &err)
	if err := s.a.waitReady(); err != nil {
		return nil, err
	}
	s.a.mu.Lock()
	defer s.a.mu.Unlock()
	if s.a.session == nil {
		return nil, nil
	}
	si := signedIn(s.a.session)
	return &si, nil
}

// RecoverPassphrase sets a new passphrase with the practice recovery key.
func (s *Session) RecoverPassphrase(recoveryKey, username, newPassphrase string) (err error) {
	defer recoverTo(s.a.opts.Logger, &err)
	if err := s.a.waitReady(); err != nil {
		return err
	}
	return s.a.ws.RecoverPassphrase(s.a.ctx, recoveryKey, username, newPassphrase)
}

// ChangePassphrase changes the signed-in user's own passphrase.
func (s *Session) ChangePassphrase(oldPassphrase, newPassphrase string) (err error) {
	defer recoverTo(s.a.opts.Logger, &err)
	sess, err := s.a.current()
	if err != nil {
		return err
	}
	return sess.ChangeOwnPassphrase(s.a.ctx, oldPassphrase, newPassphrase)
}
