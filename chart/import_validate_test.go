package chart

import (
	"strings"
	"testing"
)

func TestImportValidateRefusesBadInput(t *testing.T) {
	proc := func(edit func(*Procedure)) func() error {
		return func() error {
			p := Procedure{Code: Coded{System: SystemSNOMED, Code: "274474001", Display: "Bone immobilization"},
				Status: "completed", Performed: "2026-03-02T12:00"}
			edit(&p)
			return p.Validate(validateNow)
		}
	}
	src := func(edit func(*SourceDocument)) func() error {
		return func() error {
			d := SourceDocument{ImportID: "imp-1", File: "a.json", Part: 1, Parts: 1, NDJSON: `{"resourceType":"Claim"}`}
			edit(&d)
			return d.Validate(validateNow)
		}
	}
	patient := func(edit func(*Patient)) func() error {
		return func() error {
			p := Patient{GivenName: "Ada", FamilyName: "Okafor", BirthDate: "1980-03-12"}
			edit(&p)
			return p.Validate(validateNow)
		}
	}
	cases := []struct {
		name, field string
		validate    func() error
	}{
		{"procedure without a name", "code", proc(func(p *Procedure) { p.Code.Display = "" })},
		{"procedure status", "status", proc(func(p *Procedure) { p.Status = "done-ish" })},
		{"procedure in the future", "performed", proc(func(p *Procedure) { p.Performed = "2027-01-01" })},
		{"procedure ends before it starts", "performedEnd", proc(func(p *Procedure) { p.PerformedEnd = "2026-03-01T12:00" })},
		{"procedure visit id", "encounterId", proc(func(p *Procedure) { p.EncounterID = "visit 3" })},
		{"source document empty", "ndjson", src(func(d *SourceDocument) { d.NDJSON = " " })},
		{"source document part", "part", src(func(d *SourceDocument) { d.Part = 2 })},
		{"source document too big", "ndjson", src(func(d *SourceDocument) { d.NDJSON = strings.Repeat("x", MaxSourceDocumentLen+1) })},
		{"source document not text", "ndjson", src(func(d *SourceDocument) { d.NDJSON = "\xff\xfe" })},
		{"identifier without value", "identifiers", patient(func(p *Patient) { p.Identifiers = []Identifier{{System: "urn:x"}} })},
		{"email", "email", patient(func(p *Patient) { p.Email = "not an address" })},
		{"death before birth", "deceasedDate", patient(func(p *Patient) { p.DeceasedDate = "1970-01-01" })},
		{"encounter ends before it starts", "end", func() error {
			e := Encounter{Type: EncounterOther, Class: "IMP", Start: "2026-03-02T10:00", End: "2026-03-02T09:00"}
			return e.Validate(validateNow)
		}},
		{"problem verification", "verification", func() error {
			p := Problem{Condition: Coded{Display: "Asthma"}, Verification: "maybe"}
			return p.Validate(validateNow)
		}},
		{"problem abates before onset", "abatement", func() error {
			p := Problem{Condition: Coded{Display: "Asthma"}, Onset: "2020-05", Abatement: "2019"}
			return p.Validate(validateNow)
		}},
		{"result report id", "reportId", func() error {
			r := Result{Test: Coded{Display: "Hb"}, Value: "13", ReportID: "panel"}
			return r.Validate(validateNow)
		}},
		{"imported note date", "imported.date", func() error {
			n := Note{Title: "Letter", Imported: &ImportedNote{AuthorName: "Dr A", Date: "yesterday"}}
			return n.Validate(validateNow)
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

func TestImportValidateAcceptsWhatImportsBring(t *testing.T) {
	e := Encounter{Type: EncounterOther, Class: "EMER", TypeText: "Emergency room admission",
		Start: "2026-03-02T10:00", End: "2026-03-02T13:00"}
	p := Problem{Condition: Coded{System: SystemSNOMED, Code: "44054006", Display: "Diabetes"}, Onset: "2019-05-01",
		Abatement: "2021", Verification: "confirmed", Status: ProblemResolved}
	n := Note{Title: "Letter", Imported: &ImportedNote{AuthorName: "", Date: "2026-03-02"}}
	pt := Patient{GivenName: "Ada", FamilyName: "Okafor", BirthDate: "1930-03-12", DeceasedDate: "2001-02-03",
		Identifiers: []Identifier{{System: "urn:oid:2.16.840.1.113883.4.1", Value: "999-12-3456", Type: "SS"}}}
	for _, err := range []error{e.Validate(validateNow), p.Validate(validateNow), n.Validate(validateNow), pt.Validate(validateNow)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n.Imported.AuthorName != "Unknown author" || !pt.Deceased {
		t.Fatalf("normalised note %+v, patient deceased %v", n.Imported, pt.Deceased)
	}
	a, b := Identifier{System: "urn:x", Value: " ab-1 "}, Identifier{System: "urn:x", Value: "AB-1"}
	if !SameIdentifier(a, b) || SameIdentifier(Identifier{Value: "1"}, Identifier{Value: "1"}) {
		t.Fatal("SameIdentifier: same system and value (any case) match; no system never does")
	}
}

func TestMatchImportFindsByIdentifierNameAndSimilarName(t *testing.T) {
	ix := NewPatientIndex([]Patient{
		{ID: "a", GivenName: "Quilla", FamilyName: "Marchbanks", BirthDate: "1958-07-30",
			Identifiers: []Identifier{{System: "urn:mrn", Value: "77"}}},
		{ID: "b", GivenName: "Quill", FamilyName: "Oduya", BirthDate: "1958-07-30"},
		{ID: "c", GivenName: "Quilla", FamilyName: "Marchbanks", BirthDate: "1990-01-01"},
	})
	m := ix.MatchImport(&Patient{GivenName: "QUILLA", FamilyName: "marchbanks", BirthDate: "1958-07-30"})
	if len(m.Exact) != 1 || m.Exact[0].ID != "a" || len(m.Similar) != 1 || m.Similar[0].ID != "b" || len(m.ByIdentifier) != 0 {
		t.Fatalf("matches %+v", m)
	}
	m = ix.MatchImport(&Patient{GivenName: "Other", FamilyName: "Name", BirthDate: "2000-01-01",
		Identifiers: []Identifier{{System: "urn:mrn", Value: "77"}}})
	if len(m.ByIdentifier) != 1 || m.ByIdentifier[0].ID != "a" || len(m.Exact)+len(m.Similar) != 0 {
		t.Fatalf("matches %+v", m)
	}
}
