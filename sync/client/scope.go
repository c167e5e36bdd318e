package client

import (
	"context"
	"fmt"

	"outpost/chart"
	"outpost/sync/wire"
)

// ScopedStore is a Store that holds only part of the practice (partial
// replication: a nurse's route). SyncOnceWith uses it when the store has
// it; a plain Store syncs everything, as before.
type ScopedStore interface {
	Store
	// SyncScopeState says what to pull: Pull nil for everything, else
	// those patients (and practice-wide records); Backfill the patients
	// whose history before the cursor is still to fetch, from
	// BackfillAfter.
	SyncScopeState(ctx context.Context) (chart.SyncScopeState, error)
	// MarkBackfilled records a backfill page: ids have everything up to
	// server seq next, and done says their history is complete.
	MarkBackfilled(ctx context.Context, ids []chart.PatientID, next int64, done bool) error
	// PurgeLeaving removes the patients that left the scope and have no
	// unacknowledged local change, and says how many.
	PurgeLeaving(ctx context.Context) (int, error)
}

// scoped pulls within the store's scope, after the push: backfill the
// newcomers, pull the scope, then purge who left (their changes were all
// acknowledged by the push, or they stay for the next sync).
func (s *run) scoped(ctx context.Context) error {
	ss, ok := s.st.(ScopedStore)
	if !ok {
		return s.pull(ctx, nil)
	}
	state, err := ss.SyncScopeState(ctx)
	if err != nil {
		return fmt.Errorf("sync: read the sync scope: %w", err)
	}
	if err := s.backfill(ctx, ss, state); err != nil {
		return err
	}
	if err := s.pull(ctx, state.Pull); err != nil {
		return err
	}
	n, err := ss.PurgeLeaving(ctx)
	if err != nil {
		return fmt.Errorf("sync: remove patients that left the sync scope: %w", err)
	}
	s.r.Purged += n
	return nil
}

// backfill pulls the newcomers' history from state.BackfillAfter. Pages
// are applied without moving the main cursor (ApplyRemote keeps the larger
// of its cursor and next, and is given 0) and their progress is recorded
// after each page, so a cut resumes where it stopped; a page applied twice
// is skipped by change id.
func (s *run) backfill(ctx context.Context, ss ScopedStore, state chart.SyncScopeState) error {
	if len(state.Backfill) == 0 {
		return nil
	}
	err := s.pullFrom(ctx, state.BackfillAfter, state.Backfill, func(page wire.PullResponse) error {
		if err := s.applyPage(ctx, page.Changes, 0, ""); err != nil {
			return err
		}
		return ss.MarkBackfilled(ctx, state.Backfill, page.Next, !page.More)
	})
	if err != nil {
		return fmt.Errorf("sync: fetch the history of %d patients added to the sync scope: %w", len(state.Backfill), err)
	}
	return nil
}
