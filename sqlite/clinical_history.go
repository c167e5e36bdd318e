package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"outpost/chart"
)

var flagsSpec = saveSpec[chart.ChartFlags, *chart.ChartFlags]{kind: chart.KindChartFlags,
	validate: func(*chart.ChartFlags, time.Time) error { return nil }}

// SetChartFlags stores the patient's statements about whole lists. There is
// one flags record per patient; the UI sees only the two booleans, so a set
// without a version is applied to the current one (two yes/no answers, the
// last one given wins). A stale explicit version is still a conflict.
func (s *Session) SetChartFlags(ctx context.Context, f chart.ChartFlags) (chart.ChartFlags, error) {
	err := s.guarded("set chart flags", chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error {
			if err := requirePatient(ctx, t, f.PatientID); err != nil {
				return err
			}
			cur, found, err := findFlagsRow(ctx, t, f.PatientID)
			if err != nil {
				return err
			}
			f.ID = ""
			if found {
				if f.Version != 0 && f.Version != cur.version {
					return errChangedUnderneath(chart.KindChartFlags)
				}
				f.ID, f.Version = chart.RecordID(cur.id), cur.version
			}
			return flagsSpec.saveIn(ctx, s, t, &f)
		})
	})
	if err != nil {
		return chart.ChartFlags{}, err
	}
	return f, nil
}

func findFlagsRow(ctx context.Context, q queryer, patient chart.PatientID) (clinicalRow, bool, error) {
	r, err := scanClinical(q.QueryRowContext(ctx, `SELECT `+clinicalColumns+` FROM records
		WHERE patient_id = ? AND kind = ? ORDER BY id LIMIT 1`, string(patient), chart.KindChartFlags).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("load chart flags: %w", err)
	}
	return r, true, nil
}

// retractable maps each kind that may be entered in error to the code that
// opens, marks and re-seals it.
var retractable = map[string]func(ctx context.Context, s *Session, t *tx, row clinicalRow, eie *chart.EnteredInError) error{
	chart.KindEncounter:     retract[chart.Encounter],
	chart.KindNote:          retract[chart.Note],
	chart.KindProblem:       retract[chart.Problem],
	chart.KindMedication:    retract[chart.Medication],
	chart.KindAllergy:       retract[chart.Allergy],
	chart.KindVitals:        retract[chart.VitalsRecord],
	chart.KindResult:        retract[chart.Result],
	chart.KindImmunization:  retract[chart.Immunization],
	chart.KindAttachment:    retract[chart.Attachment],
	chart.KindFamily:        retract[chart.FamilyHistory],
	chart.KindSocial:        retract[chart.SocialHistory],
	chart.KindPregnancy:     retract[chart.PregnancyStatus],
	chart.KindProcedure:     retract[chart.Procedure],
	chart.KindCareDecision:  retract[chart.CareDecision],
	chart.KindRecallContact: retract[chart.RecallContact],
	chart.KindSuperbill:     retract[chart.Superbill],
}

func retract[T any, P recordPtr[T]](ctx context.Context, s *Session, t *tx, row clinicalRow, eie *chart.EnteredInError) error {
	rec, err := openClinical[T, P](s.key, row)
	if err != nil {
		return err
	}
	m := P(&rec).RecordMeta()
	if m.EnteredInError != nil {
		return chart.Errorf(chart.ECONFLICT, "This %s is already marked entered in error.", nounFor(row.kind))
	}
	m.Version, m.UpdatedAt, m.UpdatedBy, m.EnteredInError = row.version+1, t.now, s.user.ID, eie
	return s.storeRecord(ctx, t, row.kind, m, &rec, []chart.ChangeID{row.head}, rowFlags{})
}

// MarkEnteredInError retracts a record with a reason. It stays in history
// and in the change log; it leaves the current chart. A signed note cannot
// be retracted (its correction is an addendum).
func (s *Session) MarkEnteredInError(ctx context.Context, kind string, id chart.RecordID, reason string) error {
	mark, ok := retractable[kind]
	if !ok {
		return chart.FieldError("kind", "Records of this kind cannot be marked entered in error.")
	}
	return s.guarded("mark entered in error", chart.ActWriteClinical, func() error {
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return chart.FieldError("reason", "Say why this was entered in error.")
		}
		if len([]rune(reason)) > chart.MaxShortTextLen || strings.ContainsAny(reason, "\n\r\t\x00") {
			return chart.FieldError("reason", "The reason must be one line of at most %d characters.", chart.MaxShortTextLen)
		}
		return s.w.write(ctx, func(t *tx) error {
			row, err := loadClinicalRow(ctx, t, kind, id)
			if err != nil {
				return err
			}
			if row.locked {
				return errNoteSigned()
			}
			eie := &chart.EnteredInError{At: t.now, By: s.user.ID, ByName: s.user.FullName, Reason: reason}
			if err := mark(ctx, s, t, row, eie); err != nil {
				return err
			}
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate, PatientID: chart.PatientID(row.patientID),
				RecordKind: kind, RecordID: string(id), Detail: "marked " + nounFor(kind) + " entered in error: " + reason})
		})
	})
}

// historyOpeners open one version of a record of each kind for RecordHistory.
var historyOpeners = map[string]func(s *Session, v changeVersion) (any, error){
	chart.KindEncounter:      openVersion[chart.Encounter],
	chart.KindNote:           openVersion[chart.Note],
	chart.KindProblem:        openVersion[chart.Problem],
	chart.KindMedication:     openVersion[chart.Medication],
	chart.KindAllergy:        openVersion[chart.Allergy],
	chart.KindVitals:         openVersion[chart.VitalsRecord],
	chart.KindResult:         openVersion[chart.Result],
	chart.KindImmunization:   openVersion[chart.Immunization],
	chart.KindAttachment:     openVersion[chart.Attachment],
	chart.KindChartFlags:     openVersion[chart.ChartFlags],
	chart.KindFamily:         openVersion[chart.FamilyHistory],
	chart.KindSocial:         openVersion[chart.SocialHistory],
	chart.KindPregnancy:      openVersion[chart.PregnancyStatus],
	chart.KindProcedure:      openVersion[chart.Procedure],
	chart.KindCareDecision:   openVersion[chart.CareDecision],
	chart.KindRecallContact:  openVersion[chart.RecallContact],
	chart.KindSourceDocument: openVersion[chart.SourceDocument],
	chart.KindSuperbill:      openVersion[chart.Superbill],
}

// changeVersion is one row of the change log for a record.
type changeVersion struct {
	kind, recordID, patientID string
	cid                       chart.ChangeID
	version                   int64
	sealed                    []byte
}

func openVersion[T any, P recordPtr[T]](s *Session, v changeVersion) (any, error) {
	return openSealed[T, P](s.key, v.kind, v.recordID, v.patientID, v.version, v.cid, v.sealed)
}

// RecordHistory returns every version of a clinical record, newest first.
func (s *Session) RecordHistory(ctx context.Context, kind string, id chart.RecordID) ([]chart.RecordVersion, error) {
	opener, ok := historyOpeners[kind]
	if !ok {
		return nil, chart.FieldError("kind", "There is no history for records of this kind.")
	}
	var out []chart.RecordVersion
	err := s.guarded("record history", chart.ActReadClinical, func() error {
		row, err := loadClinicalRow(ctx, s.w.db, kind, id)
		if err != nil {
			return err
		}
		out, err = s.loadRecordHistory(ctx, opener, row)
		detail := "viewed " + nounFor(kind) + " history"
		if chart.ErrorCode(err) == chart.EINTEGRITY {
			detail += ": a version failed its integrity check"
		} else if err != nil {
			return err
		}
		auditErr := s.w.write(ctx, func(t *tx) error {
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: chart.PatientID(row.patientID),
				RecordKind: kind, RecordID: string(id), Detail: detail})
		})
		return errors.Join(auditErr, err)
	})
	return out, err
}

func (s *Session) loadRecordHistory(ctx context.Context, opener func(*Session, changeVersion) (any, error), row clinicalRow) ([]chart.RecordVersion, error) {
	versions, err := s.historyOf(ctx, row.kind, row.id)
	if err != nil {
		return nil, err
	}
	out := make([]chart.RecordVersion, 0, len(versions))
	for _, hv := range versions {
		rv := chart.RecordVersion{ChangeID: hv.change, Version: hv.version, Concurrent: hv.concurrent,
			DeviceName: hv.deviceName, ChangedBy: hv.user, ChangedByName: hv.userName}
		if rv.ChangedAt, err = parseTime(hv.writtenAt); err != nil {
			return nil, err
		}
		rec, err := opener(s, changeVersion{kind: row.kind, recordID: row.id, patientID: row.patientID, cid: hv.change,
			version: hv.version, sealed: hv.sealed})
		if err != nil {
			return nil, err
		}
		content, err := json.Marshal(rec)
		if err != nil {
			return nil, fmt.Errorf("encode history: %w", err)
		}
		rv.Content = string(content)
		out = append(out, rv)
	}
	return out, nil
}

// AuditExport records that part of a chart left Outpost (a printout).
func (s *Session) AuditExport(ctx context.Context, id chart.PatientID, what string) error {
	return s.guarded("audit export", chart.ActReadClinical, func() error {
		what = strings.TrimSpace(what)
		if what == "" || len([]rune(what)) > chart.MaxShortTextLen || strings.ContainsAny(what, "\n\r\t\x00") {
			return chart.FieldError("what", "Say in one short line what was exported.")
		}
		if err := requirePatient(ctx, s.w.db, id); err != nil {
			return err
		}
		return s.w.write(ctx, func(t *tx) error {
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditExport, PatientID: id,
				RecordKind: kindPatient, RecordID: string(id), Detail: "exported " + what})
		})
	})
}
