package chart

import (
	"strings"
	"testing"
	"time"
)

func TestPatientStatusRefusesWithAHumanMessage(t *testing.T) {
	cases := []struct {
		name, field, says string
		edit              func(p *Patient)
	}{
		{"death in the future", "deceasedDate", "future", func(p *Patient) { p.DeceasedDate = "2026-11-24" }},
		{"death before birth", "deceasedDate", "before the date of birth", func(p *Patient) { p.DeceasedDate = "1980-05-11" }},
		{"email without a domain", "email", "name@example.org", func(p *Patient) { p.Email = "ann@example" }},
		{"email with a space", "email", "name@example.org", func(p *Patient) { p.Email = "ann smith@example.org" }},
		{"member id without insurer", "insurance.payer", "insurer", func(p *Patient) { p.Insurance.MemberID = "XJ-1" }},
		{"insurer without member id", "insurance.memberId", "member id", func(p *Patient) { p.Insurance.Payer = "Acme Health" }},
		{"member id with symbols", "insurance.memberId", "letters and digits", func(p *Patient) {
			p.Insurance = Insurance{Payer: "Acme Health", MemberID: "#$%"}
		}},
		{"guardian without a name", "guardian.name", "guardian's name", func(p *Patient) { p.Guardian.Relationship = "Mother" }},
		{"guardian's phone", "guardian.phone", "phone number", func(p *Patient) { p.Guardian = Guardian{Name: "Bo", Phone: "call me"} }},
		{"merged into itself", "merged", "itself", func(p *Patient) {
			p.ID = NewPatientID()
			p.Merged = &PatientMerge{Into: p.ID}
		}},
	}
	for _, c := range cases {
		p := validPatient()
		c.edit(&p)
		err := p.Validate(testNow)
		if ErrorField(err) != c.field || !strings.Contains(ErrorMessage(err), c.says) {
			t.Errorf("%s: got %v on %q, want %q saying %q", c.name, err, ErrorField(err), c.field, c.says)
		}
	}
}

func TestPatientStatusAcceptsAndCleans(t *testing.T) {
	p := validPatient()
	p.DeceasedDate = testNow.Format(time.DateOnly) // died today
	p.Email = " ann.smith+clinic@mail.example.org "
	p.Insurance = Insurance{Payer: " Acme Health ", MemberID: "XJ 1234/5", Group: "G-9"}
	p.Guardian = Guardian{Name: " Bo Smith ", Relationship: "Father", Phone: "555 0100"}
	if err := p.Validate(testNow); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !p.Deceased || p.Email != "ann.smith+clinic@mail.example.org" || p.Insurance.Payer != "Acme Health" || p.Guardian.Name != "Bo Smith" {
		t.Errorf("not cleaned: %+v", p)
	}
}

func TestActiveLeavesOutInactiveDeceasedAndRetired(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(p *Patient)
		want bool
	}{
		{"active", func(*Patient) {}, true},
		{"inactive", func(p *Patient) { p.Inactive = true }, false},
		{"deceased", func(p *Patient) { p.Deceased = true }, false},
		{"retired by a merge", func(p *Patient) { p.Merged = &PatientMerge{Into: "other"} }, false},
	} {
		p := validPatient()
		c.edit(&p)
		s := p.Summary()
		if p.Active() != c.want || p.InRecalls() != c.want || s.Active() != c.want {
			t.Errorf("%s: Active %v, InRecalls %v, summary %v; want %v", c.name, p.Active(), p.InRecalls(), s.Active(), c.want)
		}
	}
}

func TestNeedsGuardianUntilTheEighteenthBirthday(t *testing.T) {
	p := validPatient()
	p.BirthDate = "2008-11-24" // 18 tomorrow
	if !p.NeedsGuardian(testNow) {
		t.Error("the day before the 18th birthday: a guardian should be asked for")
	}
	if p.NeedsGuardian(testNow.AddDate(0, 0, 1)) {
		t.Error("on the 18th birthday: no guardian should be asked for")
	}
	p.Guardian = Guardian{Name: "Bo"}
	if p.NeedsGuardian(testNow) {
		t.Error("a minor with a guardian recorded: nothing to ask")
	}
}

func TestSearchHidesInactiveUntilAsked(t *testing.T) {
	ps := searchFixture()
	ps[0].Inactive = true                   // Ann Smith
	ps[3].Deceased = true                   // Joann Smith
	ps[1].Merged = &PatientMerge{Into: "a"} // Annabel Smithers
	ix := NewPatientIndex(ps)
	if got := hitIDs(ix.Search("smith", 10)); got != "g" {
		t.Errorf("Search(smith) = %q, want only g (MRN SMITH)", got)
	}
	if got := ix.FindWith("smith", 10, true); hitIDs(got.Patients) != "g a d b" || got.Total != 4 {
		t.Errorf("FindWith(smith, inactive) = %q (%d), want g a d b", hitIDs(got.Patients), got.Total)
	}
	recent := ix.Find("", 50)
	if recent.Total != len(ps)-3 || len(recent.Patients) != len(ps)-3 {
		t.Errorf("recent: %d of %d, want %d", len(recent.Patients), recent.Total, len(ps)-3)
	}
	ps[0].Inactive = false
	ix.Put(ps[0])
	if got := ix.Find("", 50); got.Total != len(ps)-2 {
		t.Errorf("after reactivating: total %d, want %d", got.Total, len(ps)-2)
	}
	if got := hitIDs(ix.MergedInto("a")); got != "b" {
		t.Errorf("MergedInto(a) = %q, want b", got)
	}
}
