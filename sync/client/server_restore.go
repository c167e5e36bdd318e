package client

// A practice server restored from a backup has forgotten the changes it
// took after the backup and numbers new ones from the backup's seqs again
// (docs/SYNC.md, "A restored practice server"). Every pull reply says the
// server store's incarnation (renewed by every restore) and its head; a
// store that implements ServerWatcher compares them with what it last saw
// and, when the server was restored, resets its pulls to 0 and queues its
// own changes again. The sync then pushes and pulls once more.

import (
	"context"
	"errors"
	"fmt"

	"outpost/chart"
	"outpost/sync/wire"
)

// ServerWatcher is an optional Store method: it hears, from each pull
// reply before it is applied, the server store's incarnation ("" from a
// server too old to say) and head seq, and returns non-nil when it found
// the server restored and started over with it (its pull cursor back to 0,
// its own changes queued to be sent again), all in one transaction.
type ServerWatcher interface {
	NoteServer(ctx context.Context, incarnation string, head int64) (*chart.ServerResync, error)
}

// PullMarkWatcher is an optional Store method for a store brought back
// without a new incarnation (wire.FeatureSeqIDs): it hears, from each pull
// reply before it is applied, the request's after seq and the change the
// server holds there, and starts over as ServerWatcher does when that is
// not the change it pulled there. A store that implements it also
// implements MarkingApplier, which keeps that change with the cursor.
type PullMarkWatcher interface {
	NotePulledAt(ctx context.Context, after int64, afterID chart.ChangeID) (*chart.ServerResync, error)
}

// MarkingApplier is ApplyRemote that also keeps nextID, the change the
// server numbered next, in the transaction that moves the cursor.
type MarkingApplier interface {
	ApplyRemoteAt(ctx context.Context, changes []wire.Change, next int64, nextID chart.ChangeID) (applied, conflicts int, err error)
}

// errServerRestored stops a pull whose store started over with a restored
// server: the page in hand was asked for with a cursor that means nothing
// to it.
var errServerRestored = errors.New("sync: the practice server was restored from a backup; starting over with it")

// RestoredNotice is what the status line says after a sync found the
// practice server restored from a backup.
const RestoredNotice = "The practice server was restored from a backup; this workstation sent its changes to it again and is receiving the others' again."

// noteServer hands page's incarnation and head, and the change at after,
// to the store, and returns errServerRestored once the store started over.
func (s *run) noteServer(ctx context.Context, after int64, page wire.PullResponse) error {
	var resync *chart.ServerResync
	var err error
	if w, ok := s.st.(ServerWatcher); ok {
		resync, err = w.NoteServer(ctx, page.Incarnation, page.Head)
	}
	if w, ok := s.st.(PullMarkWatcher); ok && err == nil && resync == nil && page.AfterID != "" {
		resync, err = w.NotePulledAt(ctx, after, page.AfterID)
	}
	if err != nil {
		return fmt.Errorf("sync: compare with the practice server: %w", err)
	}
	if resync == nil {
		return nil
	}
	if s.r.Resync != nil {
		// Restored twice within one sync: leave it to the next.
		return fmt.Errorf("%w (again within one sync)", errServerRestored)
	}
	s.r.Resync = resync
	return errServerRestored
}
