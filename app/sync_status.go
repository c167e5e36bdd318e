package app

import (
	"context"
	"time"

	"outpost/chart"
	"outpost/sync/client"
)

// snapshot is the status bar's view: the runner's status completed with
// fresh counts from the workstation (edits since the last sync count as
// waiting at once) and the join under way, if any.
func (sy *Sync) snapshot(ctx context.Context) SyncStatus {
	a := sy.a
	res := SyncStatus{State: client.StateNotConfigured, DaysSinceSync: -1, OpenConflicts: 0}
	res.WarnDays = a.warnDays()
	if a.opts.Sync == nil || a.runner == nil {
		return res
	}
	st := a.runner.Status()
	res.State, res.Online, res.Pending, res.LastError = st.State, st.Online, st.Pending, st.LastError
	res.Notice = st.Notice
	res.Progress, res.Phase, res.Running = st.Progress, st.Phase, st.Running()
	id, configured, err := a.opts.Sync.SyncIdentity(ctx)
	if err != nil {
		a.opts.Logger.Printf("sync status: %v", err)
	}
	res.Configured = configured
	if configured {
		res.ServerAddr = id.ServerAddr
		if res.State == client.StateNotConfigured { // the runner has not looked since enrolment
			res.State = client.StateLocked
			if a.syncStore() != nil {
				res.State = client.StateIdle
			}
		}
	} else {
		res.State = client.StateNotConfigured
	}
	if n, err := a.opts.Sync.PendingChanges(ctx); err == nil {
		res.Pending = n
	}
	if role, ok := a.signedInRole(); ok {
		if n, err := a.opts.Sync.OpenConflicts(ctx, role); err == nil {
			res.OpenConflicts = n
		}
		if n, err := a.opts.Sync.HeldCount(ctx); err == nil && role == chart.RoleAdministrator {
			res.Held = n
		}
	}
	if due, err := a.opts.Sync.KeyChangeDue(ctx); err == nil {
		res.KeyChangeDue = due
	}
	last := st.LastSync
	if last.IsZero() {
		last, _ = a.opts.Sync.LastSuccessfulSync(ctx)
	}
	sy.applyJoin(&res)
	setOverdue(&res, last, id.EnrolledAt, configured, time.Now())
	return res
}

// applyJoin shows a join under way (or its failure) over the runner's
// status, which knows nothing of it.
func (sy *Sync) applyJoin(res *SyncStatus) {
	u := &sy.a.syncUI
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.merging > 0 && !u.joining {
		res.State, res.Running, res.Phase, res.Progress = client.StateSyncing, true, PhaseMerging, u.mergeProg
	}
	if u.joining {
		res.State, res.Running, res.Online, res.Phase, res.Progress = client.StateSyncing, true, true, u.joinPhase, u.joinProg
	}
	if u.joinErr != "" && !u.joining {
		res.State, res.LastError = client.StateError, u.joinErr
	}
}

// setOverdue fills the "not synced for N days" fields. A workstation never
// synced counts from its enrolment.
func setOverdue(res *SyncStatus, last, enrolled time.Time, configured bool, now time.Time) {
	days := func(t time.Time) int { return int(now.Sub(t) / (24 * time.Hour)) }
	if !last.IsZero() {
		res.LastSync = last.UTC().Format(time.RFC3339)
		res.DaysSinceSync = max(0, days(last))
	}
	if !configured {
		return
	}
	since := res.DaysSinceSync
	if last.IsZero() && !enrolled.IsZero() {
		since = days(enrolled)
	}
	res.Overdue = since >= res.WarnDays
}

// signedInRole is the role of whoever is signed in; ok is false while
// locked, when nobody's counts are shown.
func (a *App) signedInRole() (chart.Role, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == nil {
		return "", false
	}
	return a.session.User().Role, true
}

// warnDays is the practice's "warn after N days without sync": from the
// signed-in session, else remembered from the last one, else the default.
func (a *App) warnDays() int {
	a.mu.Lock()
	s := a.session
	a.mu.Unlock()
	if s != nil {
		return practiceWarnDays(s.Practice())
	}
	a.syncUI.mu.Lock()
	defer a.syncUI.mu.Unlock()
	if a.syncUI.warnDays > 0 {
		return a.syncUI.warnDays
	}
	return chart.DefaultSyncWarnDays
}

// practiceWarnDays is the practice's SyncWarnDays, or the default when it
// is unset or out of bounds (a practice made before the setting existed).
func practiceWarnDays(p chart.Practice) int {
	if p.SyncWarnDays < chart.MinSyncWarnDays || p.SyncWarnDays > chart.MaxSyncWarnDays {
		return chart.DefaultSyncWarnDays
	}
	return p.SyncWarnDays
}
