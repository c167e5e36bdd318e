package chart

import (
	"fmt"
	"testing"
)

// A search for punctuation alone matches no one: not every hyphenated
// name for "-", not the recent-patients list for "'".
func TestSearchForPunctuationAloneMatchesNoOne(t *testing.T) {
	ps := searchFixture()
	ps = append(ps, Patient{ID: "i", GivenName: "Mary-Jane", FamilyName: "Smith-Jones", BirthDate: "1970-01-01", MRN: "E-5001"})
	ix := NewPatientIndex(ps)
	for _, q := range []string{"-", "'", "’", ".", "/", "()", "+", "- '", "--", "\u00a0-"} {
		if got := hitIDs(ix.Search(q, 0)); got != "" {
			t.Errorf("Search(%q) = [%s], want nothing", q, got)
		}
		if f := ix.Find(q, 0); len(f.Patients) != 0 || f.Total != 0 || !f.Unsearchable {
			t.Errorf("Find(%q) = %+v, want nothing, marked unsearchable", q, f)
		}
	}
	// Punctuation beside a real term is ignored, not matched.
	if got := hitIDs(ix.Search("smith -", 0)); got != "g a d i b" {
		t.Errorf("Search(smith -) = [%s]", got)
	}
	if got := hitIDs(ix.Search("mary-jane", 0)); got != "i" {
		t.Errorf("Search(mary-jane) = [%s]", got)
	}
}

// Find says how many patients matched in all, beyond the page shown.
func TestFindCountsEveryMatch(t *testing.T) {
	var ps []Patient
	for i := range 137 {
		ps = append(ps, Patient{ID: PatientID(fmt.Sprintf("p%03d", i)), GivenName: fmt.Sprintf("Given%03d", i), FamilyName: "Nguyen", BirthDate: "1990-01-01"})
	}
	ps = append(ps, Patient{ID: "other", GivenName: "Ann", FamilyName: "Smith", BirthDate: "1990-01-01"})
	ix := NewPatientIndex(ps)
	f := ix.Find("nguyen", 50)
	if len(f.Patients) != 50 || f.Total != 137 || f.Unsearchable {
		t.Fatalf("Find(nguyen, 50) = %d shown of %d, want 50 of 137", len(f.Patients), f.Total)
	}
	// Even when the best rank fills the page early, every match is counted.
	ix.Put(Patient{ID: "mrn", GivenName: "Zed", FamilyName: "Zulu", MRN: "NGUYEN", BirthDate: "1990-01-01"})
	if f := ix.Find("nguyen", 1); f.Total != 138 || hitIDs(f.Patients) != "mrn" {
		t.Errorf("Find(nguyen, 1) = [%s] of %d, want [mrn] of 138", hitIDs(f.Patients), f.Total)
	}
	if f := ix.Find("given01", 50); f.Total != 10 || len(f.Patients) != 10 {
		t.Errorf("Find(given01) = %d of %d", len(f.Patients), f.Total)
	}
	if f := ix.Find("", 50); f.Total != 139 || len(f.Patients) != 50 {
		t.Errorf("Find(\"\") = %d of %d, want 50 recent of 139", len(f.Patients), f.Total)
	}
}
