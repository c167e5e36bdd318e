package client

import (
	"errors"
	"math/rand/v2"
	"time"

	"outpost/chart"
	"outpost/sync/transport"
)

// Runner states, as the status bar shows them.
const (
	StateNotConfigured = "not_configured" // not enrolled with a practice server
	StateLocked        = "locked"         // enrolled, but nobody is signed in
	StateIdle          = "idle"           // the last sync succeeded; waiting for the next
	StateSyncing       = "syncing"
	StateOffline       = "offline" // the server could not be reached; retrying with backoff
	StateError         = "error"   // the server refused, or something failed here
)

// Sync phases.
const (
	PhaseSending   = "sending"
	PhaseReceiving = "receiving"
)

// Status is what the runner knows of sync right now.
type Status struct {
	State      string
	Configured bool
	ServerAddr string
	// Online: the last attempt reached the server (even if it refused).
	Online    bool
	Pending   int       // local changes not yet acknowledged
	LastSync  time.Time // end of the last successful sync; zero: never
	LastError string    // the last attempt's message for the user; "" after a success
	// Progress is how far the current phase is, 0..1; Phase is "" when no
	// sync is running.
	Progress float64
	Phase    string
	// LastReport is what the last successful sync did.
	LastReport Report
	// Notice is news for the person at the keyboard that is not an error
	// (RestoredNotice), kept for NoticeFor after the sync that found it.
	Notice   string
	NoticeAt time.Time
}

// NoticeFor is how long the status keeps a notice.
const NoticeFor = 24 * time.Hour

// Running says whether a sync is under way.
func (s Status) Running() bool { return s.State == StateSyncing }

// outcome is how an attempt ended, for the status and the next wait.
type outcome int

const (
	outcomeOK      outcome = iota
	outcomeOffline         // no reply: retry with backoff
	outcomeRetry           // a reply or a local failure that may pass: retry with backoff
	outcomeRefused         // the server refused this device: retrying unchanged will not help
	outcomeLocked          // the session locked under the sync
	outcomeBusy            // the server asked to be called again later: nobody's fault
)

// classify reads an error from SyncOnce.
func classify(err error) outcome {
	var he *transport.Error
	switch {
	case err == nil:
		return outcomeOK
	case errors.As(err, &he) && he.Busy:
		return outcomeBusy
	case errors.As(err, &he) && he.Status == 0 && he.Temporary:
		return outcomeOffline
	case errors.As(err, &he) && !he.Temporary:
		return outcomeRefused
	case chart.ErrorCode(err) == chart.ELOCKED:
		return outcomeLocked
	}
	return outcomeRetry
}

// userMessage is err as the person at the keyboard should read it.
func userMessage(err error) string {
	var he *transport.Error
	if errors.As(err, &he) {
		return he.Message
	}
	var ce *chart.Error
	if errors.As(err, &ce) {
		return ce.Message
	}
	return "Sync failed on this workstation; it will try again. Your changes are safe here. If it keeps happening, tell your practice administrator."
}

// backoff is the wait before retry number n (1, 2, ...) after failures:
// doubling from min up to max, jittered to half..full so that workstations
// that lost the server together do not return in step.
func backoff(n int, min, max time.Duration) time.Duration {
	d := min
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	d = minDur(d, max)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

func minDur(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}
