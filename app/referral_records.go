package app

import (
	"context"

	"outpost/chart"
)

// referralRecords reads the patient's chart for a referral.
//
// PENDING: the store's Session.PatientRecords(ctx, id, purpose) (branch
// importstore) reads the same in one call; when it lands this function
// becomes that call. Until then it is assembled from the chart's reads,
// each audited as the session's reads are.
func referralRecords(ctx context.Context, s chart.Session, pid chart.PatientID) (chart.PatientRecords, error) {
	sum, err := s.ChartSummary(ctx, pid)
	if err != nil {
		return chart.PatientRecords{}, err
	}
	recs := chart.PatientRecords{Patient: sum.Patient, NoKnownAllergies: sum.AllergyStatus == chart.AllergiesNone}
	for _, read := range []func() error{
		func() (err error) { recs.Problems, err = s.Problems(ctx, pid); return },
		func() (err error) { recs.Allergies, err = s.Allergies(ctx, pid); return },
		func() (err error) { recs.Medications, err = s.Medications(ctx, pid); return },
		func() (err error) { recs.Vitals, err = s.Vitals(ctx, pid); return },
		func() (err error) { recs.Results, err = s.Results(ctx, pid); return },
		func() (err error) { recs.Immunizations, err = s.Immunizations(ctx, pid); return },
		func() (err error) { recs.Notes, err = s.Notes(ctx, pid); return },
	} {
		if err := read(); err != nil {
			return chart.PatientRecords{}, err
		}
	}
	return withUnreadableAllergyStatement(recs, sum.AllergyStatus), nil
}

// withUnreadableAllergyStatement keeps a chart whose "no known allergies"
// statement could not be opened from reading as "not asked": the records
// carry a placeholder, as for an allergy that could not be opened.
func withUnreadableAllergyStatement(recs chart.PatientRecords, status chart.AllergyStatus) chart.PatientRecords {
	if status != chart.AllergiesUnreadable || recs.AllergyStatus() == chart.AllergiesUnreadable {
		return recs
	}
	recs.Allergies = append(recs.Allergies, chart.Allergy{Meta: chart.Meta{PatientID: recs.Patient.ID,
		Damaged: "The chart's allergy statement could not be opened."}})
	return recs
}
