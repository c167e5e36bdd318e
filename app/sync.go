package app

import (
	"context"
	"time"

	"outpost/chart"
)

// Sync is bound to the frontend: the always-visible sync status, "Sync
// now", connecting this workstation to the practice server, joining a
// practice from a fresh workstation, the end-of-day report and the
// Conflicts screen. The sync itself runs in the background (client.Runner);
// nothing here waits for the network except Connect and JoinPractice, which
// the person asked for and watches.
type Sync struct{ a *App }

// EventSyncStatus carries a SyncStatus whenever the sync status changes
// (progress at most about ten times a second).
const EventSyncStatus = "sync:status"

// SyncStatus is what the status bar shows.
type SyncStatus struct {
	Configured    bool    `json:"configured"` // enrolled with a practice server
	ServerAddr    string  `json:"serverAddr"`
	State         string  `json:"state"` // not_configured, locked, idle, syncing, offline, error
	Online        bool    `json:"online"`
	Running       bool    `json:"running"` // a sync is under way
	Progress      float64 `json:"progress"`
	Phase         string  `json:"phase"` // sending, receiving, merging (sync_behind.go) or ""
	Pending       int     `json:"pending"`
	LastSync      string  `json:"lastSync"` // RFC 3339, "" never
	LastError     string  `json:"lastError"`
	Notice        string  `json:"notice"`        // news that is not an error (the practice server was restored), "" none
	OpenConflicts int     `json:"openConflicts"` // fields kept for review the signed-in role may see (0 while locked)
	Held          int     `json:"held"`          // changes held back from sync (administrators only)
	KeyChangeDue  bool    `json:"keyChangeDue"`  // a workstation was revoked since the practice key last changed
	DaysSinceSync int     `json:"daysSinceSync"` // -1 never
	WarnDays      int     `json:"warnDays"`
	Overdue       bool    `json:"overdue"` // not synced for WarnDays days or more
}

// SyncDayReport is the end-of-day report: what one local day's syncs did.
type SyncDayReport struct {
	Day           string `json:"day"` // YYYY-MM-DD, local time
	Syncs         int    `json:"syncs"`
	Failures      int    `json:"failures"`
	Sent          int    `json:"sent"`
	Received      int    `json:"received"`
	Conflicts     int    `json:"conflicts"`
	OpenConflicts int    `json:"openConflicts"`
	Pending       int    `json:"pending"`
	LastSync      string `json:"lastSync"` // RFC 3339, "" never
}

// ConflictValueDTO is one of the values a field was given concurrently.
type ConflictValueDTO struct {
	Value      any    `json:"value"` // the field's JSON value; null when the edit cleared it
	DeviceID   string `json:"deviceId"`
	DeviceName string `json:"deviceName"` // as enrolled; "…" and the end of the id until its name syncs
	UserID     string `json:"userId"`
	UserName   string `json:"userName"`
	At         string `json:"at"` // RFC 3339
}

// ConflictDTO is one field of one record edited concurrently on two
// workstations: Shown is what the chart displays, Others the kept values.
type ConflictDTO struct {
	RecordID      string             `json:"recordId"`
	Kind          string             `json:"kind"`
	PatientID     string             `json:"patientId"`
	PatientName   string             `json:"patientName"`
	RecordLabel   string             `json:"recordLabel"` // "Allergy: Penicillin", "Demographics"
	Field         string             `json:"field"`
	Shown         ConflictValueDTO   `json:"shown"`
	Others        []ConflictValueDTO `json:"others"`
	AgainstSigned bool               `json:"againstSigned"`
}

// ResolutionDTO settles one conflict: choice "shown", "other" (with
// otherIndex), "merged" (with value, the field's new JSON value) or, for a
// signed note, "addendum".
type ResolutionDTO struct {
	RecordID   string `json:"recordId"`
	Kind       string `json:"kind"`
	Field      string `json:"field"`
	Choice     string `json:"choice"`
	OtherIndex int    `json:"otherIndex"`
	Value      any    `json:"value,omitempty"`
	// ConfirmEmpty: the reviewer confirmed that an empty merged value
	// clears the field (else it is refused, field "confirmEmpty").
	ConfirmEmpty bool `json:"confirmEmpty,omitempty"`
}

// Status is the current sync status. It works while locked.
func (sy *Sync) Status() (SyncStatus, error) {
	return ready(sy.a, func(ctx context.Context) (SyncStatus, error) { return sy.snapshot(ctx), nil })
}

// SyncNow starts a sync at once and returns without waiting for it.
func (sy *Sync) SyncNow() (SyncStatus, error) {
	return ready(sy.a, sy.syncNow)
}

func (sy *Sync) syncNow(ctx context.Context) (SyncStatus, error) {
	st := sy.snapshot(ctx)
	if !st.Configured {
		return st, errNotConnected()
	}
	sy.a.runner.Trigger()
	return st, nil
}

func errNotConnected() error {
	return chart.Errorf(chart.EINVALID, "This workstation is not connected to a practice server. An administrator can connect it in Settings with an enrolment code.")
}

// Connect enrols this workstation (which has a practice) with the practice
// server named in code, then starts syncing. Administrators only.
func (sy *Sync) Connect(code, deviceName string) (SyncStatus, error) {
	return call(sy.a, func(ctx context.Context, s chart.Session) (SyncStatus, error) {
		if err := chart.Require(s.User().Role, chart.ActManagePractice); err != nil {
			return SyncStatus{}, err
		}
		if err := sy.connect(s, code, deviceName); err != nil {
			return SyncStatus{}, err
		}
		sy.a.runner.Trigger()
		return sy.snapshot(ctx), nil
	})
}

// JoinPractice enrols a fresh workstation with the practice server named
// in code and pulls the practice; afterwards its users can sign in. On a
// workstation whose join was cut short it resumes the pull (the code is
// then not used again).
func (sy *Sync) JoinPractice(code, deviceName string) (SyncStatus, error) {
	return ready(sy.a, func(ctx context.Context) (SyncStatus, error) {
		err := sy.join(code, deviceName)
		return sy.snapshot(ctx), err
	})
}

// DayReport sums the syncs of one local day ("YYYY-MM-DD"; "" is today).
// It holds counts only, so it works while locked.
func (sy *Sync) DayReport(day string) (SyncDayReport, error) {
	return ready(sy.a, func(context.Context) (SyncDayReport, error) { return sy.dayReport(day, time.Now()) })
}

// Conflicts lists the open sync conflicts the signed-in user may read.
func (sy *Sync) Conflicts() ([]ConflictDTO, error) {
	return callAs(sy.a, conflictsWhat, func(ctx context.Context, cs chart.ConflictService) ([]ConflictDTO, error) {
		list, err := cs.Conflicts(ctx)
		res := make([]ConflictDTO, 0, len(list))
		for _, c := range list {
			res = append(res, conflictDTO(c))
		}
		return res, err
	})
}

// PatientConflicts marks the records of one patient with open conflicts
// the signed-in user may review (the chart's markers).
func (sy *Sync) PatientConflicts(patientID string) ([]chart.ConflictMark, error) {
	return list(onPatient(sy.a, patientID, chart.ConflictService.PatientConflicts))
}

// ResolveConflict settles one conflict; the resolution syncs at once.
func (sy *Sync) ResolveConflict(r ResolutionDTO) error {
	return errOnly(callAs(sy.a, conflictsWhat, func(ctx context.Context, cs chart.ConflictService) (done, error) {
		return noResult(sy.resolve(ctx, cs, r))
	}))
}

func (sy *Sync) resolve(ctx context.Context, cs chart.ConflictService, r ResolutionDTO) error {
	res, err := resolution(r)
	if err != nil {
		return err
	}
	if err := cs.ResolveConflict(ctx, res); err != nil {
		return err
	}
	if sy.a.runner != nil {
		sy.a.runner.Trigger()
	}
	sy.a.emitSyncStatus()
	return nil
}
