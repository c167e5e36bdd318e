package chart

import (
	"strings"
	"testing"
	"time"
)

func activeMed() Medication {
	return Medication{Meta: Meta{ID: "0190aaaa-0000-7000-8000-000000000001", PatientID: "p"},
		Drug: Coded{System: SystemRxNorm, Code: "314076", Display: "lisinopril 10 MG Oral Tablet"},
		Dose: "10", Unit: "mg", Frequency: "once daily", StartDate: "2026-05-01", Status: MedActive,
		Source: MedPatientReported, Quantity: "30", Refills: 2}
}

func TestRenewalKeepsTheDrugAndLinks(t *testing.T) {
	prev := activeMed()
	next := Medication{Drug: Coded{Display: "something else"}, Dose: "20", Unit: "mg", Frequency: "once daily",
		Quantity: "90", Refills: 1, DaysSupply: 90, Status: MedStopped, RenewedBy: "x"}
	r, err := Renewal(prev, next, validateNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Drug != prev.Drug || r.Dose != "20" || r.DaysSupply != 90 || r.RenewalOf != prev.ID || r.RenewedBy != "" ||
		r.Status != MedActive || r.Source != MedPrescribedHere || r.StartDate != "2026-11-23" || r.PatientID != "p" || r.ID != "" {
		t.Fatalf("renewal = %+v", r)
	}
	MarkRenewed(&prev, &Medication{Meta: Meta{ID: "new"}, StartDate: "2026-11-23"})
	if prev.Status != MedCompleted || prev.RenewedBy != "new" || prev.StopDate != "2026-11-23" {
		t.Fatalf("renewed previous = %+v", prev)
	}
}

func TestRenewalRefusals(t *testing.T) {
	stopped := activeMed()
	stopped.Status, stopped.StopReason = MedStopped, "rash"
	renewed := activeMed()
	renewed.RenewedBy = "other"
	early := Medication{StartDate: "2026-04-01"}
	for name, c := range map[string]struct {
		prev, next Medication
		code       string
	}{
		"stopped":          {stopped, Medication{}, ECONFLICT},
		"already renewed":  {renewed, Medication{}, ECONFLICT},
		"starts too early": {activeMed(), early, EINVALID},
		"days' supply":     {activeMed(), Medication{DaysSupply: 400}, EINVALID},
	} {
		if _, err := Renewal(c.prev, c.next, validateNow); ErrorCode(err) != c.code {
			t.Errorf("%s: err = %v, want %s", name, err, c.code)
		}
	}
}

func TestStopNeedsAReasonAndAPlausibleDate(t *testing.T) {
	m := activeMed()
	err := m.Stop("2026-12-01", "", validateNow)
	if fs := ErrorFields(err); len(fs) != 2 || fs[0].Field != "stopDate" || fs[1].Field != "stopReason" {
		t.Fatalf("future date and no reason: %v, want both fields", err)
	}
	if err := m.Stop("2026-04-30", "cough", validateNow); fieldOf(t, err) != "stopDate" {
		t.Fatalf("before the start: %v", err)
	}
	if m.Status != MedActive {
		t.Fatal("a refused stop changed the medication")
	}
	if err := m.Stop("", "Dry cough", validateNow); err != nil || m.Status != MedStopped || m.StopDate != "2026-11-23" || m.StopReason != "Dry cough" {
		t.Fatalf("stop: %+v %v", m, err)
	}
	if err := m.Stop("", "again", validateNow); ErrorCode(err) != ECONFLICT {
		t.Fatalf("stopping a stopped medication: %v", err)
	}
}

func TestReconciliation(t *testing.T) {
	bad := []MedicationReconciliation{
		{},
		{Reviews: []MedicationReview{{ID: "a", Decision: ReviewKeep}, {ID: "a", Decision: ReviewKeep}}},
		{Reviews: []MedicationReview{{ID: "a", Decision: ReviewStop}}},
		{Reviews: []MedicationReview{{ID: "a", Decision: ReviewChanged}}},
		{Reviews: []MedicationReview{{ID: "a", Decision: "maybe"}}},
	}
	for i, r := range bad {
		if ErrorCode(r.Validate()) != EINVALID {
			t.Errorf("reconciliation %d accepted: %+v", i, r)
		}
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)
	m := activeMed()
	if err := ApplyReview(&m, MedicationReview{Decision: ReviewChanged, Change: &MedicationChange{Dose: "5", Unit: "mg",
		Frequency: "at night"}}, at); err != nil {
		t.Fatal(err)
	}
	MarkReconciled(&m, at, "u", "Dr U")
	if m.Dose != "5" || m.Frequency != "at night" || m.ReconciledAt == nil || !m.ReconciledAt.Equal(at) || m.ReconciledByName != "Dr U" {
		t.Fatalf("changed: %+v", m)
	}
	if err := ApplyReview(&m, MedicationReview{Decision: ReviewChanged, Change: &MedicationChange{Dose: "lots"}}, at); fieldOf(t, err) != "dose" {
		t.Fatalf("a changed dose that is not a number: %v", err)
	}
	s := activeMed()
	if err := ApplyReview(&s, MedicationReview{Decision: ReviewStop, StopReason: "Not taking it"}, at); err != nil ||
		s.Status != MedStopped || s.StopReason != "Not taking it" || s.StopDate != "2026-11-23" {
		t.Fatalf("stop: %+v %v", s, err)
	}
	if err := ApplyReview(&s, MedicationReview{Decision: ReviewKeep}, at); ErrorCode(err) != ECONFLICT ||
		!strings.Contains(ErrorMessage(err), "no longer active") {
		t.Fatalf("reviewing a stopped medication: %v", err)
	}
}
