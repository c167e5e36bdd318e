package chart

import (
	"context"
	"strings"
	"time"
)

// VisitService is what a visit needs beyond the record lists of
// ChartService: adding a diagnosis to the problem list, pulling the chart
// into a note, renewing, stopping and reconciling medications, the history
// records (family, social, pregnancy), and the day's patients. Like
// ChartService it checks roles (front desk never reads or writes clinical
// content), versions and audits everything.
type VisitService interface {
	// ProblemFromDiagnosis puts a diagnosis of an encounter on the problem
	// list, or returns the active problem that already has it.
	ProblemFromDiagnosis(ctx context.Context, d DiagnosisToProblem) (DiagnosisProblem, error)
	// ChartText fills the placeholders of each text from the chart as it is
	// now (audited as a chart read).
	ChartText(ctx context.Context, r ChartTextRequest) ([]string, error)

	// RenewMedication prescribes a medication again: a new record linked
	// to the previous one, which is marked renewed (completed).
	RenewMedication(ctx context.Context, r MedicationRenewal) (Medication, error)
	// StopMedication stops an active medication on a date, with a reason.
	StopMedication(ctx context.Context, s MedicationStop) (Medication, error)
	// ReconcileMedications records a review of the medication list with
	// the patient: each one kept (reviewed), changed or stopped.
	ReconcileMedications(ctx context.Context, r MedicationReconciliation) ([]Medication, error)

	SaveFamilyHistory(ctx context.Context, f FamilyHistory) (FamilyHistory, error)
	FamilyHistories(ctx context.Context, id PatientID) ([]FamilyHistory, error)
	SaveSocialHistory(ctx context.Context, h SocialHistory) (SocialHistory, error)
	SocialHistories(ctx context.Context, id PatientID) ([]SocialHistory, error)
	SavePregnancyStatus(ctx context.Context, p PregnancyStatus) (PregnancyStatus, error)
	PregnancyStatuses(ctx context.Context, id PatientID) ([]PregnancyStatus, error)

	// TodaysPatients lists the patients of today: those with a visit dated
	// today and those whose chart this user opened today.
	TodaysPatients(ctx context.Context) ([]TodayPatient, error)
}

// ClosesEncounter reports whether a note closes the visit it belongs to:
// once the visit's own note is signed, the encounter is part of what was
// signed, and corrections go through an addendum. A nursing note does not
// close it (the clinician may still add the diagnoses), nor does an
// addendum. kind "" (a note summary written before kinds were kept) counts
// as clinical: when unsure, keep what may have been signed unchanged.
func ClosesEncounter(kind NoteKind, signed, addendum bool) bool {
	return signed && !addendum && kind != NoteNursing
}

// OpenEncounter is the visit charting defaults to: the latest encounter
// dated today (local time) that is not closed (ClosesEncounter) nor
// entered in error; nil when there is none.
func OpenEncounter(encounters []Encounter, closed map[RecordID]bool, now time.Time) *Encounter {
	today := now.In(time.Local).Format(time.DateOnly)
	var open *Encounter
	for i := range encounters {
		e := &encounters[i]
		if e.IsDamaged() || e.EnteredInError != nil || closed[e.ID] || !strings.HasPrefix(e.Start, today) {
			continue
		}
		if open == nil || e.Start > open.Start {
			open = e
		}
	}
	return open
}

// DiagnosisToProblem asks to put one diagnosis of an encounter on the
// problem list.
type DiagnosisToProblem struct {
	EncounterID RecordID `json:"encounterId"`
	Diagnosis   Coded    `json:"diagnosis"`
}

// DiagnosisProblem is the problem that holds the diagnosis; Existing when
// it was already on the list (nothing was added).
type DiagnosisProblem struct {
	Problem  Problem `json:"problem"`
	Existing bool    `json:"existing"`
}

// SameCondition reports whether two coded conditions are the same: the
// same code of the same system, or, for free text, the same words.
func SameCondition(a, b Coded) bool {
	if a.Code != "" || b.Code != "" {
		return a.System == b.System && strings.EqualFold(a.Code, b.Code)
	}
	return strings.EqualFold(strings.Join(strings.Fields(a.Display), " "), strings.Join(strings.Fields(b.Display), " "))
}

// ChartTextRequest asks for texts with their placeholders filled in, for a
// note of PatientID at EncounterID ("" for the open encounter, if any).
type ChartTextRequest struct {
	PatientID   PatientID `json:"patientId"`
	EncounterID RecordID  `json:"encounterId"`
	Texts       []string  `json:"texts"`
}

// MaxChartTexts bounds one ChartText request (a template's sections).
const MaxChartTexts = MaxNoteSections

// Validate checks the request's shape.
func (r *ChartTextRequest) Validate() error {
	if len(r.Texts) > MaxChartTexts {
		return FieldError("texts", "At most %d texts can be filled in at once.", MaxChartTexts)
	}
	for _, t := range r.Texts {
		if len([]rune(t)) > MaxNoteSectionLen {
			return FieldError("texts", "A text to fill in is longer than a note section may be.")
		}
	}
	if r.EncounterID != "" && !ValidID(string(r.EncounterID)) {
		return FieldError("encounterId", "Choose the visit from the list.")
	}
	return nil
}

// TodayPatient is one line of the home screen.
type TodayPatient struct {
	Patient PatientSummary `json:"patient"`
	// Visits are today's encounters (empty for roles without clinical
	// access, who see only the charts they opened).
	Visits []TodayVisit `json:"visits"`
	// OpenedAt is when this user last opened the chart today, if they did.
	OpenedAt *time.Time `json:"openedAt,omitempty"`
}

// TodayVisit is an encounter dated today.
type TodayVisit struct {
	EncounterID   RecordID      `json:"encounterId"`
	Start         string        `json:"start"`
	Type          EncounterType `json:"type"`
	Reason        string        `json:"reason"`
	ClinicianName string        `json:"clinicianName"`
	// Signed: the visit's note is signed (ClosesEncounter).
	Signed bool `json:"signed"`
}

// validateEncounterLink checks the form of a record's link to a visit (the
// store checks that the visit exists in the same chart).
func validateEncounterLink(id RecordID) error {
	if id != "" && !ValidID(string(id)) {
		return FieldError("encounterId", "Choose the visit from the list.")
	}
	return nil
}
