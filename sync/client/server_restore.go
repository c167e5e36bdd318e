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

// errServerRestored stops a pull whose store started over with a restored
// server: the page in hand was asked for with a cursor that means nothing
// to it.
var errServerRestored = errors.New("sync: the practice server was restored from a backup; starting over with it")

// RestoredNotice is what the status line says after a sync found the
// practice server restored from a backup.
const RestoredNotice = "The practice server was restored from a backup; this workstation sent its changes to it again and is receiving the others' again."

// noteServer hands page's incarnation and head to the store, and returns
// errServerRestored once the store started over.
func (s *run) noteServer(ctx context.Context, page wire.PullResponse) error {
	w, ok := s.st.(ServerWatcher)
	if !ok {
		return nil
	}
	resync, err := w.NoteServer(ctx, page.Incarnation, page.Head)
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
