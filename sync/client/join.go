package client

import (
	"context"
	"fmt"

	"outpost/sync/wire"
)

// Joiner stores the pages a joining workstation pulls before anyone can
// sign in (no key yet): the SQLite workstation implements it.
type Joiner interface {
	ApplyJoinPull(ctx context.Context, changes []wire.Change, next int64) (int, error)
}

// JoinPull pulls every page after cursor into a joining workstation,
// which moves its cursor with each page (a cut join resumes from it). It
// returns how many changes were new; progress, when not nil, hears the
// receiving side against the server's head.
func JoinPull(ctx context.Context, j Joiner, c Transport, cursor int64, progress func(Progress)) (int, error) {
	start, received := cursor, 0
	for {
		page, err := c.Pull(ctx, cursor, PullPage, nil)
		if err != nil {
			return received, fmt.Errorf("join: fetch changes after %d: %w", cursor, err)
		}
		n, err := j.ApplyJoinPull(ctx, page.Changes, page.Next)
		received += n
		if err != nil {
			return received, fmt.Errorf("join: store changes after %d: %w", cursor, err)
		}
		if progress != nil && page.Head > start {
			progress(Progress{Phase: PhaseReceiving, Done: int(page.Next - start), Total: int(page.Head - start)})
		}
		if !page.More {
			checkpointAfter(ctx, j, received)
			return received, nil
		}
		if page.Next <= cursor {
			return received, fmt.Errorf("join: server says there is more after %d but did not move past it", cursor)
		}
		cursor = page.Next
	}
}
