package app

import (
	"context"
	"log"
	"sync"
	"time"

	"outpost/chart"
	"outpost/sync/client"
)

// Events is how the backend tells the frontend something happened on its
// own (the idle lock). It is an interface because Wails' runtime calls
// log.Fatal outside a Wails context, and tests run outside one.
type Events interface {
	Emit(name string, data ...any)
}

// EventLocked is emitted when the backend locks the session by itself.
const EventLocked = "session:locked"

// Options tunes an App. The zero value is production behaviour.
type Options struct {
	// Events receives backend-initiated events; nil means the Wails runtime
	// (set up in Startup).
	Events Events
	// IdleLock overrides the practice's idle-lock setting (tests).
	IdleLock time.Duration
	// Logger receives internal errors; nil means the standard logger.
	Logger *log.Logger
	// Sync is the workstation's sync state (main.go passes the SQLite
	// workstation); nil turns sync off.
	Sync SyncWorkstation
	// SyncTiming overrides the sync runner's Interval, MinBackoff and
	// MaxBackoff (tests); its other fields are ignored.
	SyncTiming client.RunnerConfig
	// Quit closes the window once it may close (BeforeClose); nil means
	// Wails' runtime.Quit (tests pass their own).
	Quit func()
	// CloseGrace overrides how long a closing window waits for the
	// frontend to save and lock (tests).
	CloseGrace time.Duration
	// Dialogs opens the system's file and folder pickers; nil means the
	// Wails runtime's.
	Dialogs Dialogs
	// BackupTick overrides how often the backup schedule looks whether
	// the daily backup is due (tests).
	BackupTick time.Duration
	// Import runs an import; nil means FHIRImport (tests may pass their
	// own to hold an import open).
	Import ImportFunc
	// LabTick overrides how often the lab inbox folder is looked at
	// (tests).
	LabTick time.Duration
	// Recalls counts the recalls due for the inbox (the recall lists
	// provide it; nil counts none). See Worklist.recalls.
	Recalls chart.RecallCounter
}

// App owns the workstation and the signed-in session, if any.
type App struct {
	ws   chart.Workstation
	opts Options

	ready     chan struct{}
	readyOnce sync.Once
	ctx       context.Context

	mu      sync.Mutex
	session chart.Session
	idle    *time.Timer
	events  Events
	// closing is open while a closing window waits for the frontend to
	// lock; closeNow lets the next BeforeClose through.
	closing  chan struct{}
	closeNow bool

	runner *client.Runner // nil when sync is off
	syncUI syncUI
	first  firstSignIn

	Session  *Session
	Patients *Patients
	Admin    *Admin
	Chart    *Chart
	Codes    *Codes
	Print    *Print
	Care     *Care
	Sync     *Sync
	Backups  *Backups
	Interop  *Interop
	Worklist *Worklist
	Billing  *Billing
	Schedule *Schedule
}

// New returns an App over ws. Bound methods wait until Startup has run:
// on Linux Wails' OnStartup runs concurrently with the page load.
func New(ws chart.Workstation, opts Options) *App {
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	a := &App{ws: ws, opts: opts, ready: make(chan struct{}), events: opts.Events, ctx: context.Background()}
	a.Session = &Session{a: a}
	a.Patients = &Patients{a: a}
	a.Admin = &Admin{a: a}
	a.Chart = &Chart{a: a}
	a.Codes = &Codes{a: a}
	a.Print = &Print{a: a}
	a.Care = &Care{a: a}
	a.Sync = &Sync{a: a}
	a.Backups = &Backups{a: a}
	a.Interop = &Interop{a: a}
	a.Worklist = &Worklist{a: a}
	a.Billing = &Billing{a: a}
	a.Schedule = &Schedule{a: a}
	a.runner = newRunner(a)
	return a
}

// Bind lists the structs whose methods the frontend may call.
func (a *App) Bind() []any {
	return []any{a.Session, a.Patients, a.Admin, a.Chart, a.Codes, a.Print, a.Sync, a.Backups, a.Interop, a.Care, a.Worklist, a.Billing, a.Schedule}
}

// Startup is Wails' OnStartup. ctx is the Wails context the runtime needs.
func (a *App) Startup(ctx context.Context) {
	a.mu.Lock()
	a.ctx = ctx
	if a.events == nil {
		a.events = wailsEvents{ctx: ctx}
	}
	a.mu.Unlock()
	a.readyOnce.Do(func() { close(a.ready) })
	if a.runner != nil {
		a.runner.Start()
	}
	a.Backups.startSchedule()
	a.Interop.startLabWatch()
}

// Shutdown is Wails' OnShutdown: lock (which audits) and close the store.
func (a *App) Shutdown(ctx context.Context) {
	if a.runner != nil {
		stopCtx, cancel := context.WithTimeout(ctx, runnerStopTimeout)
		if err := a.runner.Stop(stopCtx); err != nil {
			a.opts.Logger.Printf("stop sync: %v", err)
		}
		cancel()
	}
	a.Interop.stopLabWatch()
	a.Interop.stopImport()
	a.lock(ctx)
	a.Backups.backupOnQuit(ctx)
	if err := a.ws.Close(); err != nil {
		a.opts.Logger.Printf("close chart store: %v", err)
	}
}

// waitReady blocks until Startup has run, or ctx ends.
func (a *App) waitReady() error {
	select {
	case <-a.ready:
		return nil
	case <-time.After(30 * time.Second):
		return chart.Errorf(chart.EINTERNAL, "Outpost is still starting. Please try again in a moment.")
	}
}

// current returns the signed-in session and counts the call as activity.
func (a *App) current() (chart.Session, error) { return a.signedIn(true) }

// signedIn returns the signed-in session; active counts the call as
// activity (it restarts the idle timer), which a read the frontend makes
// on its own must not.
func (a *App) signedIn(active bool) (chart.Session, error) {
	if err := a.waitReady(); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == nil {
		return nil, chart.Errorf(chart.ELOCKED, "Outpost is locked. Sign in to continue.")
	}
	if active {
		a.resetIdleLocked()
	}
	return a.session, nil
}

// begin replaces any session with s and starts its idle timer.
func (a *App) begin(s chart.Session) {
	var old chart.Session
	a.withLock(func() {
		old, a.session = a.session, s
		a.resetIdleLocked()
	})
	if old != nil {
		if err := old.Lock(a.ctx); err != nil {
			a.opts.Logger.Printf("lock previous session: %v", err)
		}
	}
	a.syncSessionChanged(s)
	a.background("check the seals of the last backup", func() { a.Backups.checkSealsLater(s) })
}

// lock drops the session (key and index go with it).
func (a *App) lock(ctx context.Context) error {
	a.mu.Lock()
	s := a.session
	a.session = nil
	if a.idle != nil {
		a.idle.Stop()
	}
	a.mu.Unlock()
	// A window closing waits for this lock, so it closes only after the
	// store has audited the lock (and every save before it has finished).
	defer func() {
		a.mu.Lock()
		a.lockedWhileClosingLocked()
		a.mu.Unlock()
	}()
	if s == nil {
		return nil
	}
	defer a.syncSessionChanged(nil)
	return s.Lock(ctx)
}

// withLock runs fn holding a.mu, released even when fn panics: fn may call
// the session (the practice's idle limit, the user), and a panic there must
// reach the caller's recover without leaving every later call waiting.
func (a *App) withLock(fn func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fn()
}

func (a *App) idleLimit() time.Duration {
	if a.opts.IdleLock > 0 {
		return a.opts.IdleLock
	}
	m := chart.DefaultIdleLockMinutes
	if a.session != nil && a.session.Practice().IdleLockMinutes > 0 {
		m = a.session.Practice().IdleLockMinutes
	}
	return time.Duration(m)*time.Minute + idleGrace
}

// idleGrace: the frontend locks at the practice's idle limit by itself,
// saving its drafts first; the backend's timer is the backstop for a
// frontend that is gone, so it fires a little later and never drops the key
// under a draft being saved.
const idleGrace = 30 * time.Second

// resetIdleLocked restarts the idle timer; a.mu must be held.
func (a *App) resetIdleLocked() {
	if a.idle != nil {
		a.idle.Stop()
	}
	s := a.session
	a.idle = time.AfterFunc(a.idleLimit(), func() { a.idleLock(s) })
}

// idleLock locks s if it is still the current session.
func (a *App) idleLock(s chart.Session) {
	a.mu.Lock()
	if a.session != s || s == nil {
		a.mu.Unlock()
		return
	}
	a.session = nil
	a.mu.Unlock()
	if err := s.Lock(a.ctx); err != nil {
		a.opts.Logger.Printf("idle lock: %v", err)
	}
	a.syncSessionChanged(nil)
	a.emit(EventLocked, map[string]string{"reason": "idle"})
}
