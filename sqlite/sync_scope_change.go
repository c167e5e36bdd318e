package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"outpost/chart"
)

// changeScope moves the scope to all or to the set ids (sorted, unique,
// valid), in t.
func (s *Session) changeScope(ctx context.Context, t *tx, all bool, ids []chart.PatientID) error {
	wasSet, err := scopeIsSet(ctx, t)
	if err != nil {
		return err
	}
	if all {
		if !wasSet {
			return nil
		}
		return s.scopeToAll(ctx, t)
	}
	if err := s.checkPatientsHere(ctx, t, ids); err != nil {
		return err
	}
	if !wasSet {
		if err := s.scopeFromAll(ctx, t, ids); err != nil {
			return err
		}
	} else if err := s.scopeToSet(ctx, t, ids); err != nil {
		return err
	}
	return setMeta(ctx, t, metaSyncScope, []byte(scopeSet))
}

// scopeToAll forgets the set and restarts the pull from the beginning: the
// patients this device never held come in full, and those it holds are
// skipped by change id. Leaving patients simply stay.
func (s *Session) scopeToAll(ctx context.Context, t *tx) error {
	for _, q := range []string{`DELETE FROM sync_scope_patients`, `DELETE FROM sync_scope_gone`} {
		if _, err := t.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("clear sync scope: %w", err)
		}
	}
	if err := setMeta(ctx, t, metaPullCursor, []byte("0")); err != nil {
		return err
	}
	return setMeta(ctx, t, metaSyncScope, []byte("all"))
}

// scopeFromAll starts a set on a device that held everything: its members
// are complete up to the cursor already; everyone else leaves.
func (s *Session) scopeFromAll(ctx context.Context, t *tx, ids []chart.PatientID) error {
	now := formatTime(t.now)
	_, err := t.ExecContext(ctx, `INSERT INTO sync_scope_patients (patient_id, leaving, backfilled, added_at)
		SELECT id, 1, 1, ? FROM records WHERE kind = ?`, now, kindPatient)
	if err != nil {
		return fmt.Errorf("mark patients leaving: %w", err)
	}
	for _, id := range ids {
		if _, err := t.ExecContext(ctx, `UPDATE sync_scope_patients SET leaving = 0 WHERE patient_id = ?`, id); err != nil {
			return fmt.Errorf("keep patient %s: %w", id, err)
		}
	}
	return nil
}

// scopeToSet changes a set: members not in ids leave, leaving members in
// ids stay (their history never stopped coming), and new ones need a
// backfill unless this device has never pulled.
func (s *Session) scopeToSet(ctx context.Context, t *tx, ids []chart.PatientID) error {
	cursor, err := readPullCursor(ctx, t)
	if err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `UPDATE sync_scope_patients SET leaving = 1`); err != nil {
		return fmt.Errorf("update sync scope: %w", err)
	}
	backfilled, now := 0, formatTime(t.now)
	if cursor == 0 {
		backfilled = 1
	}
	for _, id := range ids {
		_, err := t.ExecContext(ctx, `INSERT INTO sync_scope_patients (patient_id, leaving, backfilled, added_at)
			VALUES (?, 0, ?, ?) ON CONFLICT (patient_id) DO UPDATE SET leaving = 0`, id, backfilled, now)
		if err != nil {
			return fmt.Errorf("add patient %s to the sync scope: %w", id, err)
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM sync_scope_gone WHERE patient_id = ?`, id); err != nil {
			return fmt.Errorf("add patient %s to the sync scope: %w", id, err)
		}
	}
	return nil
}

// checkPatientsHere refuses ids that are not on this device: a route is
// chosen from the charts the workstation holds, or held before (a patient
// of an earlier route, removed since; it is fetched again).
func (s *Session) checkPatientsHere(ctx context.Context, t *tx, ids []chart.PatientID) error {
	for _, id := range ids {
		var n int
		err := t.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM records WHERE id = ?1 AND kind = ?2)
			+ (SELECT count(*) FROM sync_scope_gone WHERE patient_id = ?1)`, id, kindPatient).Scan(&n)
		if err != nil {
			return fmt.Errorf("check patient %s: %w", id, err)
		}
		if n == 0 {
			return chart.FieldError("patients", "Patient %s is not on this workstation. Choose the route from "+
				"patients this workstation holds, or hold the whole practice and sync first.", id)
		}
	}
	return nil
}

// adoptLocal adds to a set the patients registered here since it was
// chosen: with a set, charts arrive only for members, so any other chart on
// the device was made here and is complete.
func adoptLocal(ctx context.Context, t *tx) error {
	_, err := t.ExecContext(ctx, `INSERT INTO sync_scope_patients (patient_id, leaving, backfilled, added_at)
		SELECT id, 0, 1, ? FROM records WHERE kind = ?
		AND id NOT IN (SELECT patient_id FROM sync_scope_patients)`, formatTime(t.now), kindPatient)
	if err != nil {
		return fmt.Errorf("add patients registered here to the sync scope: %w", err)
	}
	return nil
}

// readScope lists the scope for the user, adopting local patients first.
func (s *Session) readScope(ctx context.Context, t *tx) (chart.SyncScope, error) {
	set, err := scopeIsSet(ctx, t)
	if err != nil || !set {
		return chart.SyncScope{All: true, Patients: []chart.ScopePatient{}}, err
	}
	route, err := readRoute(ctx, t)
	if err != nil {
		return chart.SyncScope{}, err
	}
	if err := adoptLocal(ctx, t); err != nil {
		return chart.SyncScope{}, err
	}
	pending, err := pendingByPatient(ctx, t)
	if err != nil {
		return chart.SyncScope{}, err
	}
	rows, err := t.QueryContext(ctx, `SELECT patient_id, leaving, backfilled FROM sync_scope_patients`)
	if err != nil {
		return chart.SyncScope{}, fmt.Errorf("read sync scope: %w", err)
	}
	defer rows.Close()
	sc := chart.SyncScope{Patients: []chart.ScopePatient{}, ByDate: route}
	for rows.Next() {
		var p chart.ScopePatient
		var backfilled bool
		if err := rows.Scan(&p.ID, &p.Leaving, &backfilled); err != nil {
			return sc, fmt.Errorf("read sync scope: %w", err)
		}
		p.Backfilling = !backfilled && !p.Leaving
		p.PendingChanges = pending[p.ID]
		sc.Patients = append(sc.Patients, p)
	}
	if err := rows.Err(); err != nil {
		return sc, fmt.Errorf("read sync scope: %w", err)
	}
	rows.Close()
	for i := range sc.Patients {
		s.nameScopePatient(ctx, t, &sc.Patients[i])
	}
	slices.SortFunc(sc.Patients, func(a, b chart.ScopePatient) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return sc, nil
}

// nameScopePatient fills the name and MRN shown beside a route entry. A
// chart whose record cannot be read here is listed by id only.
func (s *Session) nameScopePatient(ctx context.Context, t *tx, sp *chart.ScopePatient) {
	row, err := loadRecord(ctx, t, kindPatient, string(sp.ID))
	if err != nil {
		sp.Name = "(chart not yet on this workstation)"
		return
	}
	p, err := openPatient(s.key, row.id, row.version, row.head, row.sealed)
	if err != nil {
		sp.Name = "(record failed its integrity check)"
		return
	}
	sp.Name, sp.MRN = strings.TrimSpace(p.FamilyName+", "+p.GivenName), p.MRN
}

func pendingByPatient(ctx context.Context, q queryer) (map[chart.PatientID]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT patient_id, count(*) FROM changes
		WHERE acked_at IS NULL AND patient_id != '' GROUP BY patient_id`)
	if err != nil {
		return nil, fmt.Errorf("count changes waiting per patient: %w", err)
	}
	defer rows.Close()
	out := map[chart.PatientID]int{}
	for rows.Next() {
		var id chart.PatientID
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count changes waiting per patient: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
