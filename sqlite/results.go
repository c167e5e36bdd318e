package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"outpost/chart"
)

var resultSpec = saveSpec[chart.Result, *chart.Result]{kind: chart.KindResult,
	validate: (*chart.Result).Validate, complete: completeResult}

// completeResult keeps what only the store sets: the review and the
// attachments. A result awaits review until someone acknowledges it.
func completeResult(ctx context.Context, _ *Session, t *tx, r, old *chart.Result) (rowFlags, string, error) {
	if r.EncounterID != "" {
		if err := requireEncounter(ctx, t, r.EncounterID, r.PatientID); err != nil {
			return rowFlags{}, "", err
		}
	}
	r.ReviewedBy, r.ReviewedName, r.ReviewedAt, r.AttachmentIDs = "", "", nil, nil
	if old != nil {
		r.ReviewedBy, r.ReviewedName, r.ReviewedAt, r.AttachmentIDs = old.ReviewedBy, old.ReviewedName, old.ReviewedAt, old.AttachmentIDs
	}
	if r.AttachmentIDs == nil {
		r.AttachmentIDs = []chart.RecordID{}
	}
	return rowFlags{toReview: r.ReviewedAt == nil}, "", nil
}

// SaveResult creates or edits a hand-entered lab result.
func (s *Session) SaveResult(ctx context.Context, r chart.Result) (chart.Result, error) {
	return resultSpec.save(ctx, s, r)
}

// Results lists a patient's results, oldest first.
func (s *Session) Results(ctx context.Context, id chart.PatientID) ([]chart.Result, error) {
	return listFor[chart.Result](ctx, s, id, chart.KindResult)
}

// AcknowledgeResult marks a result reviewed by the signed-in clinician or
// nurse. Acknowledging it again changes nothing.
func (s *Session) AcknowledgeResult(ctx context.Context, id chart.RecordID) (chart.Result, error) {
	var r chart.Result
	err := s.guarded("acknowledge result", chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error {
			row, err := loadClinicalRow(ctx, t, chart.KindResult, id)
			if err != nil {
				return err
			}
			if r, err = openClinical[chart.Result](s.key, row); err != nil {
				return err
			}
			if r.EnteredInError != nil {
				return errRetracted(chart.KindResult)
			}
			if r.ReviewedAt != nil {
				return nil
			}
			at := t.now
			r.ReviewedBy, r.ReviewedName, r.ReviewedAt = s.user.ID, s.user.FullName, &at
			r.Version, r.UpdatedAt, r.UpdatedBy = row.version+1, t.now, s.user.ID
			if err := s.storeRecord(ctx, t, chart.KindResult, &r.Meta, &r, []chart.ChangeID{row.head}, rowFlags{}); err != nil {
				return err
			}
			return s.audit(ctx, t, recordAudit(chart.AuditUpdate, chart.KindResult, &r.Meta, "acknowledged result"))
		})
	})
	if err != nil {
		return chart.Result{}, err
	}
	return r, nil
}

// pendingResults opens the results awaiting review, of one patient or
// (patient "") of all; the clear to_review bit finds them without opening
// every result. One that does not open is its placeholder.
func pendingResults(ctx context.Context, q queryer, s *Session, patient chart.PatientID) ([]chart.Result, error) {
	query := `SELECT ` + clinicalColumns + ` FROM records WHERE to_review = 1 AND kind = ?`
	args := []any{chart.KindResult}
	if patient != "" {
		cond, ids := s.chartOf(patient).where("patient_id")
		query += ` AND ` + cond
		args = append(args, ids...)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("results to review: %w", err)
	}
	defer rows.Close()
	out := []chart.Result{}
	open := func(r clinicalRow) (chart.Result, error) { return openClinical[chart.Result](s.key, r) }
	for rows.Next() {
		row, err := scanClinical(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("results to review: %w", err)
		}
		r, err := openListed(row, open)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("results to review: %w", err)
	}
	sortOldestFirst(out)
	return out, nil
}

// sortOldestFirst orders results by when they were collected (or, failing
// that, resulted), then by when they were entered.
func sortOldestFirst(rs []chart.Result) {
	when := func(r *chart.Result) string {
		return cmp.Or(r.CollectedAt, r.ResultedAt, r.CreatedAt.Format(chart.LocalDateTimeLayout))
	}
	slices.SortStableFunc(rs, func(a, b chart.Result) int { return cmp.Compare(when(&a), when(&b)) })
}

// ResultsToReview lists unacknowledged results of every patient, oldest
// first. Each patient whose results are shown gets a chart-read audit entry.
func (s *Session) ResultsToReview(ctx context.Context) ([]chart.Result, error) {
	var out []chart.Result
	err := s.guarded("results to review", chart.ActReadClinical, func() error {
		var err error
		if out, err = pendingResults(ctx, s.w.db, s, ""); err != nil {
			return err
		}
		byPatient := map[chart.PatientID][]chart.Result{}
		var order []chart.PatientID
		for _, r := range out {
			if len(byPatient[r.PatientID]) == 0 {
				order = append(order, r.PatientID)
			}
			byPatient[r.PatientID] = append(byPatient[r.PatientID], r)
		}
		return s.w.write(ctx, func(t *tx) error {
			for _, p := range order {
				rs := byPatient[p]
				if err := s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: p, RecordKind: chart.KindResult,
					Detail: fmt.Sprintf("listed results to review: %d%s", len(rs), damagedDetail(damagedIDs(rs)))}); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return out, err
}
