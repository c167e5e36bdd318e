package app

import (
	"context"

	"outpost/chart"
)

// The motions of a visit (chart.VisitService): editing what a visit links
// to, filling a note from the chart, renewing, stopping and reconciling
// medications, the history records and the day's patients.

// vs names the visit service in method expressions below.
type vs = chart.VisitService

// ProblemFromDiagnosis puts a diagnosis of an encounter on the problem list
// (or returns the active problem that has it).
func (c *Chart) ProblemFromDiagnosis(d chart.DiagnosisToProblem) (chart.DiagnosisProblem, error) {
	return with(c.a, d, vs.ProblemFromDiagnosis)
}

// ChartText fills placeholders such as {{vitals}} from the chart as it is now.
func (c *Chart) ChartText(r chart.ChartTextRequest) ([]string, error) {
	return list(with(c.a, r, vs.ChartText))
}

// RenewMedication prescribes a medication again, linked to the previous one.
func (c *Chart) RenewMedication(r chart.MedicationRenewal) (chart.Medication, error) {
	return with(c.a, r, vs.RenewMedication)
}

// StopMedication stops a medication on a date with a reason.
func (c *Chart) StopMedication(st chart.MedicationStop) (chart.Medication, error) {
	return with(c.a, st, vs.StopMedication)
}

// ReconcileMedications records a review of the medication list with the patient.
func (c *Chart) ReconcileMedications(r chart.MedicationReconciliation) ([]chart.Medication, error) {
	return list(with(c.a, r, vs.ReconcileMedications))
}

// SaveFamilyHistory creates or edits a family history entry.
func (c *Chart) SaveFamilyHistory(f chart.FamilyHistory) (chart.FamilyHistory, error) {
	return with(c.a, f, vs.SaveFamilyHistory)
}

// FamilyHistories lists a patient's family history.
func (c *Chart) FamilyHistories(patientID string) ([]chart.FamilyHistory, error) {
	return list(onPatient(c.a, patientID, vs.FamilyHistories))
}

// SaveSocialHistory records smoking, alcohol and occupation as of a date.
func (c *Chart) SaveSocialHistory(h chart.SocialHistory) (chart.SocialHistory, error) {
	return with(c.a, h, vs.SaveSocialHistory)
}

// SocialHistories lists a patient's social history entries.
func (c *Chart) SocialHistories(patientID string) ([]chart.SocialHistory, error) {
	return list(onPatient(c.a, patientID, vs.SocialHistories))
}

// SavePregnancyStatus records a pregnancy status.
func (c *Chart) SavePregnancyStatus(p chart.PregnancyStatus) (chart.PregnancyStatus, error) {
	return with(c.a, p, vs.SavePregnancyStatus)
}

// PregnancyStatuses lists a patient's pregnancy statuses.
func (c *Chart) PregnancyStatuses(patientID string) ([]chart.PregnancyStatus, error) {
	return list(onPatient(c.a, patientID, vs.PregnancyStatuses))
}

// TodaysPatients lists today's patients for the home screen.
func (c *Chart) TodaysPatients() ([]chart.TodayPatient, error) {
	return list(get(c.a, vs.TodaysPatients))
}

// ChartingChoices are the fixed lists the chart's forms offer.
type ChartingChoices struct {
	SmokingStatuses []chart.Coded          `json:"smokingStatuses"`
	FamilyRelations []chart.FamilyRelation `json:"familyRelations"`
	Placeholders    []chart.Placeholder    `json:"placeholders"`
}

// Choices returns the smoking statuses (SNOMED CT), family relations and
// note placeholders, so the forms and the Templates screen show exactly
// what the backend accepts.
func (c *Chart) Choices() (ChartingChoices, error) {
	return call(c.a, func(context.Context, chart.Session) (ChartingChoices, error) {
		return ChartingChoices{SmokingStatuses: chart.SmokingStatuses, FamilyRelations: chart.FamilyRelations,
			Placeholders: chart.Placeholders}, nil
	})
}
