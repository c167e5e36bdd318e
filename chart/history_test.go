package chart

import (
	"testing"
	"time"
)

func intp(x int) *int { return &x }

func TestHistoryValidateRefusesBadInput(t *testing.T) {
	cases := []struct {
		name, field string
		validate    func() error
	}{
		{"relative not from the list", "relation", func() error {
			f := FamilyHistory{Relation: "neighbour", Condition: Coded{Display: "Diabetes"}}
			return f.Validate(validateNow)
		}},
		{"family condition missing", "condition", func() error {
			f := FamilyHistory{Relation: "MTH"}
			return f.Validate(validateNow)
		}},
		{"onset age impossible", "onsetAge", func() error {
			f := FamilyHistory{Relation: "FTH", Condition: Coded{Display: "Stroke"}, OnsetAge: intp(130)}
			return f.Validate(validateNow)
		}},
		{"smoking status not in the value set", "smoking", func() error {
			h := SocialHistory{Smoking: Coded{System: SystemSNOMED, Code: "12345"}}
			return h.Validate(validateNow)
		}},
		{"AUDIT-C answer out of range", "auditC", func() error {
			h := SocialHistory{AuditC: &AuditC{HowOften: 5}}
			return h.Validate(validateNow)
		}},
		{"drinks per week negative", "drinksPerWeek", func() error {
			h := SocialHistory{DrinksWeek: intp(-1)}
			return h.Validate(validateNow)
		}},
		{"social history dated in the future", "date", func() error {
			h := SocialHistory{Date: "2026-12-01"}
			return h.Validate(validateNow)
		}},
		{"pregnancy status unknown word", "status", func() error {
			p := PregnancyStatus{Status: "maybe"}
			return p.Validate(validateNow)
		}},
		{"EDD a year away", "edd", func() error {
			p := PregnancyStatus{Status: PregnancyPregnant, EDD: "2027-11-23"}
			return p.Validate(validateNow)
		}},
		{"EDD long past", "edd", func() error {
			p := PregnancyStatus{Status: PregnancyPregnant, EDD: "2026-09-01"}
			return p.Validate(validateNow)
		}},
		{"LMP in the future", "lmp", func() error {
			p := PregnancyStatus{Status: PregnancyPregnant, LMP: "2026-12-01"}
			return p.Validate(validateNow)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fieldOf(t, c.validate()); got != c.field {
				t.Fatalf("field = %q, want %q", got, c.field)
			}
		})
	}
}

func TestSocialHistoryNormalises(t *testing.T) {
	h := SocialHistory{Smoking: Coded{Code: " 8517006 ", Display: "typed by hand"}}
	if err := h.Validate(validateNow); err != nil {
		t.Fatal(err)
	}
	if h.Smoking != (Coded{SystemSNOMED, "8517006", "Ex-smoker"}) || h.Date != "2026-11-23" {
		t.Fatalf("normalised = %+v; want the listed SNOMED CT term and today's date", h)
	}
	if a := (AuditC{HowOften: 1, HowMany: 1, SixOrMore: 1}); !a.Positive(SexFemale) || a.Positive(SexMale) || a.Score() != 3 {
		t.Fatalf("AUDIT-C 3: positive for women only, got female %v male %v", a.Positive(SexFemale), a.Positive(SexMale))
	}
}

func TestPregnancyDatesAndRelevance(t *testing.T) {
	if got := EDDFromLMP("2026-10-01"); got != "2027-07-08" {
		t.Fatalf("EDD from LMP 1 Oct 2026 = %s, want 2027-07-08 (280 days)", got)
	}
	p := PregnancyStatus{Status: PregnancyPregnant, LMP: "2026-10-01"}
	if err := p.Validate(validateNow); err != nil || p.EDD != "2027-07-08" {
		t.Fatalf("pregnant from LMP: %+v %v, want the EDD computed", p, err)
	}
	n := PregnancyStatus{Status: PregnancyNotPregnant, EDD: "2027-07-08", LMP: "2026-10-01"}
	if err := n.Validate(validateNow); err != nil || n.EDD != "" || n.LMP != "" {
		t.Fatalf("not pregnant keeps no dates: %+v %v", n, err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.Local)
	for _, c := range []struct {
		sex   Sex
		birth string
		want  bool
	}{
		{SexFemale, "1990-01-01", true}, {SexFemale, "2014-11-23", true}, {SexFemale, "2014-11-24", false},
		{SexFemale, "1971-11-24", true}, {SexFemale, "1970-11-23", false}, {SexMale, "1990-01-01", false},
	} {
		if got := PregnancyRelevant(Patient{Sex: c.sex, BirthDate: c.birth}, now); got != c.want {
			t.Errorf("PregnancyRelevant(%s born %s) = %v, want %v", c.sex, c.birth, got, c.want)
		}
	}
}

func TestLatestIsByDateThenByWriting(t *testing.T) {
	hs := []SocialHistory{
		{Meta: Meta{ID: "01"}, Date: "2026-05-01"},
		{Meta: Meta{ID: "02"}, Date: "2026-11-01"},
		{Meta: Meta{ID: "03"}, Date: "2026-03-01"}, // back-charted
		{Meta: Meta{ID: "04", Damaged: "x"}},
		{Meta: Meta{ID: "05", EnteredInError: &EnteredInError{}}, Date: "2026-11-20"},
	}
	if got := LatestSocialHistory(hs); got == nil || got.ID != "02" {
		t.Fatalf("latest = %+v, want 02", got)
	}
	ps := []PregnancyStatus{{Meta: Meta{ID: "01"}, Date: "2026-11-01"}, {Meta: Meta{ID: "02"}, Date: "2026-11-01"}}
	if got := LatestPregnancy(ps); got == nil || got.ID != "02" {
		t.Fatalf("same date: latest = %+v, want the one written last", got)
	}
	if LatestPregnancy(nil) != nil {
		t.Fatal("no records: want nil")
	}
}
