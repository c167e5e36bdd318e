package client

import (
	"context"
	"fmt"
	"log"
	gosync "sync"
	"time"

	"outpost/chart"
	"outpost/internal/worker"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// IdentitySource is where the runner finds the workstation's enrolment
// (the SQLite workstation implements it).
type IdentitySource interface {
	SyncIdentity(ctx context.Context) (wire.SyncIdentity, bool, error)
}

// StateRecorder keeps the workstation's sync history and counts what is
// waiting; it works while locked (the SQLite workstation implements it).
type StateRecorder interface {
	RecordSyncRun(ctx context.Context, r chart.SyncRun) error
	PendingChanges(ctx context.Context) (int, error)
	LastSuccessfulSync(ctx context.Context) (time.Time, error)
}

// RunnerConfig is what a Runner needs. Identity, Store and State are
// required.
type RunnerConfig struct {
	Identity IdentitySource
	// Store returns the signed-in session's store, or nil while locked.
	Store func() Store
	// Transport makes the transport for an identity; nil means an
	// transport.Client pinned to the identity's fingerprint.
	Transport func(wire.SyncIdentity) Transport
	State     StateRecorder
	// OnStatus receives every status change, on its own goroutine: a slow
	// callback never holds up a sync; changes that pile up meanwhile are
	// coalesced into the latest.
	OnStatus func(Status)
	// Interval between syncs while the server answers (default 30 s);
	// MinBackoff..MaxBackoff the jittered wait after failures (default
	// 5 s .. 5 min). A refusal (revoked, unknown device) waits MaxBackoff.
	Interval, MinBackoff, MaxBackoff time.Duration
	Logger                           *log.Logger
}

// Defaults of RunnerConfig.
const (
	DefaultInterval   = 30 * time.Second
	DefaultMinBackoff = 5 * time.Second
	DefaultMaxBackoff = 5 * time.Minute
)

// Runner syncs in the background: at start, every Interval while the
// server answers, with backoff while it does not, and at once on Trigger.
// One sync at a time; no method waits for the network.
type Runner struct {
	cfg RunnerConfig

	trigger chan struct{}
	stop    chan struct{}
	done    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc

	startOnce, stopOnce gosync.Once

	mu       gosync.Mutex
	status   Status
	failures int
	tr       Transport
	trFor    string // identity the cached transport was made for

	notify     chan struct{}
	notifyDone chan struct{}
}

// NewRunner returns a stopped runner; Start starts it.
func NewRunner(cfg RunnerConfig) *Runner {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(DefaultMaxBackoff, cfg.MinBackoff)
	}
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	if cfg.Transport == nil {
		cfg.Transport = httpTransport
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{cfg: cfg, trigger: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		ctx: ctx, cancel: cancel, notify: make(chan struct{}, 1), notifyDone: make(chan struct{}),
		status: Status{State: StateNotConfigured}}
}

func httpTransport(id wire.SyncIdentity) Transport {
	c := transport.ClientFor(id)
	c.HTTP = transport.NewHTTPClient(id.Fingerprint)
	return c
}

// closeIdle drops the kept-alive connections of the cached transport, so
// nothing of the runner outlives Stop.
func (r *Runner) closeIdle() {
	r.mu.Lock()
	tr := r.tr
	r.mu.Unlock()
	switch c := tr.(type) {
	case interface{ CloseIdleConnections() }:
		c.CloseIdleConnections()
	case *transport.Client:
		if c.HTTP != nil {
			c.HTTP.CloseIdleConnections()
		}
	}
}

// Start starts the background loop; it syncs at once if it can.
func (r *Runner) Start() {
	r.startOnce.Do(func() {
		go r.notifier()
		go r.loop()
	})
}

// Trigger asks for a sync now ("Sync now", a sign-in, a new enrolment). It
// never blocks; a trigger during a sync starts another right after it.
func (r *Runner) Trigger() {
	select {
	case r.trigger <- struct{}{}:
	default:
	}
}

// Status is the current status.
func (r *Runner) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// Stop cancels a sync under way, ends the loop and waits for it (and for
// a status callback in progress) until ctx ends.
func (r *Runner) Stop(ctx context.Context) error {
	r.stopOnce.Do(func() {
		r.startOnce.Do(func() { close(r.done); close(r.notifyDone) }) // never started
		close(r.stop)
		r.cancel()
	})
	for _, ch := range []chan struct{}{r.done, r.notifyDone} {
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("stop sync: %w", ctx.Err())
		}
	}
	r.closeIdle()
	return nil
}

func (r *Runner) loop() {
	defer close(r.done)
	var wait time.Duration // sync at start
	for {
		t := time.NewTimer(wait)
		select {
		case <-r.stop:
			t.Stop()
			return
		case <-r.trigger:
			t.Stop()
		case <-t.C:
		}
		wait = r.attemptGuarded()
	}
}

// attemptGuarded is attempt with a panic in it (in the store's apply of
// what was pulled, or a reply no check foresaw) taken as a failed sync:
// logged, shown, tried again after the backoff. On the runner's goroutine
// nothing else would recover it, and it would end the app; the store's
// transaction under way is rolled back by the store.
func (r *Runner) attemptGuarded() (wait time.Duration) {
	err := worker.Guard(func() error {
		wait = r.attempt()
		return nil
	})
	if err != nil {
		r.cfg.Logger.Printf("sync: %v", err)
		wait = r.finish(Report{}, fmt.Errorf("sync: %w", err), time.Now(), r.Status().Pending)
	}
	return wait
}

// update changes the status under the lock and tells OnStatus.
func (r *Runner) update(f func(s *Status)) {
	r.mu.Lock()
	f(&r.status)
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default: // one is already pending; it will read the latest status
	}
}

func (r *Runner) notifier() {
	defer close(r.notifyDone)
	for {
		select {
		case <-r.stop:
			return
		case <-r.notify:
			if r.cfg.OnStatus == nil {
				continue
			}
			// The callback's panic is logged: the notifier lives on.
			if err := worker.Guard(func() error { r.cfg.OnStatus(r.Status()); return nil }); err != nil {
				r.cfg.Logger.Printf("sync status callback: %v", err)
			}
		}
	}
}
