package app

import (
	"context"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// EventClosing asks the frontend to save every pending draft and lock,
// because the window is closing. Locking is the frontend's answer.
const EventClosing = "app:closing"

// closeGrace is how long a closing window waits for the frontend to save
// its drafts and lock. A frontend that never answers (hung, gone) does not
// keep the window open: Shutdown then locks what is left.
const closeGrace = 5 * time.Second

// BeforeClose is Wails' OnBeforeClose (the close button and
// runtime.Quit both come here). Nobody signed in: close. Otherwise the
// window stays open, the frontend is asked to save and lock, and the
// window closes once it has locked (or after closeGrace) — locking first
// so that the last seconds typed are stored before the key is dropped.
func (a *App) BeforeClose(ctx context.Context) (prevent bool) {
	a.mu.Lock()
	if a.session == nil || a.closeNow {
		a.mu.Unlock()
		return false
	}
	first := a.closing == nil
	if first {
		a.closing = make(chan struct{})
		closing := a.closing
		a.background("close the window", func() { a.closeWhenLocked(closing) })
	}
	ev := a.events
	a.mu.Unlock()
	if first && ev != nil {
		ev.Emit(EventClosing)
	}
	return true
}

// closeWhenLocked closes the window once locked is closed (by lock) or the
// grace period ends.
func (a *App) closeWhenLocked(locked <-chan struct{}) {
	select {
	case <-locked:
	case <-time.After(a.closeGrace()):
		a.opts.Logger.Printf("closing: the window did not lock within %s; closing anyway", a.closeGrace())
	}
	a.mu.Lock()
	a.closeNow = true
	quit := a.opts.Quit
	ctx := a.ctx
	a.mu.Unlock()
	if quit == nil {
		quit = func() { runtime.Quit(ctx) }
	}
	quit()
}

func (a *App) closeGrace() time.Duration {
	if a.opts.CloseGrace > 0 {
		return a.opts.CloseGrace
	}
	return closeGrace
}

// lockedWhileClosingLocked tells a waiting close that the session is locked;
// a.mu must be held.
func (a *App) lockedWhileClosingLocked() {
	if a.closing != nil {
		close(a.closing)
		a.closing = nil
	}
}
