package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"time"

	"outpost/chart"
	"outpost/internal/worker"
	"outpost/seal"
)

// saveSpec describes how one kind of record is saved.
type saveSpec[T any, P recordPtr[T]] struct {
	kind     string
	validate func(rec P, now time.Time) error
	// complete (optional) fills store-owned fields, using the previous
	// version (nil when new), and returns the row flags and text appended
	// to the audit detail.
	complete func(ctx context.Context, s *Session, t *tx, rec, old P) (rowFlags, string, error)
}

// save validates rec, versions it, seals it and audits the write, all in
// one transaction.
func (sp saveSpec[T, P]) save(ctx context.Context, s *Session, rec T) (T, error) {
	err := s.guarded("save "+sp.kind, chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error { return sp.saveIn(ctx, s, t, P(&rec)) })
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return rec, nil
}

func (sp saveSpec[T, P]) saveIn(ctx context.Context, s *Session, t *tx, rec P) error {
	if rec.RecordMeta().IsDamaged() {
		return errPlaceholderEdit(sp.kind)
	}
	if err := sp.validate(rec, t.now); err != nil {
		return err
	}
	old, parents, err := prepareWrite[T, P](ctx, s, t, sp.kind, rec)
	if err != nil {
		return err
	}
	var flags rowFlags
	var detail string
	if sp.complete != nil {
		if flags, detail, err = sp.complete(ctx, s, t, rec, old); err != nil {
			return err
		}
	}
	m := rec.RecordMeta()
	if err := s.storeRecord(ctx, t, sp.kind, m, rec, parents, flags); err != nil {
		return err
	}
	return s.audit(ctx, t, writeAudit(sp.kind, m, detail))
}

// listRecords opens the current records of one kind for a patient's
// chart (chartOf: with those of patients merged into it), oldest first
// (ids are UUIDv7). Records entered in error are left out unless
// withRetracted.
func listRecords[T any, P recordPtr[T]](ctx context.Context, q queryer, key *seal.Keyring, patients chartIDs, kind string, withRetracted bool) ([]T, error) {
	cond, args := patients.where("patient_id")
	rows, err := q.QueryContext(ctx, `SELECT `+clinicalColumns+` FROM records
		WHERE `+cond+` AND kind = ? ORDER BY id`, append(args, kind)...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	defer rows.Close()
	var sealed []clinicalRow
	for rows.Next() {
		r, err := scanClinical(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", kind, err)
		}
		sealed = append(sealed, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	opened, err := openAll[T, P](key, sealed)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(opened))
	for _, v := range opened {
		if withRetracted || P(&v).RecordMeta().EnteredInError == nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// openAll opens rows in order, spreading long lists over the cores
// (opening is decryption and JSON: CPU-bound). A row that fails its
// integrity check comes back as its placeholder (openListed), so one
// damaged record never hides the rest.
func openAll[T any, P recordPtr[T]](key *seal.Keyring, rows []clinicalRow) ([]T, error) {
	open := func(r clinicalRow) (T, error) { return openClinical[T, P](key, r) }
	out := make([]T, len(rows))
	errs := make([]error, len(rows))
	workers := min(runtime.GOMAXPROCS(0), 1+len(rows)/parallelOpenMin)
	// A panic while opening fails the list (worker.Run), never the app.
	err := worker.Run(context.Background(), workers, func(ctx context.Context, w int) error {
		for i := w; i < len(rows) && ctx.Err() == nil; i += workers {
			out[i], errs[i] = openListed[T, P](rows[i], open)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open %d records: %w", len(rows), err)
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parallelOpenMin is the list length from which a second core helps.
const parallelOpenMin = 64

// readChart runs a read of one patient's chart and audits it as a chart
// open of kind; read returns what the audit detail adds (placeholders it
// met, damagedDetail). A read that fails its integrity check is audited
// too, then reported.
func (s *Session) readChart(ctx context.Context, patient chart.PatientID, kind, recordID, detail string, read func() (string, error)) error {
	return s.guarded("read "+kind, chart.ActReadClinical, func() error {
		if err := requirePatient(ctx, s.w.db, patient); err != nil {
			return err
		}
		if err := s.mergeChartBehind(ctx, patient); err != nil {
			return err
		}
		more, err := read()
		return s.auditRead(ctx, patient, kind, recordID, detail+more, err)
	})
}

// auditRead audits a chart read (in its own transaction, after the read)
// and returns readErr. Reads that failed for another reason showed nothing
// and are not audited.
func (s *Session) auditRead(ctx context.Context, patient chart.PatientID, kind, recordID, detail string, readErr error) error {
	if readErr != nil && chart.ErrorCode(readErr) != chart.EINTEGRITY {
		return readErr
	}
	if readErr != nil {
		detail += ": a record failed its integrity check"
	}
	err := s.w.write(ctx, func(t *tx) error {
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: patient,
			RecordKind: kind, RecordID: recordID, Detail: detail})
	})
	if err != nil {
		return err
	}
	return readErr
}

// listFor is the body of the simple list methods.
func listFor[T any, P recordPtr[T]](ctx context.Context, s *Session, patient chart.PatientID, kind string) ([]T, error) {
	var out []T
	err := s.readChart(ctx, patient, kind, "", "viewed "+nounFor(kind)+" list", func() (string, error) {
		var err error
		out, err = listRecords[T, P](ctx, s.w.db, s.key, s.chartOf(patient), kind, false)
		return damagedDetail(damagedIDs[T, P](out)), err
	})
	return out, err
}

var (
	encounterSpec = saveSpec[chart.Encounter, *chart.Encounter]{kind: chart.KindEncounter,
		validate: (*chart.Encounter).Validate, complete: completeEncounter}
	problemSpec = saveSpec[chart.Problem, *chart.Problem]{kind: chart.KindProblem,
		validate: (*chart.Problem).Validate}
	allergySpec = saveSpec[chart.Allergy, *chart.Allergy]{kind: chart.KindAllergy,
		validate: (*chart.Allergy).Validate}
	immunizationSpec = saveSpec[chart.Immunization, *chart.Immunization]{kind: chart.KindImmunization,
		validate: (*chart.Immunization).Validate}
)

// completeEncounter refuses an edit once the visit's note is signed, and
// names the clinician: the signed-in clinician by default, and always the
// name on their account (not a typed one).
func completeEncounter(ctx context.Context, s *Session, t *tx, e, old *chart.Encounter) (rowFlags, string, error) {
	if old != nil {
		if err := s.refuseClosedEncounter(ctx, t, e.ID, e.PatientID); err != nil {
			return rowFlags{}, "", err
		}
	}
	if e.ClinicianID == "" && chart.Can(s.user.Role, chart.ActSignNote) {
		e.ClinicianID = s.user.ID
	}
	if e.ClinicianID == "" {
		e.ClinicianName = ""
		return rowFlags{}, "", nil
	}
	err := t.QueryRowContext(ctx, `SELECT full_name FROM users WHERE id = ?`, string(e.ClinicianID)).Scan(&e.ClinicianName)
	if errors.Is(err, sql.ErrNoRows) {
		return rowFlags{}, "", chart.FieldError("clinicianId", "Choose the clinician from the list.")
	}
	if err != nil {
		return rowFlags{}, "", fmt.Errorf("find clinician: %w", err)
	}
	return rowFlags{}, "", nil
}

// SaveEncounter creates or edits an encounter.
func (s *Session) SaveEncounter(ctx context.Context, e chart.Encounter) (chart.Encounter, error) {
	return encounterSpec.save(ctx, s, e)
}

// Encounters lists a patient's encounters, oldest first.
func (s *Session) Encounters(ctx context.Context, id chart.PatientID) ([]chart.Encounter, error) {
	return listFor[chart.Encounter](ctx, s, id, chart.KindEncounter)
}

// SaveProblem creates or edits a problem-list entry.
func (s *Session) SaveProblem(ctx context.Context, p chart.Problem) (chart.Problem, error) {
	return problemSpec.save(ctx, s, p)
}

// Problems lists a patient's problems, oldest first.
func (s *Session) Problems(ctx context.Context, id chart.PatientID) ([]chart.Problem, error) {
	return listFor[chart.Problem](ctx, s, id, chart.KindProblem)
}

// SaveAllergy creates or edits an allergy.
func (s *Session) SaveAllergy(ctx context.Context, a chart.Allergy) (chart.Allergy, error) {
	return allergySpec.save(ctx, s, a)
}

// Allergies lists a patient's allergies, oldest first.
func (s *Session) Allergies(ctx context.Context, id chart.PatientID) ([]chart.Allergy, error) {
	return listFor[chart.Allergy](ctx, s, id, chart.KindAllergy)
}

// SaveImmunization creates or edits an immunization.
func (s *Session) SaveImmunization(ctx context.Context, im chart.Immunization) (chart.Immunization, error) {
	return immunizationSpec.save(ctx, s, im)
}

// Immunizations lists a patient's immunizations, oldest first.
func (s *Session) Immunizations(ctx context.Context, id chart.PatientID) ([]chart.Immunization, error) {
	return listFor[chart.Immunization](ctx, s, id, chart.KindImmunization)
}
