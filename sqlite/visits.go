package sqlite

import (
	"context"
	"strings"
	"time"

	"outpost/chart"
)

// The motions of a visit that are not one record's save: the rule that a
// signed note closes its encounter, putting a diagnosis on the problem
// list, and filling a note's placeholders from the chart.

var _ chart.VisitService = (*Session)(nil)

// refuseClosedEncounter refuses to change encounter id once its note is
// signed (chart.ClosesEncounter): the encounter is part of what was signed.
func (s *Session) refuseClosedEncounter(ctx context.Context, q queryer, id chart.RecordID, patient chart.PatientID) error {
	notes, err := listNoteHeaders(ctx, q, s.key, s.chartOf(patient))
	if err != nil {
		return err
	}
	n := closedEncounters(notes)[id]
	if n == nil {
		return nil
	}
	at := n.Signature.SignedAt.In(time.Local)
	return chart.Errorf(chart.ECONFLICT, "The note of this visit, “%s”, was signed by %s on %s, so the encounter can no "+
		"longer be changed. Correct it with an addendum to the note.", n.Title, n.Signature.SignerName,
		chart.ShortDate(at.Year(), int(at.Month()), at.Day()))
}

// ProblemFromDiagnosis puts a diagnosis of an encounter on the problem
// list, active, with the visit's date as onset; when an active problem
// already has it, that problem is returned and nothing is written.
func (s *Session) ProblemFromDiagnosis(ctx context.Context, d chart.DiagnosisToProblem) (chart.DiagnosisProblem, error) {
	var out chart.DiagnosisProblem
	err := s.guarded("problem from diagnosis", chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error {
			e, err := openCurrent[chart.Encounter](ctx, s, t, chart.KindEncounter, d.EncounterID)
			if err != nil {
				return err
			}
			dx, ok := encounterDiagnosis(&e, d.Diagnosis)
			if !ok {
				return chart.FieldError("diagnosis", "That diagnosis is not on this encounter; add it to the encounter first.")
			}
			problems, err := listRecords[chart.Problem](ctx, t, s.key, s.chartOf(e.PatientID), chart.KindProblem, false)
			if err != nil {
				return err
			}
			for _, p := range problems {
				if !p.IsDamaged() && p.Status == chart.ProblemActive && chart.SameCondition(p.Condition, dx) {
					out = chart.DiagnosisProblem{Problem: p, Existing: true}
					return s.audit(ctx, t, recordAudit(chart.AuditChartOpen, chart.KindProblem, &p.Meta,
						"viewed problem: the encounter's diagnosis is already on the problem list"))
				}
			}
			p := chart.Problem{Meta: chart.Meta{PatientID: e.PatientID}, Condition: dx, Status: chart.ProblemActive,
				Onset: e.Start[:len(time.DateOnly)], Comment: "Diagnosed at the visit of " + visitDate(e.Start) + "."}
			if err := problemSpec.saveIn(ctx, s, t, &p); err != nil {
				return err
			}
			out = chart.DiagnosisProblem{Problem: p}
			return nil
		})
	})
	return out, err
}

// encounterDiagnosis finds dx among e's diagnoses (as recorded there).
func encounterDiagnosis(e *chart.Encounter, dx chart.Coded) (chart.Coded, bool) {
	for _, d := range e.Diagnoses {
		if chart.SameCondition(d, dx) {
			return d, true
		}
	}
	return chart.Coded{}, false
}

// openCurrent opens the current version of record id of kind, refusing a
// retracted one.
func openCurrent[T any, P recordPtr[T]](ctx context.Context, s *Session, q queryer, kind string, id chart.RecordID) (T, error) {
	row, err := loadClinicalRow(ctx, q, kind, id)
	if err != nil {
		var zero T
		return zero, err
	}
	rec, err := openClinical[T, P](s.key, row)
	if err == nil && P(&rec).RecordMeta().EnteredInError != nil {
		err = errRetracted(kind)
	}
	return rec, err
}

// visitDate writes a local "YYYY-MM-DDTHH:MM" as "23 Nov 2026".
func visitDate(start string) string {
	d, err := time.Parse(time.DateOnly, start[:min(len(start), len(time.DateOnly))])
	if err != nil {
		return start
	}
	return chart.ShortDate(d.Year(), int(d.Month()), d.Day())
}

// ChartText fills the placeholders of texts from the chart as it is now:
// the summary, and the encounter named (or else the open one) for the
// visit's diagnoses. What was filled in is audited as a chart read.
func (s *Session) ChartText(ctx context.Context, r chart.ChartTextRequest) ([]string, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	out := make([]string, len(r.Texts))
	err := s.readChart(ctx, r.PatientID, kindPatient, string(r.PatientID), "filled a note from the chart", func() (string, error) {
		data, damaged, err := s.placeholderData(ctx, r.PatientID, r.EncounterID)
		if err != nil {
			return "", err
		}
		for i, text := range r.Texts {
			out[i] = chart.ExpandPlaceholders(text, data)
		}
		return ": " + usedPlaceholders(r.Texts) + damagedDetail(damaged), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// placeholderData reads what placeholders are filled from, in one snapshot.
func (s *Session) placeholderData(ctx context.Context, patient chart.PatientID, encounter chart.RecordID) (chart.PlaceholderData, []string, error) {
	var d chart.PlaceholderData
	var damaged []string
	err := s.w.snapshot(ctx, func(q queryer) error {
		var err error
		if damaged, err = s.summaryIn(ctx, q, patient, &d.Summary, nil); err != nil {
			return err
		}
		if d.Units, err = loadPracticeUnits(ctx, q); err != nil {
			return err
		}
		d.Encounter = d.Summary.OpenEncounter
		if encounter == "" {
			return nil
		}
		if err := requireEncounter(ctx, q, encounter, patient); err != nil {
			return err
		}
		e, err := openCurrent[chart.Encounter](ctx, s, q, chart.KindEncounter, encounter)
		d.Encounter = &e
		return err
	})
	return d, damaged, err
}

// usedPlaceholders names the placeholders the texts use, for the audit.
func usedPlaceholders(texts []string) string {
	used := chart.UsedPlaceholders(strings.Join(texts, "\n"))
	if len(used) == 0 {
		return "no placeholders"
	}
	return strings.Join(used, ", ")
}
