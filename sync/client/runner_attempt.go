package client

import (
	"context"
	"errors"
	"time"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// recordTimeout bounds writing a run's record, which happens even when the
// sync itself was cancelled by Stop.
const recordTimeout = 5 * time.Second

// attempt runs one sync if the workstation is enrolled and someone is
// signed in, records it, and says how long to wait before the next.
func (r *Runner) attempt() time.Duration {
	ctx := r.ctx
	id, ok, err := r.cfg.Identity.SyncIdentity(ctx)
	if err != nil {
		r.cfg.Logger.Printf("sync: read identity: %v", err)
		r.update(func(s *Status) { s.State, s.LastError = StateError, userMessage(err) })
		return r.cfg.MaxBackoff
	}
	pending := r.pending(ctx)
	last := r.lastSync(ctx)
	if !ok {
		// Nothing to do until Connect or a join triggers.
		r.update(func(s *Status) {
			*s = Status{State: StateNotConfigured, Pending: pending, LastSync: last}
		})
		return r.cfg.Interval
	}
	st := r.cfg.Store()
	if st == nil {
		// A sign-in triggers; the interval only refreshes the counts.
		r.update(func(s *Status) {
			s.State, s.Configured, s.ServerAddr, s.Pending, s.LastSync = StateLocked, true, id.ServerAddr, pending, last
			s.Progress, s.Phase = 0, ""
		})
		return r.cfg.Interval
	}
	r.update(func(s *Status) {
		s.State, s.Configured, s.ServerAddr, s.Pending, s.LastSync = StateSyncing, true, id.ServerAddr, pending, last
		s.Progress, s.Phase = 0, PhaseSending
	})
	run, rep, err := r.syncOnce(ctx, st, r.transport(id))
	r.record(run)
	return r.finish(rep, err, run.FinishedAt, r.pending(ctx))
}

// syncOnce runs one sync with progress reports and returns its record.
// The store goes to SyncOnceWith as it is, so its optional interfaces
// (scope, pending count) are seen.
func (r *Runner) syncOnce(ctx context.Context, st Store, tr Transport) (chart.SyncRun, Report, error) {
	progress := func(p Progress) {
		frac := 0.0 // unknown total: the bar shows activity, not a fraction
		if p.Total > 0 {
			frac = min(1, float64(p.Done)/float64(p.Total))
		}
		r.update(func(s *Status) { s.Phase, s.Progress = p.Phase, frac })
	}
	run := chart.SyncRun{StartedAt: time.Now()}
	rep, err := SyncOnceWith(ctx, st, tr, Options{Progress: progress})
	run.FinishedAt = time.Now()
	run.Sent, run.Received, run.Conflicts, run.Requests = rep.Sent, rep.Received, rep.Conflicts, rep.Requests
	if err != nil {
		run.Error = userMessage(err)
		if r.ctx.Err() != nil {
			run.Error = "Sync was interrupted when Outpost closed. Your changes are safe on this workstation and will be sent later."
		}
		r.cfg.Logger.Printf("sync: %v", err)
	}
	return run, rep, err
}

// finish sets the status after an attempt and picks the next wait.
func (r *Runner) finish(rep Report, err error, at time.Time, pending int) time.Duration {
	out := classify(err)
	var wait time.Duration
	r.mu.Lock()
	switch out {
	case outcomeOK:
		r.failures = 0
		wait = r.cfg.Interval
	case outcomeRefused:
		r.failures++
		wait = r.cfg.MaxBackoff
	case outcomeBusy:
		r.failures++
		wait = max(backoff(r.failures, r.cfg.MinBackoff, r.cfg.MaxBackoff), retryAfter(err))
	default:
		r.failures++
		wait = backoff(r.failures, r.cfg.MinBackoff, r.cfg.MaxBackoff)
	}
	r.mu.Unlock()
	r.update(func(s *Status) {
		s.Pending, s.Progress, s.Phase = pending, 0, ""
		if online, known := reached(err); known {
			s.Online = online
		}
		if rep.Resync != nil {
			s.Notice, s.NoticeAt = RestoredNotice, at
		} else if s.Notice != "" && at.Sub(s.NoticeAt) > NoticeFor {
			s.Notice = ""
		}
		switch out {
		case outcomeOK:
			s.State, s.LastSync, s.LastError, s.LastReport = StateIdle, at, "", rep
		case outcomeOffline:
			s.State, s.LastError = StateOffline, userMessage(err)
		case outcomeLocked:
			s.State, s.LastError = StateLocked, ""
		case outcomeBusy:
			// Not an error to act on: the changes wait, the retry comes.
			s.State, s.LastError = StateIdle, ""
		default:
			s.State, s.LastError = StateError, userMessage(err)
		}
	})
	if out == outcomeLocked {
		return r.cfg.Interval
	}
	return wait
}

// retryAfter is how long a busy server asked to be left alone.
func retryAfter(err error) time.Duration {
	var he *transport.Error
	if errors.As(err, &he) {
		return he.RetryAfter
	}
	return 0
}

// reached says whether an attempt got a reply from the server; known is
// false for failures on this workstation, which say nothing about it.
func reached(err error) (online, known bool) {
	var he *transport.Error
	switch {
	case err == nil:
		return true, true
	case errors.As(err, &he):
		return he.Status != 0, true
	}
	return false, false
}

func (r *Runner) record(run chart.SyncRun) {
	ctx, cancel := context.WithTimeout(context.Background(), recordTimeout)
	defer cancel()
	if err := r.cfg.State.RecordSyncRun(ctx, run); err != nil {
		r.cfg.Logger.Printf("sync: %v", err)
	}
}

func (r *Runner) pending(ctx context.Context) int {
	n, err := r.cfg.State.PendingChanges(ctx)
	if err != nil {
		r.cfg.Logger.Printf("sync: %v", err)
		return r.Status().Pending
	}
	return n
}

func (r *Runner) lastSync(ctx context.Context) time.Time {
	if t := r.Status().LastSync; !t.IsZero() {
		return t
	}
	t, err := r.cfg.State.LastSuccessfulSync(ctx)
	if err != nil {
		r.cfg.Logger.Printf("sync: %v", err)
	}
	return t
}

// transport reuses one transport per identity, so connections are kept
// between syncs; a new enrolment gets a new one.
func (r *Runner) transport(id wire.SyncIdentity) Transport {
	key := id.ServerAddr + "|" + string(id.DeviceID) + "|" + id.EnrolledAt.String()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tr == nil || r.trFor != key {
		r.tr, r.trFor = r.cfg.Transport(id), key
	}
	return r.tr
}
