package sqlite

import (
	"context"

	"outpost/chart"
)

// ReviewInbox lists the results to review with their patients (from the
// sign-in index: naming them opens no chart). Audited as ResultsToReview
// is, a chart read per patient listed.
func (s *Session) ReviewInbox(ctx context.Context) ([]chart.ReviewItem, error) {
	results, err := s.ResultsToReview(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]chart.ReviewItem, 0, len(results))
	err = s.guarded("results to review", chart.ActReadClinical, func() error {
		for _, r := range results {
			sum, ok := s.index.Lookup(r.PatientID)
			if !ok {
				sum = chart.PatientSummary{ID: r.PatientID} // its record does not open here
			}
			out = append(out, chart.ReviewItem{Result: r, Patient: sum})
		}
		return nil
	})
	return out, err
}
