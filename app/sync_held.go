package app

import (
	"context"

	"outpost/chart"
)

// Held back: the pulled changes this workstation did not take in (they did
// not validate, verify, open or merge), for an administrator to review,
// retry after an update, or dismiss with a reason. The store checks the
// role and audits.

const heldWhat = "show changes held back from sync"

// HeldChanges lists the changes held back; dismissed ones too when asked.
func (sy *Sync) HeldChanges(includeDismissed bool) ([]chart.HeldChange, error) {
	return callAs(sy.a, heldWhat, func(ctx context.Context, q chart.QuarantineService) ([]chart.HeldChange, error) {
		return q.HeldChanges(ctx, includeDismissed)
	})
}

// RetryHeld tries the given held changes again.
func (sy *Sync) RetryHeld(ids []int64) (chart.HeldRetry, error) {
	return callAs(sy.a, heldWhat, func(ctx context.Context, q chart.QuarantineService) (chart.HeldRetry, error) {
		res, err := q.RetryHeld(ctx, ids)
		if err == nil {
			sy.a.emitSyncStatus()
		}
		return res, err
	})
}

// DismissHeld sets one held change aside for good, with a reason.
func (sy *Sync) DismissHeld(id int64, reason string) error {
	return errOnly(callAs(sy.a, heldWhat, func(ctx context.Context, q chart.QuarantineService) (done, error) {
		err := q.DismissHeld(ctx, id, reason)
		if err == nil {
			sy.a.emitSyncStatus()
		}
		return noResult(err)
	}))
}
