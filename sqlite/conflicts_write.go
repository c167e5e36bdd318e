package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"outpost/chart"
	"outpost/sync/merge"
)

// ResolveConflict settles one conflicting field: it writes a new version of
// the record, based on every head, with the chosen value and the field
// named in "$resolves" (so keeping the shown value closes the conflict
// too), re-validates it as an edit would, re-merges and audits. A bad
// resolution is refused with nothing written.
func (s *Session) ResolveConflict(ctx context.Context, r chart.Resolution) error {
	act := conflictWriteAct(r.Kind)
	if act == "" {
		return chart.FieldError("kind", "Conflicts in this kind of record cannot be resolved here.")
	}
	return s.guarded("resolve sync conflict", act, func() error {
		if err := merge.CheckChoice(r.Choice); err != nil {
			return err
		}
		var patient *chart.Patient
		err := s.w.write(ctx, func(t *tx) error {
			var err error
			patient, err = s.resolveIn(ctx, t, r)
			return err
		})
		if err == nil && patient != nil {
			s.index.Put(*patient)
		}
		return err
	})
}

func errNotInConflict() error {
	return chart.Errorf(chart.ECONFLICT, "This field is no longer in conflict: someone resolved it or a newer edit "+
		"arrived. Reload the list of conflicts.")
}

// resolveIn validates r against the kept conflict and writes the
// resolution. It returns the new patient version when the record is one.
func (s *Session) resolveIn(ctx context.Context, t *tx, r chart.Resolution) (*chart.Patient, error) {
	patientID, err := conflictRecordPatient(ctx, t, r.Kind, r.RecordID)
	if err != nil {
		return nil, err
	}
	c, err := s.fieldConflict(ctx, t, r.Kind, r.RecordID, r.Field)
	if err != nil {
		return nil, err
	}
	if c.AgainstSigned {
		return nil, s.settleSigned(ctx, t, r, c, patientID)
	}
	val, err := merge.Choose(r, c)
	if err != nil {
		return nil, err
	}
	write := resolveWriters[r.Kind]
	if write == nil {
		write = resolveClinicalWriters[r.Kind]
	}
	if write == nil {
		return nil, chart.FieldError("kind", "Conflicts in this kind of record cannot be resolved here.")
	}
	p, audit, err := write(s, ctx, t, r.RecordID, r.Field, val)
	if err != nil {
		return nil, err
	}
	audit.Detail = fmt.Sprintf("resolved a sync conflict on %s (%s): %s", r.Field, r.Choice, audit.Detail)
	return p, s.audit(ctx, t, audit)
}

// conflictRecordPatient checks the record exists here and returns its
// patient ("" for a template).
func conflictRecordPatient(ctx context.Context, t *tx, kind, id string) (chart.PatientID, error) {
	notFound := notFoundRecord(kind)
	if kind == kindPatient {
		notFound = notFoundPatient()
	}
	if !chart.ValidID(id) {
		return "", notFound
	}
	var patient sql.NullString
	err := t.QueryRowContext(ctx, `SELECT patient_id FROM records WHERE id = ? AND kind = ?`, id, kind).Scan(&patient)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound
	}
	if err != nil {
		return "", fmt.Errorf("find %s %s: %w", kind, id, err)
	}
	return chart.PatientID(patient.String), nil
}

// fieldConflict returns the kept conflict on field of record id.
func (s *Session) fieldConflict(ctx context.Context, t *tx, kind, id, field string) (merge.Conflict, error) {
	var sealed []byte
	err := t.QueryRowContext(ctx, `SELECT sealed FROM record_conflicts WHERE record_id = ? AND kind = ?`, id, kind).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return merge.Conflict{}, errNotInConflict()
	}
	if err != nil {
		return merge.Conflict{}, fmt.Errorf("load conflicts of %s %s: %w", kind, id, err)
	}
	all, err := s.openConflicts(kind, id, sealed)
	if err != nil {
		return merge.Conflict{}, err
	}
	i := slices.IndexFunc(all, func(c merge.Conflict) bool { return c.Field == field })
	if i < 0 {
		return merge.Conflict{}, errNotInConflict()
	}
	return all[i], nil
}

// withField returns rec's fields with field set to val (removed when val
// is empty or null).
func withField(rec any, field string, val json.RawMessage) (map[string]json.RawMessage, error) {
	fields, err := recordFields(rec)
	if err != nil {
		return nil, err
	}
	if merge.JSONType(val) == "null" {
		delete(fields, field)
	} else {
		fields[field] = val
	}
	return fields, nil
}

func errValueDoesNotFit(field string) error {
	return chart.FieldError("value", "That value does not fit the %s field. "+
		"Start from one of the values shown and edit it.", field)
}

// resolveWriter writes the resolved version of record id with field set to
// val, and returns the audit entry (and the patient, for a patient).
type resolveWriter func(s *Session, ctx context.Context, t *tx, id, field string, val json.RawMessage) (*chart.Patient, chart.AuditEntry, error)

var resolveWriters = map[string]resolveWriter{
	kindPatient:           resolvePatient,
	chart.KindTemplate:    resolveTemplate,
	chart.KindTask:        resolveTask,
	chart.KindServiceCode: resolveServiceCode,
}

// resolveClinicalWriters validate each kind as its save does (vitals and
// attachments are checked field by field when entered; their stored form
// has no validator, so only their shape is checked).
var resolveClinicalWriters = map[string]resolveWriter{
	chart.KindEncounter:      resolveClinical(chart.KindEncounter, encounterSpec.validate),
	chart.KindNote:           resolveClinical(chart.KindNote, noteSpec.validate),
	chart.KindProblem:        resolveClinical(chart.KindProblem, problemSpec.validate),
	chart.KindMedication:     resolveClinical(chart.KindMedication, (*chart.Medication).Validate),
	chart.KindAllergy:        resolveClinical(chart.KindAllergy, allergySpec.validate),
	chart.KindVitals:         resolveClinical[chart.VitalsRecord](chart.KindVitals, nil),
	chart.KindResult:         resolveClinical(chart.KindResult, resultSpec.validate),
	chart.KindImmunization:   resolveClinical(chart.KindImmunization, immunizationSpec.validate),
	chart.KindAttachment:     resolveClinical[chart.Attachment](chart.KindAttachment, nil),
	chart.KindChartFlags:     resolveClinical(chart.KindChartFlags, flagsSpec.validate),
	chart.KindFamily:         resolveClinical(chart.KindFamily, familyHistorySpec.validate),
	chart.KindSocial:         resolveClinical(chart.KindSocial, socialHistorySpec.validate),
	chart.KindPregnancy:      resolveClinical(chart.KindPregnancy, pregnancySpec.validate),
	chart.KindProcedure:      resolveClinical(chart.KindProcedure, (*chart.Procedure).Validate),
	chart.KindCareDecision:   resolveClinical(chart.KindCareDecision, careDecisionSpec.validate),
	chart.KindRecallContact:  resolveClinical(chart.KindRecallContact, recallContactSpec.validate),
	chart.KindSourceDocument: resolveClinical(chart.KindSourceDocument, (*chart.SourceDocument).Validate),
	chart.KindSuperbill:      resolveClinical(chart.KindSuperbill, (*chart.Superbill).Validate),
	chart.KindAppointment: resolveClinical(chart.KindAppointment, func(a *chart.Appointment, _ time.Time) error {
		return a.Validate()
	}),
}

func resolvePatient(s *Session, ctx context.Context, t *tx, id, field string, val json.RawMessage) (*chart.Patient, chart.AuditEntry, error) {
	row, err := loadRecord(ctx, t, kindPatient, id)
	if err != nil {
		return nil, chart.AuditEntry{}, err
	}
	cur, err := openPatient(s.key, row.id, row.version, row.head, row.sealed)
	if err != nil {
		return nil, chart.AuditEntry{}, err
	}
	fields, err := withField(&cur, field, val)
	if err != nil {
		return nil, chart.AuditEntry{}, err
	}
	var p chart.Patient
	if err := decodeFields(fields, &p); err != nil {
		return nil, chart.AuditEntry{}, errValueDoesNotFit(field)
	}
	p.ID, p.CreatedAt = cur.ID, cur.CreatedAt
	p.Version, p.UpdatedAt, p.UpdatedBy = row.version+1, t.now, s.user.ID
	if p.MRN == "" {
		p.MRN = cur.MRN // an MRN can be corrected, not removed
	}
	if err := p.Validate(t.now); err != nil {
		return nil, chart.AuditEntry{}, err
	}
	tag, err := s.resolvedMRNTag(ctx, t, &p, cur.MRN)
	if err != nil {
		return nil, chart.AuditEntry{}, err
	}
	if err := s.savePatientResolving(ctx, t, &p, []chart.ChangeID{row.head}, tag, []string{field}); err != nil {
		return nil, chart.AuditEntry{}, err
	}
	return &p, patientAudit(chart.AuditUpdate, p.ID, fmt.Sprintf("demographics version %d", p.Version)), nil
}

// resolvedMRNTag keeps the MRN unique: a resolution that changes the MRN
// claims it like an edit (refused if another patient holds it); one that
// keeps it keeps the record's tag as the merge set it (nil when a pulled
// duplicate left this record without one).
func (s *Session) resolvedMRNTag(ctx context.Context, t *tx, p *chart.Patient, oldMRN string) ([]byte, error) {
	if p.MRN != oldMRN {
		return s.claimMRN(ctx, t, p)
	}
	return s.remoteMRNTag(ctx, t, *p)
}

func resolveTemplate(s *Session, ctx context.Context, t *tx, id, field string, val json.RawMessage) (*chart.Patient, chart.AuditEntry, error) {
	row, err := loadClinicalRow(ctx, t, chart.KindTemplate, chart.RecordID(id))
	if err != nil {
		return nil, chart.AuditEntry{}, err
	}
	cur, err := s.openTemplate(row)
	if err != nil {
		return nil, chart.AuditEntry{}, err
	}
	fields, err := withField(&cur, field, val)
	if err != nil {
		return nil, chart.AuditEntry{}, err
	}
	var tm chart.Template
	if err := decodeFields(fields, &tm); err != nil {
		return nil, chart.AuditEntry{}, errValueDoesNotFit(field)
	}
	tm.ID, tm.BuiltIn = cur.ID, false
	if err := tm.Validate(); err != nil {
		return nil, chart.AuditEntry{}, err
	}
	version := row.version + 1
	if err := s.putTemplate(ctx, t, &tm, version, []chart.ChangeID{row.head}, []string{field}); err != nil {
		return nil, chart.AuditEntry{}, err
	}
	return nil, chart.AuditEntry{Action: chart.AuditUpdate, RecordKind: chart.KindTemplate, RecordID: tm.ID,
		Detail: fmt.Sprintf("note template %q version %d", tm.Name, version)}, nil
}

// resolveClinical writes a resolved clinical record, checked with
// validate (nil: none) like a save, never over a signed note.
func resolveClinical[T any, P recordPtr[T]](kind string, validate func(P, time.Time) error) resolveWriter {
	return func(s *Session, ctx context.Context, t *tx, id, field string, val json.RawMessage) (*chart.Patient, chart.AuditEntry, error) {
		row, err := loadClinicalRow(ctx, t, kind, chart.RecordID(id))
		if err != nil {
			return nil, chart.AuditEntry{}, err
		}
		if row.locked {
			return nil, chart.AuditEntry{}, errNoteSigned()
		}
		cur, err := openClinical[T, P](s.key, row)
		if err != nil {
			return nil, chart.AuditEntry{}, err
		}
		fields, err := withField(P(&cur), field, val)
		if err != nil {
			return nil, chart.AuditEntry{}, err
		}
		var next T
		if err := decodeFields(fields, &next); err != nil {
			return nil, chart.AuditEntry{}, errValueDoesNotFit(field)
		}
		pm, m := P(&cur).RecordMeta(), P(&next).RecordMeta()
		m.ID, m.PatientID, m.CreatedAt, m.CreatedBy = pm.ID, pm.PatientID, pm.CreatedAt, pm.CreatedBy
		m.Version, m.UpdatedAt, m.UpdatedBy = row.version+1, t.now, s.user.ID
		if validate != nil {
			if err := validate(&next, t.now); err != nil {
				return nil, chart.AuditEntry{}, err
			}
		}
		flags, err := resolvedFlags(&next)
		if err != nil {
			return nil, chart.AuditEntry{}, err
		}
		if err := s.storeRecordResolving(ctx, t, kind, m, &next, []chart.ChangeID{row.head}, flags, []string{field}); err != nil {
			return nil, chart.AuditEntry{}, err
		}
		return nil, recordAudit(chart.AuditUpdate, kind, m, fmt.Sprintf("%s version %d", nounFor(kind), m.Version)), nil
	}
}

// resolvedFlags are the row flags of a resolved record, derived from its
// content as the merge derives them. A resolution never signs a note.
func resolvedFlags(rec any) (rowFlags, error) {
	switch r := rec.(type) {
	case *chart.Note:
		if r.Signature != nil {
			return rowFlags{}, chart.FieldError("value", "A resolution cannot sign a note: keep the note unsigned "+
				"and sign it once the conflict is resolved.")
		}
	case *chart.Result:
		return rowFlags{toReview: r.ReviewedAt == nil && r.EnteredInError == nil}, nil
	}
	return rowFlags{}, nil
}
