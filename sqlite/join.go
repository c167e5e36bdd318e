package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"

	"outpost/chart"
	"outpost/sync/apply"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// Joining a practice. A fresh workstation enrolled with the practice
// server takes the practice and device ids (BeginJoin), then stores every
// change the server holds as pulled (ApplyJoinPull) — without the data
// key, so nothing is opened yet. The first sign-in finds the user in the
// stored changes by the login hash, unwraps the data key with the
// passphrase (the same key: joining makes no new practice key), and merges
// everything stored so far (join_signin.go).

// BeginJoin makes this fresh workstation a member of practice under
// deviceID. A workstation that already has a practice (made or joined
// here) is refused.
func (w *Workstation) BeginJoin(ctx context.Context, practiceID chart.PracticeID, deviceID chart.DeviceID) error {
	if !chart.ValidID(string(practiceID)) || !chart.ValidID(string(deviceID)) {
		return chart.Errorf(chart.EINVALID, "The practice server answered with a malformed practice or device id; "+
			"check the server's address and version.")
	}
	err := w.write(ctx, func(t *tx) error {
		if err := w.requireNoPractice(ctx, t); err != nil {
			return err
		}
		var users int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&users); err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		if users > 0 {
			return chart.Errorf(chart.ECONFLICT, "This workstation already holds users of a practice; it cannot join another.")
		}
		for k, v := range map[string]string{metaPracticeID: string(practiceID), metaDeviceID: string(deviceID),
			metaJoinPending: "1", metaBackfilled: "1"} {
			if err := setMeta(ctx, t, k, []byte(v)); err != nil {
				return err
			}
		}
		return auditFailure(ctx, t, deviceID, chart.User{}, chart.AuditUserAdmin,
			fmt.Sprintf("joined practice %s through the practice server", practiceID))
	})
	return wrapInternalOrNil("join the practice", err)
}

// ApplyJoinPull stores one page of pulled changes without opening them
// (no key yet) and moves the pull cursor to next, in one transaction:
// all of the page or none of it. Changes already held are skipped, so a
// page applied twice is harmless. It returns how many were new; the next
// sign-in merges them.
func (w *Workstation) ApplyJoinPull(ctx context.Context, changes []wire.Change, next int64) (int, error) {
	n, tail := 0, w.joinTail.Load()
	var stored []*wire.Change
	var lastSeq int64
	err := w.writeLeavingJoinCopy(ctx, func(t *tx) error {
		m, err := readMeta(ctx, t, metaPracticeID, metaDeviceID)
		if err != nil {
			return err
		}
		if _, ok := m[metaPracticeID]; !ok {
			return chart.Errorf(chart.ENOTFOUND, "This workstation has not joined a practice yet.")
		}
		if stored, err = w.storeJoinPage(ctx, t, chart.DeviceID(m[metaDeviceID]), changes); err != nil {
			return err
		}
		if n = len(stored); tail != nil {
			if err := t.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes`).Scan(&lastSeq); err != nil {
				return err
			}
		}
		cur, err := readPullCursor(ctx, t)
		if err != nil {
			return err
		}
		if err := setMeta(ctx, t, metaPullCursor, []byte(strconv.FormatInt(max(cur, next), 10))); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if err := setMeta(ctx, t, metaHLC, []byte(w.clock.Last().String())); err != nil {
			return err
		}
		return setMeta(ctx, t, metaUnmerged, []byte("1"))
	})
	if err != nil {
		return 0, wrapInternal("store changes from the practice server", err)
	}
	tail.note(stored, lastSeq) // committed: the join's tail learns what it stored
	return n, nil
}

// storeJoinPage appends the new changes as acknowledged and unverified,
// holding back those that fail what can be checked without the key
// (screenWire), and notes those whose kind needs a remoteHook, which runs
// once the key is there. It returns the changes added.
func (w *Workstation) storeJoinPage(ctx context.Context, t *tx, device chart.DeviceID, changes []wire.Change) ([]*wire.Change, error) {
	take := make([]*wire.Change, 0, len(changes))
	for i := range changes {
		c := &changes[i]
		if c.DeviceID == device {
			continue
		}
		if why := screenWire(c, t.now); why != nil {
			if err := quarantine(ctx, t, c, why); err != nil {
				return nil, err
			}
			continue
		}
		take = append(take, c)
	}
	added, err := insertRemoteChanges(ctx, t, take, true)
	if err != nil {
		return nil, err
	}
	stored, hooks := make([]*wire.Change, 0, len(take)), []any{}
	for i, c := range take {
		if !added[i] {
			continue
		}
		stored = append(stored, c)
		if ts, err := clock.ParseTimestamp(c.HLC); err == nil {
			if _, err := w.clock.Observe(ts); err != nil {
				slog.Warn("remote change clock not observed", "err", err)
			}
		}
		if _, ok := remoteHooks[c.Kind]; ok {
			hooks = append(hooks, c.ChangeID)
		}
	}
	return stored, insertJoinHooks(ctx, t, hooks)
}

// mergeAll merges, after a join pull, what signing in and the patient list
// need: the practice, its users and settings, the patients and every
// practice-wide record, their changes' tags checked first. Chart records
// and the remote hooks are left to merge behind (sync_join_behind.go),
// their tags checked as they merge (sync_join_verify.go).
// It returns how many records it merged.
func (s *Session) mergeAll(ctx context.Context, t *tx) (int, error) {
	touched, err := s.mergedNow(ctx, t)
	if err != nil {
		return 0, err
	}
	touched, passed, err := s.verifyNow(ctx, t, touched)
	if err != nil {
		return 0, err
	}
	if err := s.mergeTouched(ctx, t, touched); err != nil {
		return 0, err
	}
	if err := markVerified(ctx, t, passed); err != nil { // after the rows moved their bytes: verifyNow
		return 0, err
	}
	if m, err := readMeta(ctx, t, metaUnmerged); err != nil || m[metaUnmerged] == "" {
		return len(touched), err // no join pull left changes unmerged
	}
	return len(touched), markBehind(ctx, t)
}

// mergedNow lists the records the first sign-in merges: the practice, its
// users, then the patients, then the other kinds, each in record id order.
// It reads two indexes, not the change log: the practice-wide changes
// (changes_practice_wide) and the (record id, kind) of the charts'
// changes whose kind does not merge behind (changes_behind), where one
// DISTINCT over every change read and sorted every row, sealed bytes and
// all.
func (s *Session) mergedNow(ctx context.Context, t *tx) ([]apply.Record, error) {
	behind, args := inList(slices.Sorted(maps.Keys(behindVerified())))
	rows, err := t.QueryContext(ctx, `SELECT DISTINCT kind, record_id, 0 FROM changes WHERE patient_id = ''
		UNION ALL SELECT DISTINCT kind, record_id, 1 FROM changes WHERE patient_id != '' AND kind NOT IN (`+behind+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("list records to merge: %w", err)
	}
	defer rows.Close()
	var touched []apply.Record
	for rows.Next() {
		var r apply.Record
		var charted bool
		if err := rows.Scan(&r.Kind, &r.ID, &charted); err != nil {
			return nil, fmt.Errorf("list records to merge: %w", err)
		}
		if mergesKind(r.Kind) && !mergesBehind(r.Kind, charted) {
			touched = append(touched, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list records to merge: %w", err)
	}
	rank := map[string]int{kindPractice: 0, kindUser: 1, kindPatient: 2}
	slices.SortFunc(touched, func(a, b apply.Record) int {
		ra, oka := rank[a.Kind]
		rb, okb := rank[b.Kind]
		if !oka {
			ra = 3
		}
		if !okb {
			rb = 3
		}
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return touched, nil
}
