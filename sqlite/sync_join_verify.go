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
// without the records left with no change.
func (s *Session) verifyNow(ctx context.Context, t *tx, touched []apply.Record) ([]apply.Record, error) {
	out := make([]apply.Record, 0, len(touched))
	for batch := range slices.Chunk(touched, preloadBatch) {
		kept, err := s.verifyRecords(ctx, t, slices.Clone(batch))
		if err != nil {
			return nil, err
		}
		out = append(out, kept...)
	}
	return out, nil
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
	ids := make([]string, len(batch))
	for i, r := range batch {
		ids[i] = r.ID
	}
	in, args := inList(ids)
	held, err := s.verifyStored(ctx, t, `record_id IN (`+in+`)`, args...)
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
	if where == "" {
		where = "1"
	}
	var after int64
	for {
		page, last, err := unverifiedPage(ctx, t, after, where, args)
		if err != nil || len(page) == 0 {
			return held, err
		}
		after = last
		verified := make([]chart.ChangeID, 0, len(page))
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
			verified = append(verified, c.ChangeID)
		}
		if err := markVerified(ctx, t, verified); err != nil {
			return nil, err
		}
	}
}

// unverifiedPage reads the next page of unverified changes after seq
// after that where selects, and the seq of its last.
func unverifiedPage(ctx context.Context, t *tx, after int64, where string, args []any) ([]wire.Change, int64, error) {
	rows, err := t.QueryContext(ctx, `SELECT seq, `+changeWireColumns+` FROM changes
		WHERE unverified = 1 AND seq > ? AND `+where+` ORDER BY seq LIMIT ?`,
		append(append([]any{after}, args...), verifyPage)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list changes to verify: %w", err)
	}
	defer rows.Close()
	var page []wire.Change
	last := after
	for rows.Next() {
		c, err := scanWireChange(seqFirst{rows, &last})
		if err != nil {
			return nil, 0, fmt.Errorf("list changes to verify: %w", err)
		}
		page = append(page, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list changes to verify: %w", err)
	}
	return page, last, nil
}

// seqFirst scans a change-log row whose first column is its seq into seq,
// and the rest as scanWireChange asks.
type seqFirst struct {
	rows *sql.Rows
	seq  *int64
}

func (r seqFirst) Scan(dest ...any) error { return r.rows.Scan(append([]any{r.seq}, dest...)...) }
