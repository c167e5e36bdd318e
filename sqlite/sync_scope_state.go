package sqlite

import (
	"context"
	"fmt"

	"outpost/chart"
)

// SyncScopeState is the scope as the syncer needs it (client.ScopedStore):
// nil Pull for the whole practice; else the set, leaving patients included
// until purged, and the members still to backfill. Any signed-in user may
// sync.
func (s *Session) SyncScopeState(ctx context.Context) (chart.SyncScopeState, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return chart.SyncScopeState{}, err
	}
	var st chart.SyncScopeState
	err := s.w.write(ctx, func(t *tx) error {
		if err := s.refreshRoute(ctx, t); err != nil {
			return err
		}
		set, err := scopeIsSet(ctx, t)
		if err != nil || !set {
			return err
		}
		if err := adoptLocal(ctx, t); err != nil {
			return err
		}
		st, err = readScopeState(ctx, t)
		return err
	})
	if err != nil {
		return chart.SyncScopeState{}, fmt.Errorf("read the sync scope: %w", err)
	}
	return st, nil
}

func readScopeState(ctx context.Context, t *tx) (chart.SyncScopeState, error) {
	st := chart.SyncScopeState{Pull: []chart.PatientID{}}
	rows, err := t.QueryContext(ctx, `SELECT patient_id, leaving, backfilled, backfill_after
		FROM sync_scope_patients ORDER BY patient_id`)
	if err != nil {
		return st, fmt.Errorf("read sync scope: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id chart.PatientID
		var leaving, backfilled bool
		var after int64
		if err := rows.Scan(&id, &leaving, &backfilled, &after); err != nil {
			return st, fmt.Errorf("read sync scope: %w", err)
		}
		st.Pull = append(st.Pull, id)
		if leaving || backfilled {
			continue
		}
		// One backfill for all newcomers, from the least advanced: pages
		// some of them already have are skipped by change id.
		if len(st.Backfill) == 0 || after < st.BackfillAfter {
			st.BackfillAfter = after
		}
		st.Backfill = append(st.Backfill, id)
	}
	return st, rows.Err()
}

// MarkBackfilled records that the backfill of ids has reached server seq
// next (so a crash resumes there), and when done that their history is
// complete. Patients no longer in the scope are ignored; repeating a call
// changes nothing.
func (s *Session) MarkBackfilled(ctx context.Context, ids []chart.PatientID, next int64, done bool) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return err
	}
	err := s.w.write(ctx, func(t *tx) error {
		for _, id := range ids {
			_, err := t.ExecContext(ctx, `UPDATE sync_scope_patients
				SET backfill_after = max(backfill_after, ?), backfilled = max(backfilled, ?) WHERE patient_id = ?`,
				max(next, 0), done, id)
			if err != nil {
				return fmt.Errorf("patient %s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record backfill progress: %w", err)
	}
	return nil
}
