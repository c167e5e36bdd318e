package sqlite

import (
	"context"
	"fmt"

	"outpost/chart"
)

// PurgeLeaving removes from this device every patient that left the sync
// scope and has no local change waiting for the server: the chart's
// records, change log, kept conflicts and attachment bytes. The practice
// server keeps all of it; the audit log here keeps its entries and gains
// one for the removal. The syncer calls it after a push, so a chart is
// only dropped once everything written here is safe on the server. It
// returns how many patients were removed.
func (s *Session) PurgeLeaving(ctx context.Context) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(""); err != nil {
		return 0, err
	}
	if err := s.w.write(ctx, func(t *tx) error { return sweepGone(ctx, t) }); err != nil {
		return 0, fmt.Errorf("clear sent changes of removed patients: %w", err)
	}
	ids, err := leavingPatients(ctx, s.w.db)
	if err != nil {
		return 0, err
	}
	purged := 0
	for _, id := range ids {
		var gone bool
		err := s.w.write(ctx, func(t *tx) error {
			var err error
			gone, err = s.purgePatient(ctx, t, id)
			return err
		})
		if err != nil {
			return purged, fmt.Errorf("remove patient %s from this workstation: %w", id, err)
		}
		if gone {
			s.index.Remove(id)
			purged++
		}
	}
	return purged, nil
}

// sweepGone drops the change-log rows of removed patients written since
// their removal (audit entries: the removal's own, a chart opened from
// history) once the server has them. The audit log keeps its entries.
func sweepGone(ctx context.Context, t *tx) error {
	_, err := t.ExecContext(ctx, `DELETE FROM changes WHERE acked_at IS NOT NULL
		AND patient_id IN (SELECT patient_id FROM sync_scope_gone)
		AND record_id NOT IN (SELECT id FROM records)`)
	return err
}

func leavingPatients(ctx context.Context, q queryer) ([]chart.PatientID, error) {
	rows, err := q.QueryContext(ctx, `SELECT patient_id FROM sync_scope_patients WHERE leaving = 1 ORDER BY patient_id`)
	if err != nil {
		return nil, fmt.Errorf("list patients leaving the sync scope: %w", err)
	}
	defer rows.Close()
	var ids []chart.PatientID
	for rows.Next() {
		var id chart.PatientID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list patients leaving the sync scope: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// purgePatientSQL deletes one patient's rows, children first (foreign
// keys). Conflicts are keyed by record; the change log names every record
// of the patient, even one whose versions still wait for their parents.
var purgePatientSQL = []string{
	`DELETE FROM attachment_data WHERE id IN (SELECT id FROM records WHERE patient_id = ?1)`,
	`DELETE FROM record_conflicts WHERE record_id IN (SELECT record_id FROM changes WHERE patient_id = ?1)
		OR record_id IN (SELECT id FROM records WHERE patient_id = ?1)`,
	`DELETE FROM records WHERE patient_id = ?1`,
	`DELETE FROM changes WHERE patient_id = ?1`,
}

// purgePatient removes id in t if it is still leaving and nothing of it
// waits to be sent (checked here, in the same transaction as the delete,
// so an edit made after the push keeps the chart). gone says it did.
func (s *Session) purgePatient(ctx context.Context, t *tx, id chart.PatientID) (gone bool, err error) {
	var leaving, waiting int
	err = t.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM sync_scope_patients WHERE patient_id = ?1 AND leaving = 1),
		(SELECT count(*) FROM changes WHERE patient_id = ?1 AND acked_at IS NULL)`, id).Scan(&leaving, &waiting)
	if err != nil || leaving == 0 || waiting > 0 {
		return false, err
	}
	// sync_purging lets the signed-note delete trigger through for this
	// patient only, and only inside this transaction.
	if _, err := t.ExecContext(ctx, `INSERT INTO sync_purging (patient_id) VALUES (?)`, id); err != nil {
		return false, err
	}
	var records int
	if err := t.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE patient_id = ?`, id).Scan(&records); err != nil {
		return false, err
	}
	for _, q := range purgePatientSQL {
		if _, err := t.ExecContext(ctx, q, id); err != nil {
			return false, err
		}
	}
	if _, err := t.ExecContext(ctx, `DELETE FROM sync_purging WHERE patient_id = ?`, id); err != nil {
		return false, err
	}
	if _, err := t.ExecContext(ctx, `DELETE FROM sync_scope_patients WHERE patient_id = ?`, id); err != nil {
		return false, err
	}
	if _, err := t.ExecContext(ctx, `INSERT OR REPLACE INTO sync_scope_gone (patient_id, purged_at) VALUES (?, ?)`,
		id, formatTime(t.now)); err != nil {
		return false, err
	}
	return true, s.audit(ctx, t, patientAudit(chart.AuditUpdate, id, fmt.Sprintf(
		"removed the chart (%d records) from this workstation: it left the sync scope; the practice server keeps it",
		records)))
}
