package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"outpost/chart"
)

// Partial replication: the workstation holds the whole practice, or a
// chosen set of patients (a nurse's route). The choice is device-local
// state (sync_scope_patients and the meta key below) and never syncs.
// sync_scope_state.go has what the syncer calls; sync_scope_purge.go the
// removal of patients that left the set.

const (
	metaSyncScope = "sync_scope" // "set"; absent or "all": the whole practice
	scopeSet      = "set"
)

// checkScopeRole allows anyone who may read clinical content, and
// administrators (who set up workstations). Call with mu held.
func (s *Session) checkScopeRole() error {
	if err := s.check(""); err != nil {
		return err
	}
	if s.user.Role == chart.RoleAdministrator {
		return nil
	}
	return s.check(chart.ActReadClinical)
}

// SyncScope returns which patients this workstation replicates, with each
// one's local changes still waiting to be sent. Viewing it is audited.
func (s *Session) SyncScope(ctx context.Context) (chart.SyncScope, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.checkScopeRole(); err != nil {
		return chart.SyncScope{}, err
	}
	var sc chart.SyncScope
	err := s.w.write(ctx, func(t *tx) error {
		var err error
		if sc, err = s.readScope(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditSearch,
			Detail: fmt.Sprintf("viewed this workstation's sync scope (%s)", scopeWords(sc))})
	})
	if err != nil {
		return chart.SyncScope{}, wrapInternal("read the sync scope", err)
	}
	return sc, nil
}

// SetSyncScope makes this workstation hold the whole practice (all) or
// only the patients ids. Patients taken off the set are marked leaving and
// removed by a later sync once all their local changes are acknowledged;
// patients added are backfilled by the next sync. Going back to the whole
// practice restarts the pull from the beginning (applying is idempotent).
func (s *Session) SetSyncScope(ctx context.Context, all bool, ids []chart.PatientID) (chart.SyncScope, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.checkScopeRole(); err != nil {
		return chart.SyncScope{}, err
	}
	ids, err := checkScopeIDs(all, ids)
	if err != nil {
		return chart.SyncScope{}, err
	}
	var sc chart.SyncScope
	err = s.w.write(ctx, func(t *tx) error {
		if err := deleteMeta(ctx, t, metaSyncRoute); err != nil { // hand-picked ends a route by date
			return err
		}
		if err := s.changeScope(ctx, t, all, ids); err != nil {
			return err
		}
		if sc, err = s.readScope(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate,
			Detail: fmt.Sprintf("set this workstation's sync scope (%s)", scopeWords(sc))})
	})
	if err != nil {
		return chart.SyncScope{}, wrapInternal("set the sync scope", err)
	}
	return sc, nil
}

func checkScopeIDs(all bool, ids []chart.PatientID) ([]chart.PatientID, error) {
	if all {
		if len(ids) > 0 {
			return nil, chart.Errorf(chart.EINVALID, "Choose either the whole practice or a list of patients, not both.")
		}
		return nil, nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > chart.MaxScopePatients {
		return nil, chart.Errorf(chart.EINVALID, "A workstation can hold at most %d chosen patients; "+
			"hold the whole practice instead.", chart.MaxScopePatients)
	}
	for _, id := range ids {
		if !chart.ValidID(string(id)) {
			return nil, chart.FieldError("patients", "%.40q is not a patient id.", id)
		}
	}
	return ids, nil
}

func scopeWords(sc chart.SyncScope) string {
	if sc.All {
		return "the whole practice"
	}
	return fmt.Sprintf("%d chosen patients", len(sc.Patients))
}

func scopeIsSet(ctx context.Context, q queryer) (bool, error) {
	var v []byte
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaSyncScope).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read sync scope: %w", err)
	}
	return string(v) == scopeSet, nil
}
