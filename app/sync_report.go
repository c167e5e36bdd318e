package app

import (
	"time"

	"outpost/chart"
)

// dayReport sums the recorded sync runs that started on day (local time).
func (sy *Sync) dayReport(day string, now time.Time) (SyncDayReport, error) {
	res := SyncDayReport{Day: day}
	start, err := localDay(day, now)
	if err != nil {
		return res, err
	}
	res.Day = start.Format(time.DateOnly)
	ws := sy.a.opts.Sync
	if ws == nil {
		return res, nil
	}
	ctx := sy.a.ctx
	end := start.AddDate(0, 0, 1)
	runs, err := ws.SyncRuns(ctx, start)
	if err != nil {
		return res, err
	}
	for _, r := range runs {
		if !r.StartedAt.Before(end) {
			break
		}
		if r.Error != "" {
			res.Failures++
			// A failed run's acks and applied pages are kept, so they count.
		} else {
			res.Syncs++
		}
		res.Sent += r.Sent
		res.Received += r.Received
		res.Conflicts += r.Conflicts
	}
	if res.Pending, err = ws.PendingChanges(ctx); err != nil {
		return res, err
	}
	if role, ok := sy.a.signedInRole(); ok {
		if res.OpenConflicts, err = ws.OpenConflicts(ctx, role); err != nil {
			return res, err
		}
	}
	last, err := ws.LastSuccessfulSync(ctx)
	if err != nil {
		return res, err
	}
	if !last.IsZero() {
		res.LastSync = last.UTC().Format(time.RFC3339)
	}
	return res, nil
}

// localDay is the start of day ("YYYY-MM-DD", "" today) in local time.
func localDay(day string, now time.Time) (time.Time, error) {
	if day == "" {
		y, m, d := now.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, now.Location()), nil
	}
	t, err := time.ParseInLocation(time.DateOnly, day, now.Location())
	if err != nil {
		return t, chart.FieldError("day", "The day must be a date like 2026-11-23.")
	}
	return t, nil
}
