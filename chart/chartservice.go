package chart

import "context"

// ChartService is the clinical chart of a patient. Every method checks the
// role (front desk never reads or writes clinical content), seals what it
// stores, versions every write, and audits every read and write. Records are
// never deleted: MarkEnteredInError retracts them with a reason.
//
// Save methods create a record when its ID is empty and otherwise store a new
// version; Meta.Version must then be the version the edit was based on
// (ECONFLICT otherwise).
type ChartService interface {
	// ChartSummary is what opening a patient shows (audited as a chart open).
	ChartSummary(ctx context.Context, id PatientID) (ChartSummary, error)

	SaveEncounter(ctx context.Context, e Encounter) (Encounter, error)
	Encounters(ctx context.Context, id PatientID) ([]Encounter, error)

	Templates(ctx context.Context) ([]Template, error)
	SaveTemplate(ctx context.Context, t Template) (Template, error)

	// SaveNoteDraft creates or updates a draft note (autosave). A signed
	// note is refused with ECONFLICT: corrections are addenda.
	SaveNoteDraft(ctx context.Context, n Note) (Note, error)
	// SignNote signs the draft at version; clinical notes need ActSignNote,
	// nursing notes ActSignNursingNote.
	SignNote(ctx context.Context, id RecordID, version int64) (Note, error)
	// StartAddendum creates a draft addendum linked to a signed note.
	StartAddendum(ctx context.Context, noteID RecordID) (Note, error)
	Note(ctx context.Context, id RecordID) (Note, error)
	Notes(ctx context.Context, id PatientID) ([]Note, error)

	SaveProblem(ctx context.Context, p Problem) (Problem, error)
	Problems(ctx context.Context, id PatientID) ([]Problem, error)
	SaveAllergy(ctx context.Context, a Allergy) (Allergy, error)
	Allergies(ctx context.Context, id PatientID) ([]Allergy, error)
	SetChartFlags(ctx context.Context, f ChartFlags) (ChartFlags, error)

	// CheckMedication runs the safety checks against the patient's allergies
	// and active medications, without saving.
	CheckMedication(ctx context.Context, m Medication) ([]SafetyAlert, error)
	// SaveMedication re-runs the checks; when they alert, overrideReason is
	// required (EINVALID on field "overrideReason" otherwise), and is stored
	// on the record and audited.
	SaveMedication(ctx context.Context, m Medication, overrideReason string) (Medication, error)
	Medications(ctx context.Context, id PatientID) ([]Medication, error)

	RecordVitals(ctx context.Context, id PatientID, encounter RecordID, takenAt string, e VitalsEntry) (VitalsRecord, error)
	Vitals(ctx context.Context, id PatientID) ([]VitalsRecord, error) // oldest first, for trends
	PracticeUnits(ctx context.Context) (PracticeUnits, error)
	SetPracticeUnits(ctx context.Context, u PracticeUnits) (PracticeUnits, error)

	SaveResult(ctx context.Context, r Result) (Result, error)
	Results(ctx context.Context, id PatientID) ([]Result, error)
	AcknowledgeResult(ctx context.Context, id RecordID) (Result, error)
	// ResultsToReview lists unacknowledged results across all patients.
	ResultsToReview(ctx context.Context) ([]Result, error)
	// AttachToResult seals a scanned report (PDF or image, at most 10 MiB).
	AttachToResult(ctx context.Context, result RecordID, fileName, mediaType string, data []byte) (Attachment, error)
	AttachmentData(ctx context.Context, id RecordID) (Attachment, []byte, error)

	SaveImmunization(ctx context.Context, im Immunization) (Immunization, error)
	Immunizations(ctx context.Context, id PatientID) ([]Immunization, error)

	// MarkEnteredInError retracts a record (never deletes it).
	MarkEnteredInError(ctx context.Context, kind string, id RecordID, reason string) error
	RecordHistory(ctx context.Context, kind string, id RecordID) ([]RecordVersion, error)
	// AuditExport records that something left the chart (a printout).
	AuditExport(ctx context.Context, id PatientID, what string) error
}
