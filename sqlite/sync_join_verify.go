package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"outpost/chart"
	"outpost/sync/apply"
	"outpost/sync/wire"
)

// A join pull stores every change unverified (no key yet). The first
// sign-in used to check every tag and clear every change's flag, which
// rewrote each row of the change log, sealed bytes and all, in the
// transaction that makes the chart usable: a third of its CPU at 2,000
// patients. It now checks only the changes of the records it merges
// (verifyNow); the changes of the charts' records and of the remote hooks
// are checked as they merge behind, in the batch's transaction and before
// it merges or stores anything (verifyRecords; hooksBehind), and the merge
// behind ends by checking whatever is left (verifyStored with no filter). A change whose
// tag fails is held back there, as before; a chart opened first checks
// that chart's changes (mergeChartBehind). Nothing merges an unverified
// change: every path that merges a chart's records behind checks them
// first.

// verifyPage is how many changes one check reads at a time.
const verifyPage = 1000

// verifyNow checks, at the first sign-in, the changes of the records it
// merges (touched), a batch of records at a time, and returns touched
// without the records left with no change, and the seqs of the changes
// that passed. It leaves those changes flagged: the caller clears the flag
// (markVerified) after the merge has written the records rows, in the same
// transaction, because writing a records row moves its head change's bytes
// out of the change log (migration 0017) and so rewrites that change's row:
// flagged first, each merged change's row was rewritten twice, sealed
// bytes and all; flagged after, the second rewrite is of a row left
// without its bytes. Nothing reads the flag in between: the merge reads
// every change whatever its flag, and only what the check passed is left.
func (s *Session) verifyNow(ctx context.Context, t *tx, touched []apply.Record) ([]apply.Record, []int64, error) {
	out := make([]apply.Record, 0, len(touched))
	var passed []int64
	for batch := range slices.Chunk(touched, preloadBatch) {
		kept, err := s.checkRecords(ctx, t, slices.Clone(batch), &passed)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, kept...)
	}
	return out, passed, nil
}

// behindVerified is the set of kinds whose changes, on a chart, merge and
// are checked behind: the clinical kinds and the remote hooks.
func behindVerified() map[string]bool {
	kinds := map[string]bool{}
	for k := range kindMergers {
		kinds[k] = true
	}
	for k := range remoteHooks {
		kinds[k] = true
	}
	return kinds
}

// verifyRecords checks the changes of the records in batch before they
// merge behind, and returns the batch without the records left with no
// change at all (every one held back).
func (s *Session) verifyRecords(ctx context.Context, t *tx, batch []apply.Record) ([]apply.Record, error) {
	return s.checkRecords(ctx, t, batch, nil)
}

// checkRecords is verifyRecords, the seqs of the changes that passed
// appended to *passed, unflagged, when passed is not nil (checkStored).
func (s *Session) checkRecords(ctx context.Context, t *tx, batch []apply.Record, passed *[]int64) ([]apply.Record, error) {
	ids := make([]string, len(batch))
	for i, r := range batch {
		ids[i] = r.ID
	}
	in, args := inList(ids)
	held, err := s.checkStored(ctx, t, passed, `record_id IN (`+in+`)`, args...)
	if err != nil || len(held) == 0 {
		return batch, err
	}
	gone := map[apply.Record]bool{}
	for r := range held {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE record_id = ? AND kind = ?`, r.ID, r.Kind).Scan(&n); err != nil {
			return nil, fmt.Errorf("list records to merge: %w", err)
		}
		gone[r] = n == 0
	}
	return slices.DeleteFunc(batch, func(r apply.Record) bool { return gone[r] }), nil
}

// verifyStored checks the tag of every change a join pull stored
// unverified that where selects (every one with where ""), holding back
// those that fail, a page at a time so that memory stays flat however
// large the practice. It walks the unverified changes once, in seq order,
// and returns the records of the changes it held back.
func (s *Session) verifyStored(ctx context.Context, t *tx, where string, args ...any) (held map[apply.Record]bool, err error) {
	return s.checkStored(ctx, t, nil, where, args...)
}

// checkStored is verifyStored; with passed not nil, the changes that pass
// keep their flag and their seqs are appended to *passed for the caller to
// clear (markVerified) later in the same transaction (verifyNow).
func (s *Session) checkStored(ctx context.Context, t *tx, passed *[]int64, where string, args ...any) (held map[apply.Record]bool, err error) {
	if where == "" {
		where = "1"
	}
	var after int64
	for {
		page, seqs, err := unverifiedPage(ctx, t, after, where, args)
		if err != nil || len(page) == 0 {
			return held, err
		}
		after = seqs[len(seqs)-1]
		verified := make([]int64, 0, len(page))
		for i := range page {
			c := &page[i]
			if why := s.verifyTag(c); why != nil {
				if err := quarantineStored(ctx, t, []chart.ChangeID{c.ChangeID}, func(chart.ChangeID) *apply.Held { return why }); err != nil {
					return nil, err
				}
				if held == nil {
					held = map[apply.Record]bool{}
				}
				held[apply.Record{Kind: c.Kind, ID: c.RecordID}] = true
				continue
			}
			verified = append(verified, seqs[i])
		}
		if passed != nil {
			*passed = append(*passed, verified...)
			continue
		}
		if err := markVerified(ctx, t, verified); err != nil {
			return nil, err
		}
	}
}

// unverifiedPage reads the next page of unverified changes after seq
// after that where selects, and the seq of each.
func unverifiedPage(ctx context.Context, t *tx, after int64, where string, args []any) ([]wire.Change, []int64, error) {
	rows, err := t.QueryContext(ctx, `SELECT seq, `+changeWireColumns+` FROM changes
		WHERE unverified = 1 AND seq > ? AND `+where+` ORDER BY seq LIMIT ?`,
		append(append([]any{after}, args...), verifyPage)...)
	if err != nil {
		return nil, nil, fmt.Errorf("list changes to verify: %w", err)
	}
	defer rows.Close()
	var page []wire.Change
	var seqs []int64
	for rows.Next() {
		var seq int64
		c, err := scanWireChange(seqFirst{rows, &seq})
		if err != nil {
			return nil, nil, fmt.Errorf("list changes to verify: %w", err)
		}
		page, seqs = append(page, c), append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list changes to verify: %w", err)
	}
	return page, seqs, nil
}

// seqFirst scans a change-log row whose first column is its seq into seq,
// and the rest as scanWireChange asks.
type seqFirst struct {
	rows *sql.Rows
	seq  *int64
}

func (r seqFirst) Scan(dest ...any) error { return r.rows.Scan(append([]any{r.seq}, dest...)...) }
