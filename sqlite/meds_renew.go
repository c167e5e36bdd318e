package sqlite

import (
	"context"
	"fmt"
	"strings"

	"outpost/chart"
)

// Renewing, stopping and reconciling medications. Each is one write
// transaction that versions and audits every record it changes; the rules
// are chart's (medication_actions.go). The safety checks and who may
// prescribe stay those of SaveMedication (completeMedication).

// completeMedicationLinks is the part of a medication save that belongs to
// the visit and the list's motions: the store-owned fields (renewal links,
// last review) are kept from the previous version, and a link to a visit
// must name a visit of the same chart.
func completeMedicationLinks(ctx context.Context, t *tx, m, old *chart.Medication) error {
	chart.KeepStoreOwned(m, old)
	if m.EncounterID == "" {
		return nil
	}
	return requireEncounter(ctx, t, m.EncounterID, m.PatientID)
}

// RenewMedication prescribes a medication again: a new record of the same
// drug, linked to the previous one, which becomes completed and points to
// its renewal. The renewal goes through the safety checks like any new
// prescription (the previous one, completed first, no longer counts as a
// duplicate).
func (s *Session) RenewMedication(ctx context.Context, r chart.MedicationRenewal) (chart.Medication, error) {
	var out chart.Medication
	err := s.guarded("renew medication", chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error {
			prev, row, err := s.openMedication(ctx, t, r.PreviousID, r.PreviousVersion)
			if err != nil {
				return err
			}
			next, err := chart.Renewal(prev, r.Medication, t.now)
			if err != nil {
				return err
			}
			spec := saveSpec[chart.Medication, *chart.Medication]{kind: chart.KindMedication,
				validate: (*chart.Medication).Validate,
				complete: func(ctx context.Context, s *Session, t *tx, m, _ *chart.Medication) (rowFlags, string, error) {
					if err := s.markRenewed(ctx, t, prev, row, m); err != nil {
						return rowFlags{}, "", err
					}
					if err := s.completeMedication(ctx, t, m, nil, r.OverrideReason); err != nil {
						return rowFlags{}, "", err
					}
					m.RenewalOf = prev.ID // after completeMedication, which keeps store-owned fields of a new record empty
					return rowFlags{}, " renewing medication " + string(prev.ID) + overrideDetail(m), nil
				}}
			if err := spec.saveIn(ctx, s, t, &next); err != nil {
				return err
			}
			out = next
			return nil
		})
	})
	if err != nil {
		return chart.Medication{}, err
	}
	return out, nil
}

// markRenewed stores the next version of prev, completed and pointing to
// renewal, and audits it.
func (s *Session) markRenewed(ctx context.Context, t *tx, prev chart.Medication, row clinicalRow, renewal *chart.Medication) error {
	chart.MarkRenewed(&prev, renewal)
	prev.Version, prev.UpdatedAt, prev.UpdatedBy = row.version+1, t.now, s.user.ID
	if err := s.storeRecord(ctx, t, chart.KindMedication, &prev.Meta, &prev, []chart.ChangeID{row.head}, rowFlags{}); err != nil {
		return err
	}
	return s.audit(ctx, t, recordAudit(chart.AuditUpdate, chart.KindMedication, &prev.Meta,
		fmt.Sprintf("marked medication renewed by %s (version %d)", renewal.ID, prev.Version)))
}

func overrideDetail(m *chart.Medication) string {
	if o := m.Override; o != nil {
		return fmt.Sprintf(" with a safety override of %d alerts (%s): %s", len(o.Alerts), alertKinds(o.Alerts), o.Reason)
	}
	return ""
}

// openMedication opens the current version of medication id, which the
// edit was based on at version.
func (s *Session) openMedication(ctx context.Context, t *tx, id chart.RecordID, version int64) (chart.Medication, clinicalRow, error) {
	row, err := loadClinicalRow(ctx, t, chart.KindMedication, id)
	if err != nil {
		return chart.Medication{}, row, err
	}
	if version != row.version {
		return chart.Medication{}, row, errChangedUnderneath(chart.KindMedication)
	}
	m, err := openClinical[chart.Medication](s.key, row)
	if chart.ErrorCode(err) == chart.EINTEGRITY {
		return chart.Medication{}, row, errPlaceholderEdit(chart.KindMedication)
	}
	if err == nil && m.EnteredInError != nil {
		err = errRetracted(chart.KindMedication)
	}
	return m, row, err
}

// StopMedication stops an active medication on a date (today by default)
// with a reason. Stopping is documentation, open to nurses as well.
func (s *Session) StopMedication(ctx context.Context, st chart.MedicationStop) (chart.Medication, error) {
	var out chart.Medication
	err := s.guarded("stop medication", chart.ActWriteClinical, func() error {
		return s.w.write(ctx, func(t *tx) error {
			m, row, err := s.openMedication(ctx, t, st.ID, st.Version)
			if err != nil {
				return err
			}
			if err := m.Stop(st.Date, st.Reason, t.now); err != nil {
				return err
			}
			out = m
			return s.storeMedicationVersion(ctx, t, &out, row, "stopped medication on "+m.StopDate+": "+m.StopReason)
		})
	})
	if err != nil {
		return chart.Medication{}, err
	}
	return out, nil
}

// storeMedicationVersion stores m as the version after row and audits it.
func (s *Session) storeMedicationVersion(ctx context.Context, t *tx, m *chart.Medication, row clinicalRow, detail string) error {
	m.Version, m.UpdatedAt, m.UpdatedBy = row.version+1, t.now, s.user.ID
	if err := s.storeRecord(ctx, t, chart.KindMedication, &m.Meta, m, []chart.ChangeID{row.head}, rowFlags{}); err != nil {
		return err
	}
	return s.audit(ctx, t, recordAudit(chart.AuditUpdate, chart.KindMedication, &m.Meta,
		fmt.Sprintf("%s (version %d)", detail, m.Version)))
}

// ReconcileMedications records a review of the patient's medications,
// all or nothing: each one kept, changed (how the patient takes it now) or
// stopped, and marked reviewed by this user now. A change goes through who
// may prescribe and the safety checks as an edit would.
func (s *Session) ReconcileMedications(ctx context.Context, r chart.MedicationReconciliation) ([]chart.Medication, error) {
	var out []chart.Medication
	err := s.guarded("reconcile medications", chart.ActWriteClinical, func() error {
		if err := r.Validate(); err != nil {
			return err
		}
		return s.w.write(ctx, func(t *tx) error {
			if err := requirePatient(ctx, t, r.PatientID); err != nil {
				return err
			}
			out = make([]chart.Medication, 0, len(r.Reviews))
			for _, rv := range r.Reviews {
				m, err := s.reviewMedication(ctx, t, r.PatientID, rv)
				if err != nil {
					return err
				}
				out = append(out, m)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Session) reviewMedication(ctx context.Context, t *tx, patient chart.PatientID, rv chart.MedicationReview) (chart.Medication, error) {
	old, row, err := s.openMedication(ctx, t, rv.ID, rv.Version)
	if err != nil {
		return chart.Medication{}, err
	}
	if old.PatientID != patient {
		return chart.Medication{}, chart.Errorf(chart.ECONFLICT, "That medication belongs to another patient's chart.")
	}
	m := old
	if err := chart.ApplyReview(&m, rv, t.now); err != nil {
		return chart.Medication{}, err
	}
	detail := "reviewed medication with the patient: kept"
	switch rv.Decision {
	case chart.ReviewStop:
		detail = "reviewed medication with the patient: stopped: " + m.StopReason
	case chart.ReviewChanged:
		if err := s.completeMedication(ctx, t, &m, &old, ""); err != nil {
			return chart.Medication{}, reviewChangeError(&m, err)
		}
		detail = "reviewed medication with the patient: changed to " +
			strings.Join(strings.Fields(strings.Join([]string{m.Dose, m.Unit, m.Frequency}, " ")), " ")
	}
	chart.MarkReconciled(&m, t.now, s.user.ID, s.user.FullName)
	return m, s.storeMedicationVersion(ctx, t, &m, row, detail)
}

// reviewChangeError explains a change the safety checks stopped: a review
// has no place for an override, so the change is made through Renew.
func reviewChangeError(m *chart.Medication, err error) error {
	if chart.ErrorField(err) != "overrideReason" {
		return err
	}
	return chart.Errorf(chart.ECONFLICT, "The safety check alerts on %s, which needs a stated override. Keep it in this "+
		"review and change it with Renew, where the override can be given.", m.Drug.Display)
}
