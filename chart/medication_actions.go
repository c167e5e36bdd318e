package chart

import (
	"strings"
	"time"
)

// The motions of a medication list beyond adding one: renew, stop and
// reconcile. Each is a rule on the records, kept here; the store loads,
// saves, runs the safety checks and audits.

// MedicationRenewal asks to renew the medication PreviousID (at
// PreviousVersion) with the details of Medication (dose, quantity, refills,
// days' supply…); the drug is always the previous one's.
type MedicationRenewal struct {
	PreviousID      RecordID   `json:"previousId"`
	PreviousVersion int64      `json:"previousVersion"`
	Medication      Medication `json:"medication"`
	// OverrideReason is required when the safety checks alert.
	OverrideReason string `json:"overrideReason"`
}

// Renewal builds the renewal of prev from next: a new prescription of the
// same drug starting today unless another start is given, linked to prev.
// It refuses to renew a medication that was stopped, retracted or already
// renewed (renewing it twice would put the drug twice on the list).
func Renewal(prev, next Medication, now time.Time) (Medication, error) {
	switch {
	case prev.IsDamaged():
		return Medication{}, Errorf(ECONFLICT, "This medication could not be opened, so it cannot be renewed.")
	case prev.EnteredInError != nil:
		return Medication{}, Errorf(ECONFLICT, "This medication was marked entered in error; it cannot be renewed.")
	case prev.RenewedBy != "":
		return Medication{}, Errorf(ECONFLICT, "This medication was already renewed. Renew the current prescription instead.")
	case prev.Status == MedStopped:
		return Medication{}, Errorf(ECONFLICT, "This medication was stopped (%s). To restart it, add it as a new medication.",
			prev.StopReason)
	}
	r := next
	r.Meta = Meta{PatientID: prev.PatientID}
	r.Drug, r.Source, r.Status = prev.Drug, MedPrescribedHere, MedActive
	r.StopDate, r.StopReason, r.RenewalOf, r.RenewedBy = "", "", prev.ID, ""
	r.Override, r.ReconciledAt, r.ReconciledBy, r.ReconciledByName = nil, nil, "", ""
	if strings.TrimSpace(r.StartDate) == "" {
		r.StartDate = now.In(time.Local).Format(time.DateOnly)
	}
	if err := r.Validate(now); err != nil {
		return Medication{}, err
	}
	if prev.StartDate != "" && r.StartDate < prev.StartDate {
		return Medication{}, FieldError("startDate", "The renewal cannot start before the prescription it renews (%s).",
			isoLongDate(prev.StartDate))
	}
	return r, nil
}

// MarkRenewed records on prev that renewal replaced it: it is completed
// (ending when the renewal starts, unless it already had an end) and
// points to the renewal.
func MarkRenewed(prev *Medication, renewal *Medication) {
	prev.Status, prev.RenewedBy = MedCompleted, renewal.ID
	if prev.StopDate == "" || prev.StopDate > renewal.StartDate {
		prev.StopDate = renewal.StartDate
	}
}

// MedicationStop asks to stop medication ID (at Version) on Date
// (YYYY-MM-DD, today when empty) for Reason.
type MedicationStop struct {
	ID      RecordID `json:"id"`
	Version int64    `json:"version"`
	Date    string   `json:"date"`
	Reason  string   `json:"reason"`
}

// Stop marks m stopped on date for reason. Only an active medication is
// stopped; the date may not be in the future (a planned end is a stop
// date on an active medication) nor before the medication started.
func (m *Medication) Stop(date, reason string, now time.Time) error {
	if m.Status != MedActive {
		return Errorf(ECONFLICT, "This medication is not active (it is %s), so it cannot be stopped.", m.Status)
	}
	var probs Problems
	if strings.TrimSpace(date) == "" {
		date = now.In(time.Local).Format(time.DateOnly)
	}
	d, err := validateDate("stopDate", "The stop date", date, now, true, true)
	probs.Add(err)
	if err == nil && m.StartDate != "" && d < m.StartDate {
		probs.Add(FieldError("stopDate", "The stop date is before the medication started (%s).", isoLongDate(m.StartDate)))
	}
	r, err := cleanLine("stopReason", "The stop reason", reason, MaxShortTextLen, false)
	probs.Add(err)
	if err == nil && r == "" {
		probs.Add(FieldError("stopReason", "Say why the medication is stopped."))
	}
	if err := probs.Err(); err != nil {
		return err
	}
	m.Status, m.StopDate, m.StopReason = MedStopped, d, r
	return nil
}

// Decisions of a medication review.
const (
	ReviewKeep    = "keep"    // taken as recorded
	ReviewChanged = "changed" // taken differently: the change is recorded
	ReviewStop    = "stop"    // no longer taken
)

// MedicationReconciliation is one review of a patient's medications.
type MedicationReconciliation struct {
	PatientID PatientID          `json:"patientId"`
	Reviews   []MedicationReview `json:"reviews"`
}

// MedicationReview is the decision about one medication.
type MedicationReview struct {
	ID       RecordID `json:"id"`
	Version  int64    `json:"version"`
	Decision string   `json:"decision"`
	// StopReason is required to stop.
	StopReason string `json:"stopReason"`
	// Change holds how the patient takes it now (changed only).
	Change *MedicationChange `json:"change,omitempty"`
}

// MedicationChange is what a review may correct: how the drug is taken.
type MedicationChange struct {
	Dose         string `json:"dose"`
	Unit         string `json:"unit"`
	Frequency    string `json:"frequency"`
	Instructions string `json:"instructions"`
}

// MaxReviews bounds one reconciliation.
const MaxReviews = 200

// Validate checks the shape of a reconciliation: each medication once,
// each decision known, a reason for every stop and a change for every
// "changed".
func (r *MedicationReconciliation) Validate() error {
	if len(r.Reviews) == 0 {
		return FieldError("reviews", "Choose keep, changed or stop for at least one medication.")
	}
	if len(r.Reviews) > MaxReviews {
		return FieldError("reviews", "At most %d medications can be reviewed at once.", MaxReviews)
	}
	seen := map[RecordID]bool{}
	for i := range r.Reviews {
		rv := &r.Reviews[i]
		if seen[rv.ID] {
			return FieldError("reviews", "A medication appears twice in the review.")
		}
		seen[rv.ID] = true
		switch rv.Decision {
		case ReviewKeep:
		case ReviewStop:
			if strings.TrimSpace(rv.StopReason) == "" {
				return FieldError("reviews."+string(rv.ID), "Say why the medication is stopped.")
			}
		case ReviewChanged:
			if rv.Change == nil {
				return FieldError("reviews."+string(rv.ID), "Say how the patient takes it now.")
			}
		default:
			return FieldError("reviews."+string(rv.ID), "Choose keep, changed or stop.")
		}
	}
	return nil
}

// ApplyReview applies the decision rv to m (rv validated by the caller);
// MarkReconciled then records the review. Only an active medication is
// reviewed.
func ApplyReview(m *Medication, rv MedicationReview, at time.Time) error {
	if m.Status != MedActive {
		return Errorf(ECONFLICT, "%s is no longer active; reopen the medication list and review again.", m.Drug.Display)
	}
	switch rv.Decision {
	case ReviewStop:
		if err := m.Stop("", rv.StopReason, at); err != nil {
			return err
		}
	case ReviewChanged:
		c := rv.Change
		m.Dose, m.Unit, m.Frequency, m.Instructions = c.Dose, c.Unit, c.Frequency, c.Instructions
		return m.Validate(at)
	}
	return nil
}

// MarkReconciled records that m was reviewed with the patient at at.
func MarkReconciled(m *Medication, at time.Time, by UserID, byName string) {
	m.ReconciledAt, m.ReconciledBy, m.ReconciledByName = &at, by, byName
}

// KeepStoreOwned copies onto m, an edit of old (nil when new), the fields
// only the store's own motions set: the renewal links and the last review.
func KeepStoreOwned(m, old *Medication) {
	m.RenewalOf, m.RenewedBy, m.ReconciledAt, m.ReconciledBy, m.ReconciledByName = "", "", nil, "", ""
	if old != nil {
		m.RenewalOf, m.RenewedBy = old.RenewalOf, old.RenewedBy
		m.ReconciledAt, m.ReconciledBy, m.ReconciledByName = old.ReconciledAt, old.ReconciledBy, old.ReconciledByName
	}
}
