package chart

import "context"

// ReviewItem is one line of the results review inbox: a result no one has
// acknowledged yet, with the patient it belongs to.
type ReviewItem struct {
	Result  Result         `json:"result"`
	Patient PatientSummary `json:"patient"`
}

// ReviewService is the practice-wide results review inbox: results
// entered here and results from outside (a lab's file, an import), oldest
// first, until a clinician acknowledges them in the chart.
type ReviewService interface {
	ReviewInbox(ctx context.Context) ([]ReviewItem, error)
}
