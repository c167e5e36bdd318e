package app

import (
	"context"
	"sync"
	"time"

	"outpost/chart"
)

// The first sign-in on a workstation that joined a practice opens and
// merges everything the join fetched: at a large practice that is longer
// than any call should wait (the frontend gives up on a call after 60 s
// while the backend goes on). So it runs off the call: BeginFirstSignIn
// returns at once, progress arrives as EventFirstSignIn events, and the
// last event carries the outcome.

// EventFirstSignIn carries a FirstSignInProgress.
const EventFirstSignIn = "signin:first"

// FirstSignInProgress is how far the first sign-in after a join is. Done
// and Total count records opened and merged (Total 0 until known).
// Finished is set on the last event, with the signed-in user and practice,
// or the error as the frontend decodes every error (a JSON string).
type FirstSignInProgress struct {
	Done     int       `json:"done"`
	Total    int       `json:"total"`
	Finished bool      `json:"finished"`
	SignedIn *SignedIn `json:"signedIn,omitempty"`
	Error    any       `json:"error,omitempty"`
}

// progressSignIn is the workstation's sign-in with progress (the SQLite
// workstation has it). It returns as soon as the chart is usable; the
// charts' records merge behind (sync_behind.go).
type progressSignIn interface {
	SignInChartFirst(ctx context.Context, username, passphrase string, progress func(done, total int)) (chart.Session, error)
}

// firstSignIn remembers a first sign-in under way, so a second click does
// not start another.
type firstSignIn struct {
	mu      sync.Mutex
	running bool
}

// BeginFirstSignIn starts the first sign-in after a join in the background
// and returns; watch EventFirstSignIn for progress and the outcome.
func (s *Session) BeginFirstSignIn(username, passphrase string) error {
	return errOnly(ready(s.a, func(context.Context) (done, error) { return noResult(s.beginFirstSignIn(username, passphrase)) }))
}

func (s *Session) beginFirstSignIn(username, passphrase string) error {
	ps, ok := s.a.ws.(progressSignIn)
	if !ok {
		return chart.Errorf(chart.EINTERNAL, "This workstation cannot sign in in the background.")
	}
	f := &s.a.first
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running {
		return chart.Errorf(chart.ECONFLICT, "A sign-in is already under way on this workstation; wait for it to finish.")
	}
	f.running = true
	s.a.background("first sign-in", func() { s.runFirstSignIn(ps, username, passphrase) })
	return nil
}

// finish lets the next first sign-in start. It runs before the outcome is
// announced: a person shown "wrong passphrase" who tries again at once must
// not be told a sign-in is still under way.
func (f *firstSignIn) finish() {
	f.mu.Lock()
	f.running = false
	f.mu.Unlock()
}

func (s *Session) runFirstSignIn(ps progressSignIn, username, passphrase string) {
	a := s.a
	defer a.first.finish() // also when a.begin panics
	var last time.Time
	progress := func(done, total int) {
		if done < total && time.Since(last) < progressEvery {
			return
		}
		last = time.Now()
		a.emit(EventFirstSignIn, FirstSignInProgress{Done: done, Total: total})
	}
	// Beginning the session is inside the recover too, as in SignIn: a
	// panic there must reach the window as this sign-in's error, or the
	// window would wait for an outcome that never comes.
	var out FirstSignInProgress
	si, err := signInPanicSafe(a, func() (SignedIn, error) {
		sess, err := ps.SignInChartFirst(a.ctx, username, passphrase, progress)
		if err != nil {
			return SignedIn{}, err
		}
		a.begin(sess)
		return signedIn(sess), nil
	})
	if err != nil {
		out.Error = FormatError(err)
	} else {
		out.SignedIn = &si
	}
	out.Finished = true
	a.first.finish()
	a.emit(EventFirstSignIn, out)
}

// signInPanicSafe runs fn, turning a panic into an internal error: no
// panic may end the app from a background goroutine.
func signInPanicSafe(a *App, fn func() (SignedIn, error)) (si SignedIn, err error) {
	defer recoverTo(a.opts.Logger, &err)
	return fn()
}

// emit sends an event to the frontend, if it is listening yet.
func (a *App) emit(name string, data any) {
	a.mu.Lock()
	ev := a.events
	a.mu.Unlock()
	if ev != nil {
		ev.Emit(name, data)
	}
}
