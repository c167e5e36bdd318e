package app

import (
	"outpost/chart"
)

// Chart is bound to the frontend: the clinical chart of one patient.
// Every method is a thin call into chart.ChartService, which checks roles,
// seals, versions and audits.
type Chart struct{ a *App }

// chartService returns the signed-in session's chart, counting the call as
// activity.
func (a *App) chartService() (chart.ChartService, error) {
	return a.current()
}

func recordID(s string) (chart.RecordID, error) {
	if !chart.ValidID(s) {
		return "", chart.Errorf(chart.EINVALID, "That chart link is not valid. Reopen the patient's chart.")
	}
	return chart.RecordID(s), nil
}

// Summary opens a patient's chart.
func (c *Chart) Summary(patientID string) (res chart.ChartSummary, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return res, err
	}
	return cs.ChartSummary(c.a.ctx, pid)
}

func (c *Chart) withPatient(id string) (chart.ChartService, chart.PatientID, error) {
	cs, err := c.a.chartService()
	if err != nil {
		return nil, "", err
	}
	pid, err := patientID(id)
	return cs, pid, err
}

func (c *Chart) withRecord(id string) (chart.ChartService, chart.RecordID, error) {
	cs, err := c.a.chartService()
	if err != nil {
		return nil, "", err
	}
	rid, err := recordID(id)
	return cs, rid, err
}

// SaveEncounter creates or updates an encounter.
func (c *Chart) SaveEncounter(e chart.Encounter) (res chart.Encounter, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SaveEncounter(c.a.ctx, e)
}

// Encounters lists a patient's encounters.
func (c *Chart) Encounters(patientID string) (res []chart.Encounter, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return nil, err
	}
	res, err = cs.Encounters(c.a.ctx, pid)
	return nonNil(res), err
}

// Templates lists note templates.
func (c *Chart) Templates() (res []chart.Template, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return nil, err
	}
	res, err = cs.Templates(c.a.ctx)
	return nonNil(res), err
}

// SaveTemplate adds or edits a practice template.
func (c *Chart) SaveTemplate(t chart.Template) (res chart.Template, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SaveTemplate(c.a.ctx, t)
}

// SaveNoteDraft autosaves a draft note.
func (c *Chart) SaveNoteDraft(n chart.Note) (res chart.Note, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, err := c.a.chartService()
	if err != nil {
		return res, err
	}
	return cs.SaveNoteDraft(c.a.ctx, n)
}

// SignNote signs a draft note at the given version.
func (c *Chart) SignNote(id string, version int64) (res chart.Note, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, rid, err := c.withRecord(id)
	if err != nil {
		return res, err
	}
	return cs.SignNote(c.a.ctx, rid, version)
}

// StartAddendum creates a draft addendum to a signed note.
func (c *Chart) StartAddendum(noteID string) (res chart.Note, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, rid, err := c.withRecord(noteID)
	if err != nil {
		return res, err
	}
	return cs.StartAddendum(c.a.ctx, rid)
}

// Note returns one note.
func (c *Chart) Note(id string) (res chart.Note, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, rid, err := c.withRecord(id)
	if err != nil {
		return res, err
	}
	return cs.Note(c.a.ctx, rid)
}

// Notes lists a patient's notes.
func (c *Chart) Notes(patientID string) (res []chart.Note, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	cs, pid, err := c.withPatient(patientID)
	if err != nil {
		return nil, err
	}
	res, err = cs.Notes(c.a.ctx, pid)
	return nonNil(res), err
}
