package sqlite

import (
	"context"

	"outpost/chart"
)

// The history records: family history, social history and pregnancy
// status. Each is an ordinary clinical record (sealed, versioned, audited,
// synced and merged field by field); social history and pregnancy status
// are dated, and the chart shows the latest (chart.LatestSocialHistory).

var (
	familyHistorySpec = saveSpec[chart.FamilyHistory, *chart.FamilyHistory]{kind: chart.KindFamily,
		validate: (*chart.FamilyHistory).Validate}
	socialHistorySpec = saveSpec[chart.SocialHistory, *chart.SocialHistory]{kind: chart.KindSocial,
		validate: (*chart.SocialHistory).Validate}
	pregnancySpec = saveSpec[chart.PregnancyStatus, *chart.PregnancyStatus]{kind: chart.KindPregnancy,
		validate: (*chart.PregnancyStatus).Validate}
)

// SaveFamilyHistory creates or edits a family history entry.
func (s *Session) SaveFamilyHistory(ctx context.Context, f chart.FamilyHistory) (chart.FamilyHistory, error) {
	return familyHistorySpec.save(ctx, s, f)
}

// FamilyHistories lists a patient's family history, oldest first.
func (s *Session) FamilyHistories(ctx context.Context, id chart.PatientID) ([]chart.FamilyHistory, error) {
	return listFor[chart.FamilyHistory](ctx, s, id, chart.KindFamily)
}

// SaveSocialHistory records (or corrects) what the patient said about
// smoking and alcohol on a date.
func (s *Session) SaveSocialHistory(ctx context.Context, h chart.SocialHistory) (chart.SocialHistory, error) {
	return socialHistorySpec.save(ctx, s, h)
}

// SocialHistories lists a patient's social history entries, oldest first.
func (s *Session) SocialHistories(ctx context.Context, id chart.PatientID) ([]chart.SocialHistory, error) {
	return listFor[chart.SocialHistory](ctx, s, id, chart.KindSocial)
}

// SavePregnancyStatus records (or corrects) a pregnancy status.
func (s *Session) SavePregnancyStatus(ctx context.Context, p chart.PregnancyStatus) (chart.PregnancyStatus, error) {
	return pregnancySpec.save(ctx, s, p)
}

// PregnancyStatuses lists a patient's pregnancy statuses, oldest first.
func (s *Session) PregnancyStatuses(ctx context.Context, id chart.PatientID) ([]chart.PregnancyStatus, error) {
	return listFor[chart.PregnancyStatus](ctx, s, id, chart.KindPregnancy)
}
