package syncer

import (
	"context"
	"fmt"

	"outpost/chart"
	hlc "outpost/sync"
	"outpost/sync/httpsync"
)

// Batch sizes. A push batch is well under the protocol's 5,000 so one
// request over a slow link stays short; a pull page is the most the server
// sends at once.
const (
	PushBatch = 1000
	PullPage  = hlc.MaxPullLimit
)

// Store is the workstation's side of sync: its outbox and the application
// of pulled changes. The SQLite session implements it.
type Store interface {
	// Outbox returns up to limit unacknowledged local changes, oldest first.
	Outbox(ctx context.Context, limit int) ([]hlc.Change, error)
	// MarkAcked takes acknowledged changes out of the outbox.
	MarkAcked(ctx context.Context, acks []hlc.Ack) error
	// PullCursor is the server seq after which the next pull starts.
	PullCursor(ctx context.Context) (int64, error)
	// ApplyRemote stores a pulled page and moves the cursor to next,
	// atomically, and returns how many changes were new and how many field
	// conflicts the touched records hold.
	ApplyRemote(ctx context.Context, changes []hlc.Change, next int64) (applied, conflicts int, err error)
}

// Transport is the part of httpsync.Client a sync needs.
type Transport interface {
	Push(ctx context.Context, changes []hlc.Change) ([]hlc.Ack, error)
	Pull(ctx context.Context, after int64, limit int, patients []chart.PatientID) (hlc.PullResponse, error)
}

var _ Transport = (*httpsync.Client)(nil)

// Report says what one sync did.
type Report struct {
	Sent      int // local changes the server acknowledged
	Received  int // changes from other workstations stored here
	Conflicts int // field conflicts in the records the pull touched
	Requests  int // HTTP requests made
}

// SyncOnce pushes the whole outbox, then pulls until the server has nothing
// more. It stops at the first error; what was done stays done (acks and
// applied pages are committed one by one), so the next sync resumes.
func SyncOnce(ctx context.Context, st Store, c Transport) (Report, error) {
	var r Report
	if err := push(ctx, st, c, &r); err != nil {
		return r, err
	}
	if err := pull(ctx, st, c, &r); err != nil {
		return r, err
	}
	return r, nil
}

func push(ctx context.Context, st Store, c Transport, r *Report) error {
	for {
		batch, err := st.Outbox(ctx, PushBatch)
		if err != nil {
			return fmt.Errorf("sync: read outbox: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		r.Requests++
		acks, err := c.Push(ctx, batch)
		if err != nil {
			return fmt.Errorf("sync: send %d changes: %w", len(batch), err)
		}
		if err := st.MarkAcked(ctx, acks); err != nil {
			return fmt.Errorf("sync: mark %d changes sent: %w", len(acks), err)
		}
		r.Sent += len(acks)
		if len(acks) < len(batch) {
			// The client checks acks match the batch; this guards the loop
			// against a store that would hand the same changes out forever.
			return fmt.Errorf("sync: server acknowledged %d of %d changes", len(acks), len(batch))
		}
	}
}

func pull(ctx context.Context, st Store, c Transport, r *Report) error {
	cursor, err := st.PullCursor(ctx)
	if err != nil {
		return fmt.Errorf("sync: read pull cursor: %w", err)
	}
	for {
		r.Requests++
		page, err := c.Pull(ctx, cursor, PullPage, nil)
		if err != nil {
			return fmt.Errorf("sync: fetch changes after %d: %w", cursor, err)
		}
		applied, conflicts, err := st.ApplyRemote(ctx, page.Changes, page.Next)
		if err != nil {
			return fmt.Errorf("sync: apply changes after %d: %w", cursor, err)
		}
		r.Received += applied
		r.Conflicts += conflicts
		if !page.More {
			return nil
		}
		if page.Next <= cursor {
			return fmt.Errorf("sync: server says there is more after %d but did not move past it", cursor)
		}
		cursor = page.Next
	}
}
