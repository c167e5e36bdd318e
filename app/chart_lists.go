package app

import (
	"context"

	"outpost/chart"
)

// SaveProblem creates or updates a problem-list entry.
func (c *Chart) SaveProblem(p chart.Problem) (chart.Problem, error) {
	return with(c.a, p, cs.SaveProblem)
}

// Problems lists a patient's problems.
func (c *Chart) Problems(patientID string) ([]chart.Problem, error) {
	return list(onPatient(c.a, patientID, cs.Problems))
}

// SaveAllergy creates or updates an allergy.
func (c *Chart) SaveAllergy(al chart.Allergy) (chart.Allergy, error) {
	return with(c.a, al, cs.SaveAllergy)
}

// Allergies lists a patient's allergies.
func (c *Chart) Allergies(patientID string) ([]chart.Allergy, error) {
	return list(onPatient(c.a, patientID, cs.Allergies))
}

// SetChartFlags records "no known allergies" / "no known problems".
func (c *Chart) SetChartFlags(f chart.ChartFlags) (chart.ChartFlags, error) {
	return with(c.a, f, cs.SetChartFlags)
}

// CheckMedication runs the safety checks without saving.
func (c *Chart) CheckMedication(m chart.Medication) ([]chart.SafetyAlert, error) {
	return list(with(c.a, m, cs.CheckMedication))
}

// SaveMedication saves a medication; overrideReason is required when the
// safety checks alert.
func (c *Chart) SaveMedication(m chart.Medication, overrideReason string) (chart.Medication, error) {
	return with(c.a, m, func(s cs, ctx context.Context, m chart.Medication) (chart.Medication, error) {
		return s.SaveMedication(ctx, m, overrideReason)
	})
}

// Medications lists a patient's medications.
func (c *Chart) Medications(patientID string) ([]chart.Medication, error) {
	return list(onPatient(c.a, patientID, cs.Medications))
}

// RecordVitals charts a set of vitals (encounterID may be "").
func (c *Chart) RecordVitals(patientID, encounterID, takenAt string, e chart.VitalsEntry) (chart.VitalsRecord, error) {
	return onPatient(c.a, patientID, func(s cs, ctx context.Context, pid chart.PatientID) (chart.VitalsRecord, error) {
		var enc chart.RecordID
		if encounterID != "" {
			var err error
			if enc, err = recordID(encounterID); err != nil {
				return chart.VitalsRecord{}, err
			}
		}
		return s.RecordVitals(ctx, pid, enc, takenAt, e)
	})
}

// Vitals lists a patient's vitals, oldest first.
func (c *Chart) Vitals(patientID string) ([]chart.VitalsRecord, error) {
	return list(onPatient(c.a, patientID, cs.Vitals))
}

// PracticeUnits returns the practice's display units.
func (c *Chart) PracticeUnits() (chart.PracticeUnits, error) {
	return get(c.a, cs.PracticeUnits)
}

// SetPracticeUnits changes the practice's display units.
func (c *Chart) SetPracticeUnits(u chart.PracticeUnits) (chart.PracticeUnits, error) {
	return with(c.a, u, cs.SetPracticeUnits)
}

// SaveResult creates or updates a lab result.
func (c *Chart) SaveResult(r chart.Result) (chart.Result, error) {
	return with(c.a, r, cs.SaveResult)
}

// Results lists a patient's results.
func (c *Chart) Results(patientID string) ([]chart.Result, error) {
	return list(onPatient(c.a, patientID, cs.Results))
}

// AcknowledgeResult marks a result reviewed.
func (c *Chart) AcknowledgeResult(id string) (chart.Result, error) {
	return onRecord(c.a, id, cs.AcknowledgeResult)
}

// ResultsToReview lists unacknowledged results across the practice.
func (c *Chart) ResultsToReview() ([]chart.Result, error) {
	return list(get(c.a, cs.ResultsToReview))
}

// AttachToResult seals a scanned report onto a result. data arrives from
// JavaScript as base64 (Wails encodes []byte that way).
func (c *Chart) AttachToResult(resultID, fileName, mediaType string, data []byte) (chart.Attachment, error) {
	return onRecord(c.a, resultID, func(s cs, ctx context.Context, rid chart.RecordID) (chart.Attachment, error) {
		return s.AttachToResult(ctx, rid, fileName, mediaType, data)
	})
}

// AttachmentFile is an attachment with its bytes, for viewing.
type AttachmentFile struct {
	Attachment chart.Attachment `json:"attachment"`
	Data       []byte           `json:"data"` // base64 in JSON
}

// Attachment returns an attachment's bytes.
func (c *Chart) Attachment(id string) (AttachmentFile, error) {
	return onRecord(c.a, id, func(s cs, ctx context.Context, rid chart.RecordID) (res AttachmentFile, err error) {
		res.Attachment, res.Data, err = s.AttachmentData(ctx, rid)
		return res, err
	})
}

// SaveImmunization records an immunization (given, historical or refused).
func (c *Chart) SaveImmunization(im chart.Immunization) (chart.Immunization, error) {
	return with(c.a, im, cs.SaveImmunization)
}

// Immunizations lists a patient's immunizations.
func (c *Chart) Immunizations(patientID string) ([]chart.Immunization, error) {
	return list(onPatient(c.a, patientID, cs.Immunizations))
}

// MarkEnteredInError retracts a record with a reason.
func (c *Chart) MarkEnteredInError(kind, id, reason string) error {
	return errOnly(onRecord(c.a, id, func(s cs, ctx context.Context, rid chart.RecordID) (done, error) {
		return noResult(s.MarkEnteredInError(ctx, kind, rid, reason))
	}))
}

// RecordHistory lists every version of a clinical record.
func (c *Chart) RecordHistory(kind, id string) ([]chart.RecordVersion, error) {
	return list(onRecord(c.a, id, func(s cs, ctx context.Context, rid chart.RecordID) ([]chart.RecordVersion, error) {
		return s.RecordHistory(ctx, kind, rid)
	}))
}

// ReviewInbox lists the practice's results to review with their patients.
func (c *Chart) ReviewInbox() ([]chart.ReviewItem, error) {
	return list(get(c.a, chart.ReviewService.ReviewInbox))
}
