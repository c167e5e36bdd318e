package app

import (
	"context"
	"errors"

	"outpost/chart"
)

// The first sign-in after a join returns as soon as the chart is usable
// and leaves the charts' records to merge behind (issue #12): each sign-in
// starts that merge here, off any call, and the status bar shows it as a
// sync in the PhaseMerging phase with its progress. Nothing waits for it:
// saves go between its batches, opening a chart merges that chart first,
// and a pull finishes it before it applies. A lock stops it; the next
// sign-in goes on where it stopped.

// PhaseMerging is the sync status phase while records pulled at a join
// merge behind.
const PhaseMerging = "merging"

// behindMerger is a session that may have records to merge behind (the
// SQLite session); it returns at once when none are left.
type behindMerger interface {
	MergeBehind(ctx context.Context, progress func(done, total int)) error
}

func (a *App) mergeBehind(s chart.Session) {
	m, ok := s.(behindMerger)
	if !ok {
		return
	}
	u := &a.syncUI
	shown := false // counted in u.merging: from the first batch on
	var err error
	defer func() {
		if shown {
			u.mu.Lock()
			u.merging--
			u.mu.Unlock()
			a.emitSyncStatus()
		}
		if err != nil && chart.ErrorCode(err) != chart.ELOCKED && !errors.Is(err, context.Canceled) {
			a.opts.Logger.Printf("merge the records pulled at the join: %v", err)
		}
	}()
	defer recoverTo(a.opts.Logger, &err)
	err = m.MergeBehind(a.ctx, func(done, total int) {
		u.mu.Lock()
		if !shown {
			shown = true
			u.merging++
		}
		u.mergeProg = float64(done) / float64(max(total, 1))
		u.mu.Unlock()
		a.emitSyncStatus()
	})
}
