package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/apply"
	"outpost/sync/clock"
	"outpost/sync/merge"
	"outpost/sync/wire"
)

const conflictsADLabel = "outpost/record-conflicts/v1"

// ApplyRemote stores one page of changes pulled from the practice server and
// moves next into the pull cursor, all in one transaction: either the whole
// page is applied and the cursor moves, or nothing changes and the page is
// pulled again. Changes already held (by change id) and this workstation's
// own changes are skipped, so applying a page twice is harmless. A change
// that is malformed, implausible, unknown, unverified, does not open or
// does not merge is held back (quarantine.go) and the rest applies. The
// decisions, in what order and what to hold back, are apply.Page's; this
// store does the reading and writing behind its port (sync_port.go). Each
// patient record a new change touches is re-merged (merge.Record): a
// single head becomes current as is (fast-forward); concurrent heads give a
// merged version shown under the winning change and their conflicts are
// kept, sealed.
// Clinical records and templates merge the same way (mergeKind), keeping
// their derived clear columns and never rewriting a note signed here.
// It returns how many chart changes were new (audit entries, which travel
// too, are not counted) and how many field conflicts the touched records
// now hold.
func (s *Session) ApplyRemote(ctx context.Context, changes []wire.Change, next int64) (applied, conflicts int, err error) {
	return s.ApplyRemoteAt(ctx, changes, next, "")
}

// ApplyRemoteAt is ApplyRemote that also keeps nextID, the change the
// server numbered next (wire.PullResponse.NextID; "" unknown), as the pull
// mark in the same transaction as the cursor (sync_server_rewind.go).
func (s *Session) ApplyRemoteAt(ctx context.Context, changes []wire.Change, next int64, nextID chart.ChangeID) (applied, conflicts int, err error) {
	// What a join left to merge behind goes first, a batch at a time
	// with the session's lock taken for each (a lock never waits for all).
	if err := s.MergeBehind(ctx, nil); chart.ErrorCode(err) == chart.ELOCKED {
		return 0, 0, errLocked()
	} else if err != nil {
		return 0, 0, fmt.Errorf("apply changes from the practice server: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return 0, 0, err
	}
	var res apply.Result
	// Its checkpoint is left to the background (wal_pull.go).
	err = s.w.writeLeavingCopy(ctx, func(t *tx) error {
		// A day's pull dirties more pages than SQLite's default cache
		// holds (the change log's, audit_remote's and their indexes'):
		// it spilled them to the log mid-transaction, and wrote again
		// those it touched after (docs/benchmarks.md, #12).
		if err := useImportCache(ctx, t); err != nil {
			return err
		}
		var err error
		if res, err = apply.Page(ctx, s.port(t), applyKinds{}, applyOptions(), changes); err != nil {
			return err
		}
		return s.finishApply(ctx, t, res.Applied, res.Audits, res.Held, next, nextID)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("apply changes from the practice server: %w", err)
	}
	applied, conflicts = res.Applied, res.Conflicts
	for _, p := range res.Merged {
		s.index.Put(p)
	}
	if s.ringGrew {
		s.ringGrew = false
		released, err := s.retryHeldForKey(ctx)
		if err != nil {
			return applied, conflicts, fmt.Errorf("apply changes from the practice server: %w", err)
		}
		applied += released
	}
	return applied, conflicts, nil
}

// remoteChangesOf lists the changes of r written on other workstations.
func remoteChangesOf(ctx context.Context, t *tx, device chart.DeviceID, r apply.Record) ([]chart.ChangeID, error) {
	rows, err := t.QueryContext(ctx, `SELECT change_id FROM changes WHERE record_id = ? AND kind = ? AND device_id != ?`,
		r.ID, r.Kind, device)
	if err != nil {
		return nil, fmt.Errorf("list changes of %s %s: %w", r.Kind, r.ID, err)
	}
	defer rows.Close()
	var out []chart.ChangeID
	for rows.Next() {
		var id chart.ChangeID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// savepoint runs fn inside a savepoint named name: if fn fails, everything
// it wrote is undone and the transaction goes on.
func savepoint(ctx context.Context, t *tx, name string, fn func() error) error {
	if _, err := t.ExecContext(ctx, `SAVEPOINT `+name); err != nil {
		return fmt.Errorf("savepoint %s: %w", name, err)
	}
	if err := fn(); err != nil {
		if _, rbErr := t.ExecContext(ctx, `ROLLBACK TO `+name); rbErr != nil {
			return errors.Join(err, fmt.Errorf("roll back to %s: %w", name, rbErr))
		}
		if _, rbErr := t.ExecContext(ctx, `RELEASE `+name); rbErr != nil {
			return errors.Join(err, fmt.Errorf("release %s: %w", name, rbErr))
		}
		return err
	}
	if _, err := t.ExecContext(ctx, `RELEASE `+name); err != nil {
		return fmt.Errorf("release %s: %w", name, err)
	}
	return nil
}

// mergeOne re-merges one touched record by its kind; p is the patient
// when a patient record's current version changed.
func (s *Session) mergeOne(ctx context.Context, t *tx, r apply.Record) (p *chart.Patient, conflicts int, err error) {
	if pm, ok := practiceMergers[r.Kind]; ok {
		nc, err := pm(s, ctx, t, r.ID)
		return nil, nc, err
	}
	if r.Kind != kindPatient {
		nc, err := s.mergeKind(ctx, t, r.Kind, r.ID, kindMergers[r.Kind])
		return nil, nc, err
	}
	pt, nc, ok, err := s.mergePatient(ctx, t, r.ID)
	if err != nil || !ok {
		return nil, 0, err
	}
	return &pt, nc, nil
}

// mergesKind reports whether pulled changes of kind are merged into a
// current record here (others stay in the change log only).
func mergesKind(kind string) bool {
	_, clinical := kindMergers[kind]
	_, practiceWide := practiceMergers[kind]
	return clinical || practiceWide || kind == kindPatient
}

// insertRemoteChange appends a screened pulled change to the change log as
// already acknowledged; added is false when it was held already.
// unverified marks a change stored by a join pull before any key was at
// hand: the first sign-in checks its tag. One row of insertRemoteChanges.
func insertRemoteChange(ctx context.Context, t *tx, c *wire.Change, unverified bool) (added bool, err error) {
	stored, err := insertRemoteChanges(ctx, t, []*wire.Change{c}, unverified)
	if err != nil {
		return false, err
	}
	return stored[0], nil
}

// observe moves the clock past a remote change, so a later local edit
// orders after what this workstation has seen. A clock far ahead is
// refused by the clock and only logged: the change itself is still stored.
func (s *Session) observe(stamp string) {
	ts, err := clock.ParseTimestamp(stamp)
	if err == nil {
		_, err = s.w.clock.Observe(ts)
	}
	if err != nil {
		slog.Warn("remote change clock not observed", "err", err)
	}
}

// finishApply persists the clock, the cursor and, when the cursor is at
// next, the pull mark, and audits the page.
func (s *Session) finishApply(ctx context.Context, t *tx, applied, audits, held int, next int64, nextID chart.ChangeID) error {
	cur, err := readPullCursor(ctx, t)
	if err != nil {
		return err
	}
	if err := setMeta(ctx, t, metaPullCursor, []byte(strconv.FormatInt(max(cur, next), 10))); err != nil {
		return err
	}
	if nextID != "" && next > 0 && next >= cur {
		if err := setPullMark(ctx, t, next, nextID); err != nil {
			return err
		}
	}
	if applied+audits+held == 0 {
		return nil
	}
	if err := setMeta(ctx, t, metaHLC, []byte(s.w.clock.Last().String())); err != nil {
		return err
	}
	return s.auditLocal(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate, // local only: see auditLocal
		Detail: fmt.Sprintf("applied %d changes and %d audit entries from the practice server; held back %d",
			applied, audits, held)})
}

// mergeVersionsOf merges the opened versions of one record. ok is false
// (with no error) while no version can be merged yet: every one waits for
// a parent that has not arrived.
func mergeVersionsOf[V any](versions map[chart.ChangeID]V, view func(V) merge.Version) (merge.Result, bool, error) {
	list := make([]merge.Version, 0, len(versions))
	for _, v := range versions {
		list = append(list, view(v))
	}
	res, err := merge.Record(list)
	if errors.Is(err, merge.ErrIncomplete) {
		return res, false, nil
	}
	if err != nil {
		return res, false, apply.MergeFailed(err)
	}
	return res, true, nil
}

// wrapMerge names the record a merge failed for (nil stays nil).
func wrapMerge(kind, id string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("merge %s %s: %w", kind, id, err)
}

// keepConflicts replaces the sealed conflicts kept for record id of kind.
func (s *Session) keepConflicts(ctx context.Context, t *tx, kind, id string, conflicts []merge.Conflict, now string) error {
	if len(conflicts) == 0 && t.pre != nil && t.pre.ids[id] && !t.pre.conflicts[id] {
		return nil // preloaded: it has none to clear
	}
	if len(conflicts) == 0 {
		if _, err := t.ExecContext(ctx, `DELETE FROM record_conflicts WHERE record_id = ?`, id); err != nil {
			return fmt.Errorf("clear conflicts of %s: %w", id, err)
		}
		return nil
	}
	pt, err := json.Marshal(conflicts)
	if err != nil {
		return fmt.Errorf("encode conflicts of %s: %w", id, err)
	}
	defer clear(pt)
	sealed := s.key.Seal(pt, seal.AD(conflictsADLabel, kind, id))
	_, err = t.exec(ctx, `INSERT INTO record_conflicts (record_id, kind, count, sealed, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET count = excluded.count,
		sealed = excluded.sealed, updated_at = excluded.updated_at`, id, kind, len(conflicts), sealed, now)
	if err != nil {
		return fmt.Errorf("keep conflicts of %s: %w", id, err)
	}
	return nil
}
