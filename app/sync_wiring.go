package app

import (
	"context"
	"sync"
	"time"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/wire"
)

// SyncWorkstation is the workstation's own sync state, readable while
// locked: its enrolment, run history and counts. The SQLite workstation
// implements it (asserted in main.go).
type SyncWorkstation interface {
	client.IdentitySource
	client.StateRecorder
	SaveSyncIdentity(ctx context.Context, id wire.SyncIdentity) error
	DeviceID(ctx context.Context) (chart.DeviceID, error)
	SyncRuns(ctx context.Context, since time.Time) ([]chart.SyncRun, error)
	OpenConflicts(ctx context.Context, role chart.Role) (int, error)
	HeldCount(ctx context.Context) (int, error)
	KeyChangeDue(ctx context.Context) (bool, error)
}

// PracticeJoiner is how a fresh workstation joins a practice: it takes the
// practice and device ids, then stores each record's heads (and the history
// of records in conflict) before anyone can sign in, as the sync client's
// join from heads asks. The SQLite workstation implements it; Sync reaches
// it by asserting Options.Sync.
type PracticeJoiner interface {
	BeginJoin(ctx context.Context, practiceID chart.PracticeID, deviceID chart.DeviceID) error
	client.HeadsJoiner
}

const (
	// runnerStopTimeout bounds how long closing the window waits for a sync
	// under way to notice it is cancelled.
	runnerStopTimeout = 10 * time.Second
	// progressEvery throttles progress-only status events (~10 a second).
	progressEvery = 100 * time.Millisecond
)

// syncUI is the app's side of the sync status: a join under way (which
// the runner does not do) and what was last emitted.
type syncUI struct {
	mu        sync.Mutex
	joining   bool
	joinPhase string
	joinProg  float64
	joinErr   string
	warnDays  int // the practice's setting, remembered for while locked
	merging   int // merges behind under way (sync_behind.go)
	mergeProg float64
	lastEmit  time.Time
	last      SyncStatus
	events    orderedEvent
}

func newRunner(a *App) *client.Runner {
	if a.opts.Sync == nil {
		return nil
	}
	t := a.opts.SyncTiming
	return client.NewRunner(client.RunnerConfig{
		Identity: a.opts.Sync, Store: a.syncStore,
		// After a restore, pulls bring back this device's own changes
		// until a sync completes (backup_catchup.go).
		State: catchUpState{StateRecorder: a.opts.Sync, flag: a.catchUp()}, Transport: a.syncTransport,
		OnStatus: func(client.Status) { a.emitSyncStatus() },
		Interval: t.Interval, MinBackoff: t.MinBackoff, MaxBackoff: t.MaxBackoff,
		Logger: a.opts.Logger,
	})
}

// syncStore is the signed-in session as the runner needs it, or nil. A
// background sync is not activity: the idle timer is left alone.
func (a *App) syncStore() client.Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == nil {
		return nil
	}
	st, _ := a.session.(client.Store)
	return st
}

// syncSessionChanged: a sign-in starts a sync at once; a lock updates the
// status.
func (a *App) syncSessionChanged(s chart.Session) {
	if s != nil {
		days := practiceWarnDays(s.Practice()) // outside the lock: a panic there must not leave it held
		a.syncUI.mu.Lock()
		a.syncUI.warnDays = days
		a.syncUI.mu.Unlock()
		a.background("merge the records pulled at the join", func() { a.mergeBehind(s) })
	}
	if a.runner != nil {
		a.runner.Trigger()
	}
}

// emitSyncStatus sends the status to the frontend unless only the progress
// moved since an event less than progressEvery ago. In order (orderedEvent):
// the runner, a join, the merge behind and the held-record actions all emit,
// each from its own goroutine.
func (a *App) emitSyncStatus() {
	a.syncUI.events.send(a, EventSyncStatus, func() (any, bool) {
		st := a.Sync.snapshot(context.Background())
		u := &a.syncUI
		u.mu.Lock()
		defer u.mu.Unlock()
		prev := u.last
		prev.Progress = st.Progress
		if u.last == st || prev == st && time.Since(u.lastEmit) < progressEvery {
			return nil, false
		}
		u.last, u.lastEmit = st, time.Now()
		return st, true
	})
}
