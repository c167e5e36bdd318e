package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"outpost/chart"
)

// Merging two records of the same person (chart/patient_merge.go): the
// retired record gets a pointer to the survivor, as one more demographic
// version, so the merge syncs and merges field by field like any edit,
// and undoing it is one more version that clears the pointer. No clinical
// record is rewritten: the survivor's chart reads the records of every
// patient merged into it (chartOf).

// chartIDs are the patients whose records make one chart: the survivor
// first, then those merged into it.
type chartIDs []chart.PatientID

// where is the SQL condition on column for these patients, and its args.
func (c chartIDs) where(column string) (string, []any) {
	args := make([]any, len(c))
	for i, id := range c {
		args[i] = string(id)
	}
	if len(c) == 1 {
		return column + ` = ?`, args
	}
	return column + ` IN (?` + strings.Repeat(`, ?`, len(c)-1) + `)`, args
}

// chartOf is patient id and every patient merged into it, directly or
// through a merged patient, as the index knows them (built from every
// patient record at sign-in, updated on every save and pull). A cycle
// (two workstations each merged one into the other offline) ends where it
// meets a patient already listed.
func (s *Session) chartOf(id chart.PatientID) chartIDs {
	out := chartIDs{id}
	seen := map[chart.PatientID]bool{id: true}
	for i := 0; i < len(out); i++ {
		for _, m := range s.index.MergedInto(out[i]) {
			if !seen[m.ID] {
				seen[m.ID] = true
				out = append(out, m.ID)
			}
		}
	}
	return out
}

// PreviewMerge shows an administrator the two patients before retired is
// merged into survivor: their demographics, how many records each holds,
// and why they may be the same person. Audited as a read of both.
func (s *Session) PreviewMerge(ctx context.Context, survivor, retired chart.PatientID) (chart.MergePreview, error) {
	var out chart.MergePreview
	err := s.guarded("preview merge", chart.ActMergePatients, func() error {
		return s.w.write(ctx, func(t *tx) error {
			sv, err := s.mergeSide(ctx, t, survivor)
			if err != nil {
				return err
			}
			rt, err := s.mergeSide(ctx, t, retired)
			if err != nil {
				return err
			}
			if err := chart.CheckMerge(&sv.Patient, &rt.Patient); err != nil {
				return err
			}
			out = chart.MergePreview{Survivor: sv, Retired: rt, Reason: chart.DuplicateReason(&sv.Patient, &rt.Patient),
				Differences: chart.MergeDifferences(&sv.Patient, &rt.Patient)}
			for _, id := range []chart.PatientID{survivor, retired} {
				if err := s.audit(ctx, t, patientAudit(chart.AuditChartOpen, id, "previewed a merge of two patient records")); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return out, err
}

func (s *Session) mergeSide(ctx context.Context, t *tx, id chart.PatientID) (chart.MergeSide, error) {
	p, _, err := s.currentPatient(ctx, t, id)
	if err != nil {
		return chart.MergeSide{}, err
	}
	side := chart.MergeSide{Patient: p, MergedFrom: s.index.MergedInto(id)}
	cond, args := s.chartOf(id).where("patient_id")
	err = t.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE `+cond+` AND kind != ?`,
		append(args, kindPatient)...).Scan(&side.Records)
	if err != nil {
		return chart.MergeSide{}, fmt.Errorf("count records of patient %s: %w", id, err)
	}
	return side, nil
}

// MergePatients retires patient retired into survivor: from now on the
// survivor's chart shows both patients' records, the retired patient is
// out of every list (found with "show inactive", with its pointer), and
// the merge travels to the other workstations as a demographic edit.
// Returns the retired record.
func (s *Session) MergePatients(ctx context.Context, survivor, retired chart.PatientID) (chart.Patient, error) {
	return s.setMerged(ctx, retired, func(t *tx, p *chart.Patient) (string, string, error) {
		sv, _, err := s.currentPatient(ctx, t, survivor)
		if err != nil {
			return "", "", err
		}
		if err := chart.CheckMerge(&sv, p); err != nil {
			return "", "", err
		}
		p.Merged = &chart.PatientMerge{Into: survivor, At: t.now.UTC().Truncate(time.Second), By: s.user.ID}
		return fmt.Sprintf("merged this record into the chart of %s (MRN %s)", chart.PatientDisplayName(sv.Summary()), sv.MRN),
			fmt.Sprintf("merged the record of %s (MRN %s) into this chart", chart.PatientDisplayName(p.Summary()), p.MRN), nil
	})
}

// UndoMerge brings a retired patient back as a chart of its own: its
// records leave the survivor's chart (they never moved).
func (s *Session) UndoMerge(ctx context.Context, retired chart.PatientID) (chart.Patient, error) {
	return s.setMerged(ctx, retired, func(t *tx, p *chart.Patient) (string, string, error) {
		if p.Merged == nil {
			return "", "", chart.Errorf(chart.ECONFLICT, "%s is not merged into another chart: there is nothing to undo.",
				chart.PatientDisplayName(p.Summary()))
		}
		p.Merged = nil
		return "undid the merge of this record into another chart",
			fmt.Sprintf("undid the merge of %s (MRN %s) into this chart", chart.PatientDisplayName(p.Summary()), p.MRN), nil
	})
}

// setMerged writes the next version of the retired patient with its merge
// pointer changed by edit, and audits it on both charts. edit returns the
// audit details for the retired patient and for the survivor.
func (s *Session) setMerged(ctx context.Context, retired chart.PatientID,
	edit func(t *tx, p *chart.Patient) (string, string, error)) (chart.Patient, error) {
	var p chart.Patient
	err := s.guarded("merge patients", chart.ActMergePatients, func() error {
		return s.w.write(ctx, func(t *tx) error {
			var head chart.ChangeID
			var err error
			if p, head, err = s.currentPatient(ctx, t, retired); err != nil {
				return err
			}
			survivor := p.Merged
			onRetired, onSurvivor, err := edit(t, &p)
			if err != nil {
				return err
			}
			if survivor == nil {
				survivor = p.Merged
			}
			p.Version, p.UpdatedAt, p.UpdatedBy = p.Version+1, t.now, s.user.ID
			if err := s.savePatient(ctx, t, &p, []chart.ChangeID{head}, mrnTag(s.mrnKey, p.MRN)); err != nil {
				return err
			}
			if err := s.audit(ctx, t, patientAudit(chart.AuditUpdate, p.ID, onRetired)); err != nil {
				return err
			}
			return s.audit(ctx, t, patientAudit(chart.AuditUpdate, survivor.Into, onSurvivor))
		})
	})
	if err != nil {
		return chart.Patient{}, err
	}
	s.index.Put(p)
	return p, nil
}

// currentPatient opens patient id's current version and its head change.
func (s *Session) currentPatient(ctx context.Context, q queryer, id chart.PatientID) (chart.Patient, chart.ChangeID, error) {
	if !chart.ValidID(string(id)) {
		return chart.Patient{}, "", notFoundPatient()
	}
	row, err := loadRecord(ctx, q, kindPatient, string(id))
	if err != nil {
		return chart.Patient{}, "", err
	}
	p, err := openPatient(s.key, row.id, row.version, row.head, row.sealed)
	return p, row.head, err
}

var _ chart.PatientMerger = (*Session)(nil)
