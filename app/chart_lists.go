package app

import (
	"outpost/chart"
)

// SaveProblem creates or updates a problem-list entry.
func (c *Chart) SaveProblem(p chart.Problem) (res chart.Problem, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SaveProblem(c.a.ctx, p)
}

// Problems lists a patient's problems.
func (c *Chart) Problems(patientID string) (res []chart.Problem, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return nil, err
	}
	res, err = cs.Problems(c.a.ctx, pid)
	return nonNil(res), err
}

// SaveAllergy creates or updates an allergy.
func (c *Chart) SaveAllergy(al chart.Allergy) (res chart.Allergy, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SaveAllergy(c.a.ctx, al)
}

// Allergies lists a patient's allergies.
func (c *Chart) Allergies(patientID string) (res []chart.Allergy, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return nil, err
	}
	res, err = cs.Allergies(c.a.ctx, pid)
	return nonNil(res), err
}

// SetChartFlags records "no known allergies" / "no known problems".
func (c *Chart) SetChartFlags(f chart.ChartFlags) (res chart.ChartFlags, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SetChartFlags(c.a.ctx, f)
}

// CheckMedication runs the safety checks without saving.
func (c *Chart) CheckMedication(m chart.Medication) (res []chart.SafetyAlert, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return nil, err
	}
	res, err = cs.CheckMedication(c.a.ctx, m)
	return nonNil(res), err
}

// SaveMedication saves a medication; overrideReason is required when the
// safety checks alert.
func (c *Chart) SaveMedication(m chart.Medication, overrideReason string) (res chart.Medication, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SaveMedication(c.a.ctx, m, overrideReason)
}

// Medications lists a patient's medications.
func (c *Chart) Medications(patientID string) (res []chart.Medication, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return nil, err
	}
	res, err = cs.Medications(c.a.ctx, pid)
	return nonNil(res), err
}

// RecordVitals charts a set of vitals.
func (c *Chart) RecordVitals(patientID, encounterID, takenAt string, e chart.VitalsEntry) (res chart.VitalsRecord, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return res, err
	}
	var enc chart.RecordID
	if encounterID != "" {
		if enc, err = recordID(encounterID); err != nil {
			return res, err
		}
	}
	return cs.RecordVitals(c.a.ctx, pid, enc, takenAt, e)
}

// Vitals lists a patient's vitals, oldest first.
func (c *Chart) Vitals(patientID string) (res []chart.VitalsRecord, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return nil, err
	}
	res, err = cs.Vitals(c.a.ctx, pid)
	return nonNil(res), err
}

// PracticeUnits returns the practice's display units.
func (c *Chart) PracticeUnits() (res chart.PracticeUnits, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.PracticeUnits(c.a.ctx)
}

// SetPracticeUnits changes the practice's display units.
func (c *Chart) SetPracticeUnits(u chart.PracticeUnits) (res chart.PracticeUnits, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SetPracticeUnits(c.a.ctx, u)
}

// SaveResult creates or updates a lab result.
func (c *Chart) SaveResult(r chart.Result) (res chart.Result, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SaveResult(c.a.ctx, r)
}

// Results lists a patient's results.
func (c *Chart) Results(patientID string) (res []chart.Result, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return nil, err
	}
	res, err = cs.Results(c.a.ctx, pid)
	return nonNil(res), err
}

// AcknowledgeResult marks a result reviewed.
func (c *Chart) AcknowledgeResult(id string) (res chart.Result, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, rid, err := c.withRecord(id)
	if err != nil {
		return res, err
	}
	return cs.AcknowledgeResult(c.a.ctx, rid)
}

// ResultsToReview lists unacknowledged results across the practice.
func (c *Chart) ResultsToReview() (res []chart.Result, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return nil, err
	}
	res, err = cs.ResultsToReview(c.a.ctx)
	return nonNil(res), err
}

// AttachToResult seals a scanned report onto a result. data arrives from
// JavaScript as base64 (Wails encodes []byte that way).
func (c *Chart) AttachToResult(resultID, fileName, mediaType string, data []byte) (res chart.Attachment, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, rid, err := c.withRecord(resultID)
	if err != nil {
		return res, err
	}
	return cs.AttachToResult(c.a.ctx, rid, fileName, mediaType, data)
}

// AttachmentFile is an attachment with its bytes, for viewing.
type AttachmentFile struct {
	Attachment chart.Attachment `json:"attachment"`
	Data       []byte           `json:"data"` // base64 in JSON
}

// Attachment returns an attachment's bytes.
func (c *Chart) Attachment(id string) (res AttachmentFile, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, rid, err := c.withRecord(id)
	if err != nil {
		return res, err
	}
	res.Attachment, res.Data, err = cs.AttachmentData(c.a.ctx, rid)
	return res, err
}

// SaveImmunization records an immunization (given, historical or refused).
func (c *Chart) SaveImmunization(im chart.Immunization) (res chart.Immunization, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SaveImmunization(c.a.ctx, im)
}

// Immunizations lists a patient's immunizations.
func (c *Chart) Immunizations(patientID string) (res []chart.Immunization, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return nil, err
	}
	res, err = cs.Immunizations(c.a.ctx, pid)
	return nonNil(res), err
}

// MarkEnteredInError retracts a record with a reason.
func (c *Chart) MarkEnteredInError(kind, id, reason string) (err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, rid, err := c.withRecord(id)
	if err != nil {
		return err
	}
	return cs.MarkEnteredInError(c.a.ctx, kind, rid, reason)
}

// RecordHistory lists every version of a clinical record.
func (c *Chart) RecordHistory(kind, id string) (res []chart.RecordVersion, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, rid, err := c.withRecord(id)
	if err != nil {
		return nil, err
	}
	res, err = cs.RecordHistory(c.a.ctx, kind, rid)
	return nonNil(res), err
}
