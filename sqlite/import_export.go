package sqlite

import (
	"context"
	"fmt"
	"strings"

	"outpost/chart"
)

// procedureSpec saves procedures (they arrive by import today; the chart
// lists them read-only).
var procedureSpec = saveSpec[chart.Procedure, *chart.Procedure]{kind: chart.KindProcedure,
	validate: (*chart.Procedure).Validate}

// Procedures lists a patient's procedures, oldest first.
func (s *Session) Procedures(ctx context.Context, id chart.PatientID) ([]chart.Procedure, error) {
	return listFor[chart.Procedure](ctx, s, id, chart.KindProcedure)
}

// PatientRecords returns a patient's whole current chart (records entered
// in error left out; attachments with their bytes; the originals kept from
// imports) for an export, audited as a disclosure with purpose ("FHIR
// export to USB stick", "referral to Dr Ames"). A record that does not
// open fails the export: a disclosure must not silently lack part of the
// chart.
func (s *Session) PatientRecords(ctx context.Context, id chart.PatientID, purpose string) (chart.PatientRecords, error) {
	var recs chart.PatientRecords
	err := s.guarded("export patient", "", func() error {
		if err := s.mayImportExport(chart.ActReadClinical); err != nil {
			return err
		}
		purpose = strings.TrimSpace(purpose)
		if purpose == "" || len([]rune(purpose)) > chart.MaxShortTextLen || strings.ContainsAny(purpose, "\n\r\t\x00") {
			return chart.FieldError("purpose", "Say in one line (at most %d characters) why and to whom the chart is disclosed.",
				chart.MaxShortTextLen)
		}
		var err error
		if err = s.w.snapshot(ctx, func(q queryer) error {
			recs, err = s.loadPatientRecords(ctx, q, id)
			return err
		}); err != nil {
			return err
		}
		return s.w.write(ctx, func(t *tx) error {
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditExport, PatientID: id, RecordKind: kindPatient,
				RecordID: string(id), Detail: fmt.Sprintf("exported the whole chart (%s): %s", countsText(batchCounts(&recs)), purpose)})
		})
	})
	if err != nil {
		return chart.PatientRecords{}, err
	}
	return recs, nil
}

func (s *Session) loadPatientRecords(ctx context.Context, q queryer, id chart.PatientID) (chart.PatientRecords, error) {
	var r chart.PatientRecords
	if !chart.ValidID(string(id)) {
		return r, notFoundPatient()
	}
	row, err := loadRecord(ctx, q, kindPatient, string(id))
	if err != nil {
		return r, err
	}
	if r.Patient, err = openPatient(s.key, row.id, row.version, row.head, row.sealed); err != nil {
		return r, err
	}
	var flags []chart.ChartFlags
	var attachments []chart.Attachment
	err = firstError(
		listInto(ctx, q, s, id, chart.KindEncounter, &r.Encounters),
		listInto(ctx, q, s, id, chart.KindProblem, &r.Problems),
		listInto(ctx, q, s, id, chart.KindMedication, &r.Medications),
		listInto(ctx, q, s, id, chart.KindAllergy, &r.Allergies),
		listInto(ctx, q, s, id, chart.KindVitals, &r.Vitals),
		listInto(ctx, q, s, id, chart.KindResult, &r.Results),
		listInto(ctx, q, s, id, chart.KindImmunization, &r.Immunizations),
		listInto(ctx, q, s, id, chart.KindNote, &r.Notes),
		listInto(ctx, q, s, id, chart.KindProcedure, &r.Procedures),
		listInto(ctx, q, s, id, chart.KindSocial, &r.SocialHistory),
		listInto(ctx, q, s, id, chart.KindFamily, &r.FamilyHistory),
		listInto(ctx, q, s, id, chart.KindPregnancy, &r.Pregnancy),
		listInto(ctx, q, s, id, chart.KindSourceDocument, &r.Sources),
		listInto(ctx, q, s, id, chart.KindChartFlags, &flags),
		listInto(ctx, q, s, id, chart.KindAttachment, &attachments),
	)
	if err != nil {
		return r, err
	}
	r.NoKnownAllergies = len(flags) > 0 && flags[0].NoKnownAllergies && len(r.Allergies) == 0
	r.Attachments, err = s.exportAttachments(ctx, attachments, r.Results)
	return r, err
}

// listInto is a step that lists one kind into dst, refusing records that
// do not open.
func listInto[T any, P recordPtr[T]](ctx context.Context, q queryer, s *Session, patient chart.PatientID, kind string, dst *[]T) func() error {
	return func() error {
		ids := s.chartOf(patient) // a merged patient's records go out with the survivor
		if kind == chart.KindChartFlags {
			ids = chartIDs{patient} // one per chart: the survivor's own
		}
		recs, err := listRecords[T, P](ctx, q, s.key, ids, kind, false)
		if err != nil {
			return err
		}
		for i := range recs {
			if m := P(&recs[i]).RecordMeta(); m.IsDamaged() {
				return recordIntegrityError(kind, string(m.ID))
			}
		}
		*dst = recs
		return nil
	}
}

// exportAttachments opens each attachment's bytes and names the results
// that list it.
func (s *Session) exportAttachments(ctx context.Context, as []chart.Attachment, results []chart.Result) ([]chart.ImportedAttachment, error) {
	out := make([]chart.ImportedAttachment, 0, len(as))
	for _, a := range as {
		row, err := loadClinicalRow(ctx, s.w.db, chart.KindAttachment, a.ID)
		if err != nil {
			return nil, err
		}
		_, data, err := s.openAttachment(ctx, row)
		if err != nil {
			return nil, err
		}
		ia := chart.ImportedAttachment{Attachment: a, Data: data}
		for _, r := range results {
			for _, id := range r.AttachmentIDs {
				if id == a.ID {
					ia.ResultIDs = append(ia.ResultIDs, r.ID)
				}
			}
		}
		out = append(out, ia)
	}
	return out, nil
}

// AllPatientIDs lists every patient on this workstation, for a practice
// export (each chart is then read, and audited, with PatientRecords).
func (s *Session) AllPatientIDs(ctx context.Context) ([]chart.PatientID, error) {
	var out []chart.PatientID
	err := s.guarded("list patients", "", func() error {
		if err := s.mayImportExport(chart.ActReadClinical); err != nil {
			return err
		}
		rows, err := s.w.db.QueryContext(ctx, `SELECT id FROM records WHERE kind = ? ORDER BY id`, kindPatient)
		if err != nil {
			return fmt.Errorf("list patients: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return fmt.Errorf("list patients: %w", err)
			}
			if sum, ok := s.index.Lookup(chart.PatientID(id)); ok && sum.MergedInto != "" {
				continue // retired by a merge: its records go out with the survivor
			}
			out = append(out, chart.PatientID(id))
		}
		return rows.Err()
	})
	return out, err
}
