package app

import "outpost/internal/worker"

// background runs fn on a goroutine of its own: work the window does not
// wait for (a backup's status, the seal check after a sign-in, an import's
// end, a first sign-in). A panic there is logged with its stack: the bound
// method that started it has returned, so its recover (call.go) is not on
// that goroutine, and nothing else would recover it — it would end the app
// and lose what is on the screen.
func (a *App) background(what string, fn func()) { go a.guarded(what, fn) }

// guarded runs fn on this goroutine, logging its panic: for a loop that
// must live on (the backup schedule's tick).
func (a *App) guarded(what string, fn func()) {
	if err := worker.Guard(func() error { fn(); return nil }); err != nil {
		a.opts.Logger.Printf("%s: %v", what, err)
	}
}
