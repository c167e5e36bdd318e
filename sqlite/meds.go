package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"outpost/chart"
	"outpost/codes"
)

// safetyAlerts runs the default safety rules for m against the patient's
// current allergies and active medications (other than m itself).
func (s *Session) safetyAlerts(ctx context.Context, q queryer, m *chart.Medication) ([]chart.SafetyAlert, error) {
	rules, err := chart.DefaultSafetyRules()
	if err != nil {
		// Refuse rather than save a medication unchecked.
		return nil, fmt.Errorf("load safety rules: %w", err)
	}
	allergies, err := listRecords[chart.Allergy](ctx, q, s.key, s.chartOf(m.PatientID), chart.KindAllergy, false)
	if err != nil {
		return nil, err
	}
	meds, err := listRecords[chart.Medication](ctx, q, s.key, s.chartOf(m.PatientID), chart.KindMedication, false)
	if err != nil {
		return nil, err
	}
	var facts []chart.AllergyFact
	for _, a := range allergies {
		if a.IsDamaged() {
			continue // uncheckedAlert says so
		}
		facts = append(facts, chart.AllergyFact{Substance: a.Substance.Display, System: a.Substance.System, Code: a.Substance.Code,
			Verification: a.Verification, Ingredients: ingredientsOf(a.Substance)})
	}
	var active []chart.MedicationFact
	for _, o := range meds {
		if !o.IsDamaged() && o.Status == chart.MedActive && (m.ID == "" || o.ID != m.ID) {
			active = append(active, chart.MedicationFact(candidateOf(o.Drug)))
		}
	}
	alerts := rules.Check(candidateOf(m.Drug), facts, active)
	if a, ok := uncheckedAlert(len(damagedIDs(allergies)), len(damagedIDs(meds))); ok {
		alerts = append(alerts, a)
	}
	return alerts, nil
}

// uncheckedAlert is the alert for allergies and medications that could not
// be opened: the checks could not include them, so saving needs the same
// stated override as any other alert.
func uncheckedAlert(allergies, meds int) (chart.SafetyAlert, bool) {
	var parts []string
	if allergies > 0 {
		parts = append(parts, countOf(int64(allergies), "allergy record", "allergy records"))
	}
	if meds > 0 {
		parts = append(parts, countOf(int64(meds), "medication", "medications"))
	}
	if len(parts) == 0 {
		return chart.SafetyAlert{}, false
	}
	return chart.SafetyAlert{Kind: "unchecked", Severity: chart.SeverityHigh, RuleID: "unreadable-records",
		Message: strings.Join(parts, " and ") + " on this chart could not be opened, so this medication was not " +
			"checked against them. Ask the patient, and tell your practice administrator."}, true
}

// candidateOf is what the safety rules know of a drug: its RxNorm
// ingredients when it is coded, else only its name.
func candidateOf(drug chart.Coded) chart.MedicationCandidate {
	c := chart.MedicationCandidate{Name: drug.Display, Ingredients: ingredientsOf(drug)}
	if drug.System == chart.SystemRxNorm {
		c.RxNorm = drug.Code
	}
	return c
}

// ingredientsOf returns the RxNorm ingredient names of a coded drug or
// allergy substance (a product, a brand or an ingredient); nil for free
// text, a class, or a code the shipped RxNorm does not hold, whose name
// the rules then read.
func ingredientsOf(c chart.Coded) []string {
	if c.System != chart.SystemRxNorm {
		return nil
	}
	ings, ok := codes.RxNormIngredients(c.Code)
	if !ok {
		return nil
	}
	names := make([]string, len(ings))
	for i, ing := range ings {
		names[i] = ing.Display
	}
	return names
}

// CheckMedication runs the safety checks for m without saving it. Showing
// the alerts reveals the patient's allergies and medications, so it is
// audited as a chart read.
func (s *Session) CheckMedication(ctx context.Context, m chart.Medication) ([]chart.SafetyAlert, error) {
	var alerts []chart.SafetyAlert
	err := s.guarded("check medication", chart.ActWriteClinical, func() error {
		if err := requirePatient(ctx, s.w.db, m.PatientID); err != nil {
			return err
		}
		draft := m
		if err := draft.Validate(s.w.now()); err != nil {
			return err
		}
		if draft.ID == "" { // an edit is checked against its old version when saved
			if err := chart.CheckPrescribing(s.user.Role, &draft, nil); err != nil {
				return err
			}
		}
		var err error
		alerts, err = s.safetyAlerts(ctx, s.w.db, &draft)
		return s.auditRead(ctx, m.PatientID, chart.KindMedication, string(m.ID),
			fmt.Sprintf("checked medication safety: %d alerts", len(alerts)), err)
	})
	if err != nil {
		return nil, err
	}
	if alerts == nil {
		alerts = []chart.SafetyAlert{}
	}
	return alerts, nil
}

// SaveMedication saves m after re-running the safety checks inside the
// write transaction. An active medication with alerts needs an override
// reason; the override is stored on the record and named in the audit.
func (s *Session) SaveMedication(ctx context.Context, m chart.Medication, overrideReason string) (chart.Medication, error) {
	spec := saveSpec[chart.Medication, *chart.Medication]{kind: chart.KindMedication,
		validate: (*chart.Medication).Validate,
		complete: func(ctx context.Context, s *Session, t *tx, m, old *chart.Medication) (rowFlags, string, error) {
			if err := s.completeMedication(ctx, t, m, old, overrideReason); err != nil {
				return rowFlags{}, "", err
			}
			if o := m.Override; o != nil {
				return rowFlags{}, fmt.Sprintf(" with a safety override of %d alerts (%s): %s",
					len(o.Alerts), alertKinds(o.Alerts), o.Reason), nil
			}
			return rowFlags{}, "", nil
		}}
	return spec.save(ctx, s, m)
}

func alertKinds(alerts []chart.SafetyAlert) string {
	var kinds []string
	for _, a := range alerts {
		kinds = append(kinds, a.Kind)
	}
	return strings.Join(kinds, ", ")
}

func (s *Session) completeMedication(ctx context.Context, t *tx, m, old *chart.Medication, reason string) error {
	m.Override = nil
	if err := completeMedicationLinks(ctx, t, m, old); err != nil {
		return err
	}
	if err := chart.CheckPrescribing(s.user.Role, m, old); err != nil {
		return err
	}
	if m.Source == chart.MedPrescribedHere && m.PrescriberID == "" && chart.Can(s.user.Role, chart.ActSignNote) {
		m.PrescriberID, m.PrescriberName = s.user.ID, s.user.FullName
	}
	if m.Status != chart.MedActive {
		return nil // stopping or completing a medication adds no risk
	}
	alerts, err := s.safetyAlerts(ctx, t, m)
	if err != nil || len(alerts) == 0 {
		return err
	}
	if old != nil && old.Override != nil && sameAlerts(old.Override.Alerts, alerts) && strings.TrimSpace(reason) == "" {
		m.Override = old.Override // already overridden for exactly these alerts
		return nil
	}
	if err := chart.ValidateOverride(alerts, reason); err != nil {
		return err
	}
	m.Override = &chart.SafetyOverride{Alerts: alerts, Reason: strings.TrimSpace(reason), By: s.user.ID,
		ByName: s.user.FullName, At: t.now}
	return nil
}

func sameAlerts(a, b []chart.SafetyAlert) bool {
	return slices.Equal(a, b)
}

// Medications lists a patient's medications, oldest first.
func (s *Session) Medications(ctx context.Context, id chart.PatientID) ([]chart.Medication, error) {
	return listFor[chart.Medication](ctx, s, id, chart.KindMedication)
}
