package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"outpost/chart"
	"outpost/sync/apply"
	"outpost/sync/wire"
)

// Merging behind. The first sign-in after a join merges what signing in
// and the patient list need (the practice, its users and settings, the
// patients, the practice-wide records) and leaves the rest, every chart's
// clinical records and the remote hooks a join pull put off (audit entries,
// attachment bytes), to merge "behind": a batch per transaction, so a
// clinician's save waits for one batch at most, never for the whole merge
// (issue #12: the chart is usable as soon as the join's pull ends).
//
// What is left is kept in the store, not in memory: the join_hooks table,
// and metaMergeBehind, whose value is the last chart record merged behind
// (records go in record id order), so a merge cut by a lock, a crash or a
// power cut goes on where it stopped. Opening a chart first merges that
// chart's records (mergeChartBehind); a pull from the practice server
// first finishes the merge (ApplyRemote), so what it brings meets a
// merged chart and a complete audit log. Merging a record twice is
// harmless: it is merged from the change log, whatever its row holds.

// metaMergeBehind: present while a join's chart records or remote hooks
// wait to merge behind; its value is the cursor, "<record id> <kind>" of
// the last chart record merged ("" before the first).
const metaMergeBehind = "join_merge_behind"

// behindBatch is how many hooks or records one behind transaction takes
// (a variable: tests make it small).
var behindBatch = preloadBatch

// mergesBehind reports whether a record of kind that belongs to a chart
// (patient is set) merges behind rather than at the first sign-in.
func mergesBehind(kind string, patient bool) bool {
	_, clinical := kindMergers[kind]
	return clinical && patient
}

// MergeBehind merges what the first sign-in after a join left to merge,
// a batch per transaction, reporting records and hooks done of total to
// progress (which may be nil). It returns when nothing is left, or with
// what stopped it (the session locked, the context cancelled). It may run
// beside every other call of the session, and beside itself.
func (s *Session) MergeBehind(ctx context.Context, progress func(done, total int)) error {
	total, pending, err := s.behindLeft(ctx)
	if err != nil || !pending {
		return err
	}
	done := 0
	for {
		n, more, err := s.lockedStepBehind(ctx)
		if err != nil {
			return fmt.Errorf("merge the records pulled from the practice server: %w", err)
		}
		done = min(done+n, total)
		if !more {
			done = total
		}
		if progress != nil {
			progress(done, total)
		}
		if !more {
			// Many small transactions grew the log: fold it back (best
			// effort; it is trimmed at its next restart otherwise).
			if err := s.w.Checkpoint(ctx); err != nil {
				slog.Warn("checkpoint after the merge behind", "err", err)
			}
			return nil
		}
	}
}

// MergingBehind reports whether records pulled at a join still wait to be
// merged behind.
func (w *Workstation) MergingBehind(ctx context.Context) (bool, error) {
	_, pending, err := readBehind(ctx, w.db)
	return pending, err
}

func (s *Session) lockedStepBehind(ctx context.Context) (n int, more bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return 0, false, err
	}
	return s.stepBehind(ctx)
}

// stepBehind does one batch of what is left behind: remote hooks first (in
// the order they were pulled), then chart records. more is false once
// nothing is left (and the marker is gone). A batch whose hook refuses its
// change runs again isolating each hook (apply.StepIsolating).
func (s *Session) stepBehind(ctx context.Context) (n int, more bool, err error) {
	err = apply.StepIsolating(func(isolate bool) error {
		return s.w.write(ctx, func(t *tx) error {
			n, more = 0, false
			cursor, pending, err := readBehind(ctx, t)
			if err != nil || !pending {
				return err
			}
			more = true
			if n, err = s.hooksBehind(ctx, t, isolate); err != nil || n > 0 {
				return err
			}
			return s.recordsBehind(ctx, t, cursor, &n, &more)
		})
	})
	return n, more, err
}

// hooksBehind runs the remote hooks of the next batch of changes a join
// pull stored (apply.HooksBehind: straight in the transaction, or with
// isolate each under its own savepoint, so a refused change is held back
// alone).
func (s *Session) hooksBehind(ctx context.Context, t *tx, isolate bool) (int, error) {
	ids, err := queryStrings(ctx, t, `SELECT change_id FROM join_hooks ORDER BY rowid LIMIT ?`, behindBatch)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	in, args := inList(ids)
	if _, err := s.verifyStored(ctx, t, `change_id IN (`+in+`)`, args...); err != nil {
		return 0, err // one whose tag fails is held back, and leaves join_hooks
	}
	page, err := wireChanges(ctx, t, `SELECT `+changeWireColumns+` FROM changes WHERE change_id IN (`+in+`) ORDER BY seq`, args...)
	if err != nil {
		return 0, fmt.Errorf("list pulled changes: %w", err)
	}
	cs := make([]*wire.Change, len(page))
	for i := range page {
		cs[i] = &page[i]
	}
	if err := apply.HooksBehind(ctx, s.port(t), applyKinds{}, cs, isolate); err != nil {
		return 0, err
	}
	if _, err := t.ExecContext(ctx, `DELETE FROM join_hooks WHERE change_id IN (`+in+`)`, args...); err != nil {
		return 0, fmt.Errorf("clear pulled changes: %w", err)
	}
	return len(ids), nil
}

// recordsBehind merges the next batch of chart records after cursor and
// moves the cursor past them; with none left it clears the marker and
// audits what was merged behind.
func (s *Session) recordsBehind(ctx context.Context, t *tx, cursor string, n *int, more *bool) error {
	batch, err := s.listBehind(ctx, t, cursor, "", nil)
	if err != nil {
		return err
	}
	if len(batch) == 0 {
		*more = false
		if _, err := s.verifyStored(ctx, t, ""); err != nil { // what no batch checked
			return err
		}
		if err := deleteMeta(ctx, t, metaMergeBehind); err != nil || cursor == "" {
			return err // nothing was merged behind
		}
		return s.auditLocal(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate, // local only: see auditLocal
			Detail: "finished merging the charts pulled from the practice server"})
	}
	last := batch[len(batch)-1]
	*n = len(batch)
	if batch, err = s.verifyRecords(ctx, t, batch); err != nil {
		return err
	}
	if err := s.mergeTouched(ctx, t, batch); err != nil {
		return err
	}
	return setMeta(ctx, t, metaMergeBehind, []byte(last.ID+" "+last.Kind))
}

// listBehind lists, in record id order, up to behindBatch chart records
// after cursor that other workstations wrote (a record only ever written
// here is current already); where, when set, narrows them to some
// patients' charts.
func (s *Session) listBehind(ctx context.Context, q queryer, cursor, where string, whereArgs []any) ([]apply.Record, error) {
	query, args := s.behindQuery(cursor, where, whereArgs)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list records to merge: %w", err)
	}
	defer rows.Close()
	var out []apply.Record
	for rows.Next() {
		var r apply.Record
		if err := rows.Scan(&r.ID, &r.Kind); err != nil {
			return nil, fmt.Errorf("list records to merge: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// behindQuery is listBehind's query.
func (s *Session) behindQuery(cursor, where string, whereArgs []any) (string, []any) {
	filter, args := s.behindFilter(cursor)
	query := `SELECT DISTINCT record_id, kind FROM changes WHERE ` + filter
	if where != "" {
		return query + ` AND ` + where, append(args, whereArgs...)
	}
	return query + ` ORDER BY record_id, kind LIMIT ?`, append(args, behindBatch)
}

// behindFilter selects the changes of the chart records after cursor that
// other workstations wrote. (record_id, kind) > (?, ?) and patient_id !=
// ” walk changes_behind from the cursor (migration 0020).
func (s *Session) behindFilter(cursor string) (string, []any) {
	id, kind, _ := strings.Cut(cursor, " ")
	kinds, kindArgs := inList(slices.Sorted(maps.Keys(kindMergers)))
	args := append([]any{id, kind}, kindArgs...)
	return `(record_id, kind) > (?, ?) AND kind IN (` + kinds + `) AND patient_id != '' AND device_id != ?`,
		append(args, string(s.deviceID))
}

// mergeChartBehind merges the records of patient's chart that still wait
// behind, so that opening a chart never shows it half merged; the caller
// holds the session's lock. Nothing is read twice when nothing waits.
func (s *Session) mergeChartBehind(ctx context.Context, patient chart.PatientID) error {
	if _, pending, err := readBehind(ctx, s.w.db); err != nil || !pending {
		return err
	}
	return s.w.write(ctx, func(t *tx) error {
		cursor, pending, err := readBehind(ctx, t)
		if err != nil || !pending {
			return err
		}
		where, args := s.chartOf(patient).where("patient_id")
		batch, err := s.listBehind(ctx, t, cursor, where, args)
		if err != nil || len(batch) == 0 {
			return err
		}
		if batch, err = s.verifyRecords(ctx, t, batch); err != nil {
			return err
		}
		err = s.mergeTouched(ctx, t, batch)
		return err
	})
}

// behindLeft counts the hooks and chart records still waiting behind
// (for progress; an estimate once other calls merge some too).
func (s *Session) behindLeft(ctx context.Context) (n int, pending bool, err error) {
	cursor, pending, err := readBehind(ctx, s.w.db)
	if err != nil || !pending {
		return 0, false, err
	}
	filter, args := s.behindFilter(cursor)
	err = s.w.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM join_hooks) + (SELECT count(*) FROM
		(SELECT DISTINCT record_id, kind FROM changes WHERE `+filter+`))`, args...).Scan(&n)
	if err != nil {
		return 0, false, fmt.Errorf("count records to merge: %w", err)
	}
	return n, true, nil
}

// readBehind returns the behind cursor, and whether anything waits.
func readBehind(ctx context.Context, q queryer) (cursor string, pending bool, err error) {
	m, err := readMeta(ctx, q, metaMergeBehind)
	if err != nil {
		return "", false, err
	}
	cursor, pending = m[metaMergeBehind]
	return cursor, pending, nil
}

// markBehind notes that the join's chart records and hooks wait behind,
// keeping the cursor of a merge behind already under way.
func markBehind(ctx context.Context, t *tx) error {
	if _, pending, err := readBehind(ctx, t); err != nil || pending {
		return err
	}
	return setMeta(ctx, t, metaMergeBehind, []byte{})
}

func inList[T any](items []T) (string, []any) {
	args := make([]any, len(items))
	for i, v := range items {
		args[i] = v
	}
	return "?" + strings.Repeat(", ?", len(items)-1), args
}

func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
