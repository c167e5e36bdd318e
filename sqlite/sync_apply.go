package sqlite

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"time"

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
// does not merge is held back (quarantine.go) and the rest applies. Each
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
	var merged []chart.Patient
	err = s.w.write(ctx, func(t *tx) error {
		st, err := s.storeRemote(ctx, t, changes)
		if err != nil {
			return err
		}
		if err := settleBases(ctx, t, st.touched); err != nil {
			return err
		}
		var held int
		if merged, conflicts, held, err = s.mergeTouched(ctx, t, st.touched, st.fresh); err != nil {
			return err
		}
		applied = st.added - st.audits - held
		return s.finishApply(ctx, t, applied, st.audits, st.held+held, next)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("apply changes from the practice server: %w", err)
	}
	for _, p := range merged {
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

// mergeTouched re-merges each touched record by its kind and returns the
// patients whose current version changed (for the index), the number of
// field conflicts the touched records hold, and how many changes it held
// back, a batch at a time: the clinical records of a batch without a
// savepoint when they all open and merge (mergeBatchBulk), the others, and
// any batch that needs isolating, under a savepoint (mergeIsolating). fresh
// names the changes each record just received (nil: every change of the
// record from another workstation).
func (s *Session) mergeTouched(ctx context.Context, t *tx, touched []touchedRecord, fresh map[touchedRecord][]chart.ChangeID) (
	merged []chart.Patient, conflicts, held int, err error) {
	defer func() { t.pre = nil }()
	for i := 0; i < len(touched); i += preloadBatch {
		if t.progress != nil {
			t.progress(i, len(touched))
		}
		clinical, others := splitForBulk(touched[i:min(i+preloadBatch, len(touched))])
		patients, others := splitPatients(others)
		ps, nc, nh, err := s.mergeIsolating(ctx, t, others, fresh)
		if err != nil {
			return nil, 0, 0, err
		}
		merged, conflicts, held = append(merged, ps...), conflicts+nc, held+nh
		if ps, nc, nh, err = s.mergePatients(ctx, t, patients, fresh); err != nil {
			return nil, 0, 0, err
		}
		merged, conflicts, held = append(merged, ps...), conflicts+nc, held+nh
		nc, ok, err := s.mergeBatchBulk(ctx, t, clinical)
		if err != nil {
			return nil, 0, 0, err
		}
		if !ok {
			ps, nc, nh, err = s.mergeIsolating(ctx, t, clinical, fresh)
			if err != nil {
				return nil, 0, 0, err
			}
			merged, held = append(merged, ps...), held+nh
		}
		conflicts += nc
	}
	if t.progress != nil {
		t.progress(len(touched), len(touched))
	}
	return merged, conflicts, held, nil
}

// mergeIsolating merges batch under a savepoint; when it fails for a
// record's own fault, its records are merged one by one and the faulty
// one's changes are held back (holdRecord), so one bad record never stops
// the others.
func (s *Session) mergeIsolating(ctx context.Context, t *tx, batch []touchedRecord, fresh map[touchedRecord][]chart.ChangeID) (
	merged []chart.Patient, conflicts, held int, err error) {
	if len(batch) == 0 {
		return nil, 0, 0, nil
	}
	err = savepoint(ctx, t, "merge_batch", func() error {
		var err error
		merged, conflicts, err = s.mergeBatch(ctx, t, batch)
		return err
	})
	if err == nil {
		return merged, conflicts, 0, nil
	}
	if _, ok := apply.AsHeld(err); !ok {
		return nil, 0, 0, err
	}
	t.pre = nil
	merged, conflicts = nil, 0
	for _, r := range batch {
		p, nc, nh, err := s.mergeOrHold(ctx, t, r, fresh[r], fresh != nil)
		if err != nil {
			return nil, 0, 0, err
		}
		conflicts, held = conflicts+nc, held+nh
		if p != nil {
			merged = append(merged, *p)
		}
	}
	return merged, conflicts, held, nil
}

// mergeBatch merges the records of one batch, their versions read up front
// (preload): one batch at a time keeps memory flat however many records a
// join merges.
func (s *Session) mergeBatch(ctx context.Context, t *tx, batch []touchedRecord) ([]chart.Patient, int, error) {
	pre, err := preload(ctx, t, batch)
	if err != nil {
		return nil, 0, err
	}
	t.pre = pre
	defer func() { t.pre = nil }()
	var merged []chart.Patient
	conflicts := 0
	for _, r := range batch {
		p, nc, err := s.mergeOne(ctx, t, r)
		if err != nil {
			return nil, 0, err
		}
		conflicts += nc
		if p != nil {
			merged = append(merged, *p)
		}
	}
	return merged, conflicts, nil
}

// mergeOrHold merges one record under its own savepoint; if it fails for
// its own fault, the changes at fault are held back (holdRecord) and the
// record merges without them. held counts the changes held back.
func (s *Session) mergeOrHold(ctx context.Context, t *tx, r touchedRecord, fresh []chart.ChangeID, known bool) (
	p *chart.Patient, conflicts, held int, err error) {
	merge := func() error {
		var err error
		p, conflicts, err = s.mergeOne(ctx, t, r)
		return err
	}
	err = savepoint(ctx, t, "merge_one", merge)
	why, ok := apply.AsHeld(err)
	if err == nil || !ok {
		return p, conflicts, 0, err
	}
	if !known {
		if fresh, err = remoteChangesOf(ctx, t, s.deviceID, r); err != nil {
			return nil, 0, 0, err
		}
	}
	if held, err = s.holdRecord(ctx, t, r, fresh, why); err != nil {
		return nil, 0, 0, err
	}
	p, conflicts = nil, 0
	if err := savepoint(ctx, t, "merge_again", merge); err != nil {
		if _, ok := apply.AsHeld(err); !ok {
			return nil, 0, 0, err
		}
		// What is left was stored here before and merged then: leave the
		// record as it was, and say so.
		slog.Warn("record still does not merge after holding back its new changes; left as it was",
			"kind", r.Kind, "record", r.ID, "err", err)
		p, conflicts = nil, 0
	}
	return p, conflicts, held, nil
}

// holdRecord holds back the changes of r among candidates that do not open
// on their own; when each opens alone (the merge of them fails), all the
// candidates are held back with why.
func (s *Session) holdRecord(ctx context.Context, t *tx, r touchedRecord, candidates []chart.ChangeID, why *heldBack) (int, error) {
	bad := map[chart.ChangeID]*heldBack{}
	for _, id := range candidates {
		h, err := s.openAlone(ctx, t, r, id)
		if err != nil {
			return 0, err
		}
		if h != nil {
			bad[id] = h
		}
	}
	if len(bad) == 0 {
		for _, id := range candidates {
			bad[id] = why
		}
	}
	ids := slices.Sorted(maps.Keys(bad))
	slog.Warn("held back pulled changes that do not open or merge", "kind", r.Kind, "record", r.ID, "changes", len(ids))
	return len(ids), quarantineStored(ctx, t, ids, func(id chart.ChangeID) *heldBack { return bad[id] })
}

// remoteChangesOf lists the changes of r written on other workstations.
func remoteChangesOf(ctx context.Context, t *tx, device chart.DeviceID, r touchedRecord) ([]chart.ChangeID, error) {
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
func (s *Session) mergeOne(ctx context.Context, t *tx, r touchedRecord) (p *chart.Patient, conflicts int, err error) {
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

// touchedRecord names a record a pulled change wrote.
type touchedRecord = apply.Record

// stored is what storeRemote took in of a page.
type stored struct {
	touched []touchedRecord                    // records to merge, sorted by kind then id
	fresh   map[touchedRecord][]chart.ChangeID // the new changes of each
	added   int                                // new changes stored
	audits  int                                // of which audit entries
	held    int                                // changes held back
}

// storeRemote screens each change of the page (quarantine.go), appends the
// new ones that pass to the change log as already acknowledged, runs their
// kind's hook, and returns the records they touch that this workstation
// merges (patients and kindMergers).
func (s *Session) storeRemote(ctx context.Context, t *tx, changes []wire.Change) (stored, error) {
	st := stored{fresh: map[touchedRecord][]chart.ChangeID{}}
	keysFirst, rest := splitKeyRecords(changes)
	if err := s.storeKeyRecords(ctx, t, keysFirst, &st); err != nil {
		return st, err
	}
	for i := range rest {
		if err := s.storeOne(ctx, t, rest[i], &st, s.screen); err != nil {
			return st, err
		}
	}
	st.touched = slices.SortedFunc(maps.Keys(st.fresh), func(a, b touchedRecord) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return st, nil
}

// splitKeyRecords puts the page's epochs and keyboxes first: the rest of
// the page may be tagged under a key they bring.
func splitKeyRecords(changes []wire.Change) (keys, rest []*wire.Change) {
	for i := range changes {
		if c := &changes[i]; c.Kind == kindEpoch || c.Kind == kindKeybox {
			keys = append(keys, c)
		} else {
			rest = append(rest, c)
		}
	}
	return keys, rest
}

// storeKeyRecords stores the page's epochs and keyboxes, lets the session
// take the keys they bring to its user, and only then checks their tags
// (a keybox is tagged under the very key it brings): one whose tag fails is
// held back like any other change.
func (s *Session) storeKeyRecords(ctx context.Context, t *tx, changes []*wire.Change, st *stored) error {
	if len(changes) == 0 {
		return nil
	}
	var added []*wire.Change
	for _, c := range changes {
		n := st.added
		if err := s.storeOne(ctx, t, c, st, func(c *wire.Change, now time.Time) *heldBack { return screenWire(c, now) }); err != nil {
			return err
		}
		if st.added > n {
			added = append(added, c)
		}
	}
	if err := s.refreshRing(ctx, t); err != nil {
		return err
	}
	for _, c := range added {
		why := s.verifyTag(c)
		if why == nil {
			continue
		}
		if err := quarantineStored(ctx, t, []chart.ChangeID{c.ChangeID}, func(chart.ChangeID) *heldBack { return why }); err != nil {
			return err
		}
		r := touchedRecord{Kind: c.Kind, ID: c.RecordID}
		st.fresh[r] = slices.DeleteFunc(st.fresh[r], func(id chart.ChangeID) bool { return id == c.ChangeID })
		if len(st.fresh[r]) == 0 {
			delete(st.fresh, r)
		}
		st.added, st.held = st.added-1, st.held+1
	}
	return nil
}

// storeOne screens one pulled change, holds it back or appends it, and
// runs its kind's hook.
func (s *Session) storeOne(ctx context.Context, t *tx, c *wire.Change, st *stored, screen func(*wire.Change, time.Time) *heldBack) error {
	// This device's own changes come back only when it asks (includeOwn,
	// after a restore from a backup): those it holds are skipped by
	// insertRemoteChange, those it wrote after the backup are taken back.
	if why := screen(c, t.now); why != nil {
		if err := quarantine(ctx, t, c, why); err != nil {
			return err
		}
		st.held++
		return nil
	}
	added, err := insertRemoteChange(ctx, t, c, formatTime(t.now), false)
	if err != nil || !added {
		return err
	}
	if held, err := s.runHook(ctx, t, c); err != nil {
		return err
	} else if held {
		st.held++
		return nil
	}
	st.added++
	if isAuditKind(c.Kind) {
		st.audits++
	}
	s.observe(c.HLC)
	if mergesKind(c.Kind) {
		r := touchedRecord{Kind: c.Kind, ID: c.RecordID}
		st.fresh[r] = append(st.fresh[r], c.ChangeID)
	}
	return nil
}

// runHook runs c's kind's remoteHook, if any, under a savepoint: a change
// the hook refuses is held back (held) and the page goes on.
func (s *Session) runHook(ctx context.Context, t *tx, c *wire.Change) (held bool, err error) {
	h, ok := remoteHooks[c.Kind]
	if !ok {
		return false, nil
	}
	err = savepoint(ctx, t, "hook", func() error { return h(s, ctx, t, c) })
	why, isHeld := apply.AsHeld(err)
	if err == nil || !isHeld {
		if err != nil {
			return false, fmt.Errorf("store change %s: %w", c.ChangeID, err)
		}
		return false, nil
	}
	return true, quarantineStored(ctx, t, []chart.ChangeID{c.ChangeID}, func(chart.ChangeID) *heldBack { return why })
}

// insertRemoteChange appends a screened pulled change to the change log as
// already acknowledged; added is false when it was held already.
// unverified marks a change stored by a join pull before any key was at
// hand: the first sign-in checks its tag.
func insertRemoteChange(ctx context.Context, t *tx, c *wire.Change, now string, unverified bool) (added bool, err error) {
	parents, err := json.Marshal(nonNilParents(c.Parents))
	if err != nil {
		return false, fmt.Errorf("change %s: parents: %w", c.ChangeID, err)
	}
	res, err := t.exec(ctx, `INSERT INTO changes (change_id, record_id, kind, patient_id, version, parents,
		hlc, device_id, user_id, sealed, auth, unverified, created_at, acked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (change_id) DO NOTHING`,
		c.ChangeID, c.RecordID, c.Kind, c.PatientID, c.Version, string(parents), c.HLC, c.DeviceID, c.UserID,
		c.Sealed, c.Auth, boolInt(unverified), now, now)
	if err != nil {
		return false, fmt.Errorf("store change %s: %w", c.ChangeID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
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

// finishApply persists the clock and the cursor and audits the page.
func (s *Session) finishApply(ctx context.Context, t *tx, applied, audits, held int, next int64) error {
	cur, err := readPullCursor(ctx, t)
	if err != nil {
		return err
	}
	if err := setMeta(ctx, t, metaPullCursor, []byte(strconv.FormatInt(max(cur, next), 10))); err != nil {
		return err
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
