package app

import (
	"context"

	"outpost/chart"
)

// Chart is bound to the frontend: the clinical chart of one patient.
// Every method is a thin call into chart.ChartService, which checks roles,
// seals, versions and audits.
type Chart struct{ a *App }

// cs names the chart service in method expressions below.
type cs = chart.ChartService

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
func (c *Chart) Summary(patientID string) (chart.ChartSummary, error) {
	return onPatient(c.a, patientID, cs.ChartSummary)
}

// SaveEncounter creates or updates an encounter.
func (c *Chart) SaveEncounter(e chart.Encounter) (chart.Encounter, error) {
	return with(c.a, e, cs.SaveEncounter)
}

// Encounters lists a patient's encounters.
func (c *Chart) Encounters(patientID string) ([]chart.Encounter, error) {
	return list(onPatient(c.a, patientID, cs.Encounters))
}

// Templates lists note templates.
func (c *Chart) Templates() ([]chart.Template, error) {
	return list(get(c.a, cs.Templates))
}

// SaveTemplate adds or edits a practice template.
func (c *Chart) SaveTemplate(t chart.Template) (chart.Template, error) {
	return with(c.a, t, cs.SaveTemplate)
}

// SaveNoteDraft autosaves a draft note.
func (c *Chart) SaveNoteDraft(n chart.Note) (chart.Note, error) {
	return with(c.a, n, cs.SaveNoteDraft)
}

// SignNote signs a draft note at the given version.
func (c *Chart) SignNote(id string, version int64) (chart.Note, error) {
	return onRecord(c.a, id, func(s cs, ctx context.Context, rid chart.RecordID) (chart.Note, error) {
		return s.SignNote(ctx, rid, version)
	})
}

// StartAddendum creates a draft addendum to a signed note.
func (c *Chart) StartAddendum(noteID string) (chart.Note, error) {
	return onRecord(c.a, noteID, cs.StartAddendum)
}

// Note returns one note.
func (c *Chart) Note(id string) (chart.Note, error) {
	return onRecord(c.a, id, cs.Note)
}

// Notes lists a patient's notes.
func (c *Chart) Notes(patientID string) ([]chart.Note, error) {
	return list(onPatient(c.a, patientID, cs.Notes))
}
