package sqlite

import (
	"context"
	"fmt"

	"outpost/chart"
	"outpost/seal"
)

// Preventive care: care decisions and recall contacts are ordinary
// clinical records of their patient (sealed, versioned, audited, synced,
// merged field by field); the charts the care rules read come from the
// record lists, one patient at a time or the whole practice at once.

var (
	careDecisionSpec = saveSpec[chart.CareDecision, *chart.CareDecision]{kind: chart.KindCareDecision,
		validate: (*chart.CareDecision).Validate,
		complete: func(_ context.Context, s *Session, _ *tx, d, _ *chart.CareDecision) (rowFlags, string, error) {
			d.DecidedByName = s.user.FullName
			return rowFlags{}, fmt.Sprintf(": %s %s", d.RuleID, d.Decision), nil
		}}
	recallContactSpec = saveSpec[chart.RecallContact, *chart.RecallContact]{kind: chart.KindRecallContact,
		validate: (*chart.RecallContact).Validate,
		complete: func(_ context.Context, s *Session, _ *tx, r, _ *chart.RecallContact) (rowFlags, string, error) {
			r.ByName = s.user.FullName
			return rowFlags{}, fmt.Sprintf(": %s, %s", r.Method, r.Outcome), nil
		}}
)

var _ chart.CareService = (*Session)(nil)

// SaveCareDecision records (or corrects) a decision about a due item.
func (s *Session) SaveCareDecision(ctx context.Context, d chart.CareDecision) (chart.CareDecision, error) {
	return careDecisionSpec.save(ctx, s, d)
}

// SaveRecallContact records a contact made about what a patient is due for.
func (s *Session) SaveRecallContact(ctx context.Context, r chart.RecallContact) (chart.RecallContact, error) {
	return recallContactSpec.save(ctx, s, r)
}

// CareChart reads what the care rules look at of one patient, audited as
// one chart read.
func (s *Session) CareChart(ctx context.Context, id chart.PatientID) (chart.CareChart, error) {
	var c chart.CareChart
	err := s.readChart(ctx, id, "care", "", "viewed what is due", func() (string, error) {
		row, err := loadRecord(ctx, s.w.db, kindPatient, string(id))
		if err != nil {
			return "", err
		}
		if c.Patient, err = openPatient(s.key, row.id, row.version, row.head, row.sealed); err != nil {
			return "", err
		}
		return "", loadCareRecords(ctx, s.w.db, s.key, s.chartOf(id), &c)
	})
	return c, err
}

func loadCareRecords(ctx context.Context, q queryer, key *seal.Keyring, ids chartIDs, c *chart.CareChart) error {
	for _, step := range []func() error{
		func() (err error) {
			c.Problems, err = listRecords[chart.Problem](ctx, q, key, ids, chart.KindProblem, false)
			return
		},
		func() (err error) {
			c.Results, err = listRecords[chart.Result](ctx, q, key, ids, chart.KindResult, false)
			return
		},
		func() (err error) {
			c.Procedures, err = listRecords[chart.Procedure](ctx, q, key, ids, chart.KindProcedure, false)
			return
		},
		func() (err error) {
			c.Encounters, err = listRecords[chart.Encounter](ctx, q, key, ids, chart.KindEncounter, false)
			return
		},
		func() (err error) {
			c.Vitals, err = listRecords[chart.VitalsRecord](ctx, q, key, ids, chart.KindVitals, false)
			return
		},
		func() (err error) {
			c.Social, err = listRecords[chart.SocialHistory](ctx, q, key, ids, chart.KindSocial, false)
			return
		},
		func() (err error) {
			c.Immunizations, err = listRecords[chart.Immunization](ctx, q, key, ids, chart.KindImmunization, false)
			return
		},
		func() (err error) {
			c.Decisions, err = listRecords[chart.CareDecision](ctx, q, key, ids, chart.KindCareDecision, false)
			return
		},
		func() (err error) {
			c.Contacts, err = listRecords[chart.RecallContact](ctx, q, key, ids, chart.KindRecallContact, false)
			return
		},
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// PracticeCare reads every patient's chart for the care rules: each kind
// in one pass over the whole store (decrypting on every core), then pick
// chooses the charts to return, and each one returned is audited as a
// chart read ("what": the list it is shown on).
func (s *Session) PracticeCare(ctx context.Context, what string, pick func([]chart.CareChart) []chart.CareChart) ([]chart.CareChart, error) {
	var out []chart.CareChart
	err := s.guarded("practice care", chart.ActReadClinical, func() error {
		var charts []chart.CareChart
		if err := s.w.snapshot(ctx, func(q queryer) (err error) {
			charts, err = loadPracticeCare(ctx, q, s.key)
			return err
		}); err != nil {
			return err
		}
		if out = charts; pick != nil {
			out = pick(charts)
		}
		return s.w.write(ctx, func(t *tx) error {
			for _, c := range out {
				if err := s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: c.Patient.ID,
					RecordKind: "care", Detail: what}); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return out, err
}

func loadPracticeCare(ctx context.Context, q queryer, key *seal.Keyring) ([]chart.CareChart, error) {
	patients, _, err := loadPatients(ctx, q, key)
	if err != nil {
		return nil, err
	}
	charts := make([]chart.CareChart, len(patients))
	at := make(map[chart.PatientID]*chart.CareChart, len(patients))
	for i, p := range patients {
		charts[i].Patient = p
		at[p.ID] = &charts[i]
	}
	foldMerged(patients, at)
	for _, load := range []func() error{
		func() error {
			return allOfKind(ctx, q, key, chart.KindProblem, at, func(c *chart.CareChart) *[]chart.Problem { return &c.Problems })
		},
		func() error {
			return allOfKind(ctx, q, key, chart.KindResult, at, func(c *chart.CareChart) *[]chart.Result { return &c.Results })
		},
		func() error {
			return allOfKind(ctx, q, key, chart.KindProcedure, at, func(c *chart.CareChart) *[]chart.Procedure { return &c.Procedures })
		},
		func() error {
			return allOfKind(ctx, q, key, chart.KindEncounter, at, func(c *chart.CareChart) *[]chart.Encounter { return &c.Encounters })
		},
		func() error {
			return allOfKind(ctx, q, key, chart.KindVitals, at, func(c *chart.CareChart) *[]chart.VitalsRecord { return &c.Vitals })
		},
		func() error {
			return allOfKind(ctx, q, key, chart.KindSocial, at, func(c *chart.CareChart) *[]chart.SocialHistory { return &c.Social })
		},
		func() error {
			return allOfKind(ctx, q, key, chart.KindImmunization, at, func(c *chart.CareChart) *[]chart.Immunization { return &c.Immunizations })
		},
		func() error {
			return allOfKind(ctx, q, key, chart.KindCareDecision, at, func(c *chart.CareChart) *[]chart.CareDecision { return &c.Decisions })
		},
		func() error {
			return allOfKind(ctx, q, key, chart.KindRecallContact, at, func(c *chart.CareChart) *[]chart.RecallContact { return &c.Contacts })
		},
	} {
		if err := load(); err != nil {
			return nil, err
		}
	}
	return charts, nil
}

// allOfKind opens every current record of one kind and files each under
// its patient's chart (records of a patient not in the list, one whose
// record did not open, are left out as the sign-in index leaves them).
func allOfKind[T any, P recordPtr[T]](ctx context.Context, q queryer, key *seal.Keyring, kind string,
	at map[chart.PatientID]*chart.CareChart, field func(*chart.CareChart) *[]T) error {
	rows, err := q.QueryContext(ctx, `SELECT `+clinicalColumns+` FROM records WHERE kind = ? ORDER BY id`, kind)
	if err != nil {
		return fmt.Errorf("list all %s: %w", kind, err)
	}
	var sealed []clinicalRow
	for rows.Next() {
		r, err := scanClinical(rows.Scan)
		if err != nil {
			rows.Close()
			return fmt.Errorf("list all %s: %w", kind, err)
		}
		sealed = append(sealed, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list all %s: %w", kind, err)
	}
	opened, err := openAll[T, P](key, sealed)
	if err != nil {
		return err
	}
	for i := range opened {
		m := P(&opened[i]).RecordMeta()
		if c := at[m.PatientID]; c != nil && m.EnteredInError == nil && !m.IsDamaged() {
			*field(c) = append(*field(c), opened[i])
		}
	}
	return nil
}

// foldMerged points each patient retired by a merge at the chart it was
// merged into (through chains of merges), so the survivor's care is judged
// on the records of both; the retired patient is left off the lists by
// care.Listed.
func foldMerged(patients []chart.Patient, at map[chart.PatientID]*chart.CareChart) {
	for _, p := range patients {
		into, hops := p.Merged, 0
		for into != nil && hops < len(patients) {
			c, ok := at[into.Into]
			if !ok {
				break
			}
			at[p.ID], into, hops = c, c.Patient.Merged, hops+1
		}
	}
}
