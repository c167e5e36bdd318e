package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"outpost/chart"
)

// Joining from heads (docs/SYNC.md, "Joining from heads"). Instead of every
// change the practice ever made, a new workstation stores the current
// heads of each record as of one server seq (the snapshot), then the whole
// history of any record with several heads (a conflict: its merge needs
// the common ancestors), then pulls deltas after the snapshot as usual.
// Pages are stored unopened by ApplyJoinPull, exactly as a replayed join's
// are; the first sign-in checks and merges them (join_signin.go).
//
// A head whose parents this workstation never received is marked as a
// base (change_bases) when the join ends: the merge reads it as having no
// parents (mergeParents). Changes pulled later that name a base as parent
// merge as usual; one that names an ancestor not held waits, and its
// record's history is fetched (sync/client, FetchMissingAncestors).

// metaJoinUpTo holds the snapshot seq of a join from heads in progress.
const metaJoinUpTo = "join_heads_upto"

// mergeParents is the parents column as merges read it: none for a base.
const mergeParents = `CASE WHEN change_id IN (SELECT change_id FROM change_bases) THEN '[]' ELSE parents END`

// JoinHeadsResume returns where a join from heads stands: the cursor to
// list heads after and the snapshot seq; upTo is 0 when none is in
// progress (a fresh join, or one whose heads are all stored).
func (w *Workstation) JoinHeadsResume(ctx context.Context) (after, upTo int64, err error) {
	m, err := readMeta(ctx, w.db, metaJoinUpTo)
	if err != nil {
		return 0, 0, wrapInternal("read the join's progress", err)
	}
	if after, err = readPullCursor(ctx, w.db); err != nil {
		return 0, 0, wrapInternal("read the join's progress", err)
	}
	if v, ok := m[metaJoinUpTo]; ok {
		if upTo, err = strconv.ParseInt(v, 10, 64); err != nil {
			return 0, 0, wrapInternal("read the join's progress", err)
		}
	}
	return after, upTo, nil
}

// BeginJoinHeads records the snapshot seq of a join from heads, so a cut
// join resumes listing the same snapshot's heads.
func (w *Workstation) BeginJoinHeads(ctx context.Context, upTo int64) error {
	err := w.write(ctx, func(t *tx) error {
		if err := w.requireJoining(ctx, t); err != nil {
			return err
		}
		if err := w.beginJoinTail(ctx, t); err != nil {
			return err
		}
		return setMeta(ctx, t, metaJoinUpTo, []byte(strconv.FormatInt(upTo, 10)))
	})
	return wrapInternalOrNil("start the join", err)
}

// RecordsWithSeveralHeads lists, after record id after in id order, at
// most limit records of which the join stored more than one change: their
// histories are fetched so that their merge has its common ancestors.
// Only the records the join's pages stored twice are looked up when their
// notes cover the change log (sync_join_tail.go), and those whose changes
// all lack parents are left out (nothing older to fetch); otherwise the
// whole change log is scanned, and those are listed too (their history is
// what is held).
func (w *Workstation) RecordsWithSeveralHeads(ctx context.Context, after string, limit int) ([]string, error) {
	j := w.joinTail.Load()
	noted, err := j.current(ctx, w.db)
	if err != nil {
		return nil, wrapInternal("list records in conflict", err)
	}
	var ids []string
	if noted {
		ids, err = severalHeadsAmong(ctx, w.db, j.candidates(after), limit)
	} else {
		ids, err = severalHeadsAfter(ctx, w.db, after, limit)
	}
	return ids, wrapInternalOrNil("list records in conflict", err)
}

// severalHeadsAfter is RecordsWithSeveralHeads from the whole change log.
func severalHeadsAfter(ctx context.Context, q queryer, after string, limit int) ([]string, error) {
	return queryStrings(ctx, q, `SELECT record_id FROM changes WHERE record_id > ?
		GROUP BY record_id HAVING count(*) > 1 ORDER BY record_id LIMIT ?`, after, limit)
}

// FinishJoinHeads ends a join from heads: every stored change naming a
// parent that is neither held nor held back becomes a base, and the pull
// cursor moves to the snapshot, in one transaction.
func (w *Workstation) FinishJoinHeads(ctx context.Context, upTo int64) error {
	err := w.write(ctx, func(t *tx) error {
		if err := w.requireJoining(ctx, t); err != nil {
			return err
		}
		if err := w.markBases(ctx, t); err != nil {
			return err
		}
		cur, err := readPullCursor(ctx, t)
		if err != nil {
			return err
		}
		if err := setMeta(ctx, t, metaPullCursor, []byte(strconv.FormatInt(max(cur, upTo), 10))); err != nil {
			return err
		}
		return deleteMeta(ctx, t, metaJoinUpTo)
	})
	if err == nil {
		w.joinTail.Store(nil)
	}
	return wrapInternalOrNil("finish the join", err)
}

// markBases marks the changes whose parents are missing (not held back:
// a change waiting for a held-back parent keeps waiting): of the changes
// the join's pages stored with parents when their notes cover the change
// log (sync_join_tail.go), otherwise of every change.
func (w *Workstation) markBases(ctx context.Context, t *tx) error {
	const missing = ` AND c.parents != '[]' AND EXISTS (
			SELECT 1 FROM json_each(c.parents) p WHERE NOT EXISTS (SELECT 1 FROM changes x WHERE x.change_id = p.value)
				AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.change_id = p.value))`
	j := w.joinTail.Load()
	noted, err := j.current(ctx, t)
	if err != nil {
		return fmt.Errorf("mark the join's starting points: %w", err)
	}
	query, args := `INSERT OR IGNORE INTO change_bases (change_id) SELECT c.change_id FROM changes c WHERE 1`+missing, []any(nil)
	if noted {
		list, n, err := j.withParents()
		if err != nil || n == 0 {
			return err
		}
		query = `INSERT OR IGNORE INTO change_bases (change_id) SELECT c.change_id FROM changes c
			WHERE c.change_id IN (SELECT value FROM json_each(?))` + missing
		args = []any{list}
	}
	if _, err := t.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("mark the join's starting points: %w", err)
	}
	return nil
}

// requireJoining refuses unless this workstation is joining a practice
// and nobody has signed in yet (the join's pages are stored unopened).
func (w *Workstation) requireJoining(ctx context.Context, t *tx) error {
	m, err := readMeta(ctx, t, metaJoinPending)
	if err != nil {
		return err
	}
	if _, ok := m[metaJoinPending]; !ok {
		return chart.Errorf(chart.ENOTFOUND, "This workstation is not joining a practice (or someone has signed in here already).")
	}
	return nil
}

// markVerified clears the unverified flag of the changes at seqs in one
// statement (one per change made the join's first sign-in prepare 100,000
// statements). By seq, the row's key: by change id each row cost a search
// of the change-id index first.
//
// OR IGNORE: 0 breaks no constraint of the column (NOT NULL, CHECK IN
// (0, 1)), so it skips nothing, but a statement that may abort half way
// keeps a statement journal, and this one touched a page of the change
// log per change (a join's changes of one patient are far apart): SQLite
// copied each page into that journal before changing it, over half the
// statement's CPU at the first sign-in (docs/benchmarks.md, "S2 join: no
// RETURNING, no statement journal, the index from the merge").
// With nothing able to abort it, there is nothing to journal.
func markVerified(ctx context.Context, t *tx, seqs []int64) error {
	if len(seqs) == 0 {
		return nil
	}
	list, err := json.Marshal(seqs)
	if err != nil {
		return fmt.Errorf("verify changes: %w", err)
	}
	if _, err := t.ExecContext(ctx, `UPDATE OR IGNORE changes SET unverified = 0 WHERE seq IN (SELECT value FROM json_each(?))`,
		string(list)); err != nil {
		return fmt.Errorf("verify changes: %w", err)
	}
	return nil
}
