package chart

import (
	"testing"
	"time"
)

var referralNow = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)

func TestRecordsAllergyStatusNeverTurnsDamagedIntoNoneKnown(t *testing.T) {
	damaged := Allergy{Meta: Meta{ID: "a-d", Damaged: "could not be opened"}}
	retracted := Allergy{Meta: Meta{ID: "a-r", EnteredInError: &EnteredInError{Reason: "wrong chart"}}}
	opened := Allergy{Meta: Meta{ID: "a-1"}, Substance: Coded{Display: "Penicillin"}}
	for _, tc := range []struct {
		name string
		recs PatientRecords
		want AllergyStatus
	}{
		{"nothing recorded", PatientRecords{}, AllergiesNotAsked},
		{"none known", PatientRecords{NoKnownAllergies: true}, AllergiesNone},
		{"damaged, with a no-known statement", PatientRecords{NoKnownAllergies: true, Allergies: []Allergy{damaged}}, AllergiesUnreadable},
		{"damaged alone", PatientRecords{Allergies: []Allergy{damaged}}, AllergiesUnreadable},
		{"damaged beside an opened one", PatientRecords{Allergies: []Allergy{damaged, opened}}, AllergiesListed},
		{"only retracted, with a no-known statement", PatientRecords{NoKnownAllergies: true, Allergies: []Allergy{retracted}}, AllergiesListed},
	} {
		if got := tc.recs.AllergyStatus(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	s := SummarizeForReferral(PatientRecords{NoKnownAllergies: true, Allergies: []Allergy{damaged, retracted}}, referralNow)
	if len(s.Allergies) != 1 || !s.Allergies[0].IsDamaged() || s.AllergyStatus != AllergiesUnreadable {
		t.Fatalf("summary keeps %+v (%s), want the placeholder only, unreadable", s.Allergies, s.AllergyStatus)
	}
}

func TestReferralResultsAreTheLatestOfEachTestInTheLastYear(t *testing.T) {
	hba1c := Coded{System: SystemLOINC, Code: "4548-4", Display: "Hemoglobin A1c"}
	res := func(id string, test Coded, at, value string) Result {
		return Result{Meta: Meta{ID: RecordID(id)}, Test: test, CollectedAt: at, Value: value}
	}
	gone := res("r-gone", Coded{Display: "Potassium"}, "2026-11-30", "9.9")
	gone.EnteredInError = &EnteredInError{}
	recs := PatientRecords{Results: []Result{
		res("r-1", hba1c, "2026-03-01", "7.4"),
		res("r-2", Coded{System: SystemLOINC, Code: "4548-4", Display: "HbA1c (imported)"}, "2026-09-01T08:30", "6.8"),
		res("r-3", Coded{Display: "Ferritin"}, "2025-11-01", "12"), // over a year ago
		res("r-4", Coded{Display: "eGFR"}, "2026-06-15", "72"),
		res("r-5", Coded{Display: "egfr "}, "2026-01-15", "70"),
		gone,
		{Meta: Meta{ID: "r-d", Damaged: "x"}},
	}}
	s := SummarizeForReferral(recs, referralNow)
	var got []string
	for _, r := range s.Results {
		got = append(got, string(r.ID))
	}
	if want := []string{"r-2", "r-4"}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("results %v, want %v", got, want)
	}
	if s.DamagedResults != 1 {
		t.Fatalf("damaged results %d, want 1", s.DamagedResults)
	}
}

func TestReferralLastVisitIsTheLastSignedClinicalNoteWithAssessmentOrPlan(t *testing.T) {
	signed := func(at time.Time) *Signature { return &Signature{SignedAt: at} }
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	soap := func(id string, at time.Time, a, p string) Note {
		return Note{Meta: Meta{ID: RecordID(id)}, Kind: NoteClinical, Title: id, Signature: signed(at),
			Sections: []NoteSection{{Key: "subjective", Text: "S"}, {Key: "assessment", Label: "Assessment", Text: a}, {Key: "plan", Label: "Plan", Text: p}}}
	}
	older := soap("older", day(1), "Old assessment", "Old plan")
	last := soap("last", day(10), "Angina likely", "Refer to cardiology")
	draft := soap("draft", time.Time{}, "Draft", "Draft")
	draft.Signature = nil
	nursing := soap("nursing", day(20), "Nursing", "Nursing")
	nursing.Kind = NoteNursing
	noAP := soap("no-ap", day(25), "", "")
	custom := Note{Meta: Meta{ID: "custom"}, Kind: NoteClinical, Signature: signed(day(5)),
		Sections: []NoteSection{{Key: "x1", Label: "Plan", Text: "Custom plan"}}}
	addendum := Note{Meta: Meta{ID: "add"}, AddendumTo: "last", Kind: NoteClinical, Signature: signed(day(11)),
		Sections: []NoteSection{{Key: "addendum", Label: "Addendum", Text: "Troponin normal."}}}
	v := SummarizeForReferral(PatientRecords{Notes: []Note{older, last, draft, nursing, noAP, custom, addendum}}, referralNow).LastVisit
	if v == nil || v.Note.ID != "last" || v.Assessment != "Angina likely" || v.Plan != "Refer to cardiology" {
		t.Fatalf("last visit = %+v", v)
	}
	if len(v.Addenda) != 1 || v.Addenda[0].ID != "add" {
		t.Fatalf("addenda = %+v", v.Addenda)
	}
	if got := lastVisit([]Note{custom}); got == nil || got.Plan != "Custom plan" {
		t.Fatalf("a practice template's Plan section is missed: %+v", got)
	}
}

func TestReferralListsKeepPlaceholdersAndDropRetractedAndInactive(t *testing.T) {
	gone := &EnteredInError{}
	recs := PatientRecords{
		Problems: []Problem{{Meta: Meta{ID: "p1"}, Status: ProblemActive}, {Meta: Meta{ID: "p2"}, Status: ProblemResolved},
			{Meta: Meta{ID: "p3", EnteredInError: gone}, Status: ProblemActive}, {Meta: Meta{ID: "p4", Damaged: "x"}}},
		Medications: []Medication{{Meta: Meta{ID: "m1"}, Status: MedActive}, {Meta: Meta{ID: "m2"}, Status: MedStopped},
			{Meta: Meta{ID: "m3", Damaged: "x"}}},
		Vitals: []VitalsRecord{{Meta: Meta{ID: "v1"}, TakenAt: "2026-10-01T09:00"}, {Meta: Meta{ID: "v2"}, TakenAt: "2026-11-01T09:00"},
			{Meta: Meta{ID: "v3", EnteredInError: gone}, TakenAt: "2026-12-01T09:00"}},
	}
	s := SummarizeForReferral(recs, referralNow)
	if len(s.Problems) != 2 || s.Problems[0].ID != "p1" || s.Problems[1].ID != "p4" {
		t.Fatalf("problems %+v", s.Problems)
	}
	if len(s.Medications) != 2 || s.Medications[1].ID != "m3" {
		t.Fatalf("medications %+v", s.Medications)
	}
	if s.Vitals == nil || s.Vitals.ID != "v2" {
		t.Fatalf("vitals %+v", s.Vitals)
	}
}
