package client

import (
	"context"
	"fmt"
)

// AncestorStore is an optional Store method pair: a workstation that
// joined from heads names the records whose pulled changes wait for a
// version it never held (sqlite/sync_join_ancestors.go).
type AncestorStore interface {
	RecordsMissingAncestors(ctx context.Context, limit int) (records []string, checkedUpTo int64, err error)
	MarkAncestorsChecked(ctx context.Context, seq int64) error
}

// missingAncestorsLimit bounds the records one sync fetches histories of.
const missingAncestorsLimit = 10 * historyBatch

// fetchAncestors fetches and applies, after a pull, the whole history of
// each record whose changes wait for an ancestor this workstation never
// held, so they merge (the cursor does not move). The check is marked done
// only once the histories are applied: a cut sync asks again.
func (s *run) fetchAncestors(ctx context.Context) error {
	as, ok := s.st.(AncestorStore)
	ht, ok2 := s.c.(HeadsTransport)
	if !ok || !ok2 {
		return nil
	}
	ids, upTo, err := as.RecordsMissingAncestors(ctx, missingAncestorsLimit)
	if err != nil || upTo == 0 {
		return err
	}
	for start := 0; start < len(ids); start += historyBatch {
		batch := ids[start:min(start+historyBatch, len(ids))]
		var cursor, head int64
		for {
			s.r.Requests++
			page, err := ht.JoinHeads(ctx, cursor, head, PullPage, batch)
			if err != nil {
				return fmt.Errorf("sync: fetch the history of %d records: %w", len(batch), err)
			}
			if err := s.applyPage(ctx, page.Changes, 0, ""); err != nil {
				return fmt.Errorf("sync: apply the history of %d records: %w", len(batch), err)
			}
			if !page.More || page.Next <= cursor {
				break
			}
			cursor, head = page.Next, page.Head
		}
	}
	return as.MarkAncestorsChecked(ctx, upTo)
}
