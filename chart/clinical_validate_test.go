package chart

import (
	"strings"
	"testing"
	"time"
)

var validateNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.Local)

// fieldOf returns the field of err, failing unless it is an EINVALID field error.
func fieldOf(t *testing.T, err error) string {
	t.Helper()
	if ErrorCode(err) != EINVALID || ErrorMessage(err) == "" {
		t.Fatalf("error = %v, want a field error", err)
	}
	return ErrorField(err)
}

func TestClinicalValidateRefusesBadInput(t *testing.T) {
	long := strings.Repeat("x", MaxShortTextLen+1)
	cases := []struct {
		name, field string
		validate    func() error
	}{
		{"encounter type", "type", func() error {
			e := Encounter{Type: "walk-in", Start: "2026-11-23T09:00"}
			return e.Validate(validateNow)
		}},
		{"encounter start missing", "start", func() error { e := Encounter{}; return e.Validate(validateNow) }},
		{"encounter start not a time", "start", func() error { e := Encounter{Start: "2026-11-23 9am"}; return e.Validate(validateNow) }},
		{"encounter start future", "start", func() error { e := Encounter{Start: "2026-11-24T09:00"}; return e.Validate(validateNow) }},
		{"encounter reason too long", "reason", func() error {
			e := Encounter{Start: "2026-11-23T09:00", Reason: long}
			return e.Validate(validateNow)
		}},
		{"encounter diagnosis without name", "diagnoses", func() error {
			e := Encounter{Start: "2026-11-23T09:00", Diagnoses: []Coded{{System: SystemICD10CM, Code: "J02.9"}}}
			return e.Validate(validateNow)
		}},
		{"note kind", "kind", func() error { n := Note{Kind: "secret", Title: "x"}; return n.Validate(validateNow) }},
		{"note title", "title", func() error { n := Note{}; return n.Validate(validateNow) }},
		{"note duplicate section", "sections", func() error {
			n := Note{Title: "x", Sections: []NoteSection{{Key: "a", Label: "A"}, {Key: "a", Label: "A"}}}
			return n.Validate(validateNow)
		}},
		{"note section too long", "sections.a", func() error {
			n := Note{Title: "x", Sections: []NoteSection{{Key: "a", Label: "A", Text: strings.Repeat("y", MaxNoteSectionLen+1)}}}
			return n.Validate(validateNow)
		}},
		{"template without sections", "sections", func() error { tm := Template{Name: "x"}; return tm.Validate() }},
		{"problem onset format", "onset", func() error {
			p := Problem{Condition: Coded{Display: "Asthma"}, Onset: "spring 2019"}
			return p.Validate(validateNow)
		}},
		{"problem onset future", "onset", func() error {
			p := Problem{Condition: Coded{Display: "Asthma"}, Onset: "2027"}
			return p.Validate(validateNow)
		}},
		{"problem code system without code", "condition", func() error {
			p := Problem{Condition: Coded{Display: "Asthma", System: SystemICD10CM}}
			return p.Validate(validateNow)
		}},
		{"medication without drug", "drug", func() error { m := Medication{}; return m.Validate(validateNow) }},
		{"medication dose", "dose", func() error { m := Medication{Drug: Coded{Display: "x"}, Dose: "-5"}; return m.Validate(validateNow) }},
		{"medication refills", "refills", func() error { m := Medication{Drug: Coded{Display: "x"}, Refills: 120}; return m.Validate(validateNow) }},
		{"medication stop before start", "stopDate", func() error {
			m := Medication{Drug: Coded{Display: "x"}, StartDate: "2026-02-01", StopDate: "2026-01-01"}
			return m.Validate(validateNow)
		}},
		{"medication stopped without reason", "stopReason", func() error {
			m := Medication{Drug: Coded{Display: "x"}, Status: MedStopped}
			return m.Validate(validateNow)
		}},
		{"medication source", "source", func() error {
			m := Medication{Drug: Coded{Display: "x"}, Source: "internet"}
			return m.Validate(validateNow)
		}},
		{"allergy without substance", "substance", func() error { a := Allergy{}; return a.Validate(validateNow) }},
		{"allergy criticality", "criticality", func() error {
			a := Allergy{Substance: Coded{Display: "x"}, Criticality: "extreme"}
			return a.Validate(validateNow)
		}},
		{"allergy verification", "verification", func() error {
			a := Allergy{Substance: Coded{Display: "x"}, Verification: "maybe"}
			return a.Validate(validateNow)
		}},
		{"result without value", "value", func() error { r := Result{Test: Coded{Display: "Hb"}}; return r.Validate(validateNow) }},
		{"result range reversed", "refHigh", func() error {
			r := Result{Test: Coded{Display: "Hb"}, Value: "1", RefLow: "10", RefHigh: "5"}
			return r.Validate(validateNow)
		}},
		{"result flag", "flag", func() error {
			r := Result{Test: Coded{Display: "Hb"}, Value: "1", Flag: "bad"}
			return r.Validate(validateNow)
		}},
		{"result collected future", "collectedAt", func() error {
			r := Result{Test: Coded{Display: "Hb"}, Value: "1", CollectedAt: "2027-01-01"}
			return r.Validate(validateNow)
		}},
		{"immunization date missing", "date", func() error { im := Immunization{Vaccine: Coded{Display: "MMR"}}; return im.Validate(validateNow) }},
		{"immunization dose number", "doseNumber", func() error {
			im := Immunization{Vaccine: Coded{Display: "MMR"}, Date: "2026-01-01", DoseNumber: 50}
			return im.Validate(validateNow)
		}},
		{"immunization expiry", "expiry", func() error {
			im := Immunization{Vaccine: Coded{Display: "MMR"}, Date: "2026-01-01", Expiry: "31/12/2027"}
			return im.Validate(validateNow)
		}},
		{"immunization control character", "lot", func() error {
			im := Immunization{Vaccine: Coded{Display: "MMR"}, Date: "2026-01-01", Lot: "A\x07B"}
			return im.Validate(validateNow)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldOf(t, tc.validate()); got != tc.field {
				t.Fatalf("field = %q, want %q", got, tc.field)
			}
		})
	}
}

func TestClinicalValidateNormalises(t *testing.T) {
	e := Encounter{Start: " 2026-11-23T09:00 ", Reason: "  cough  "}
	if err := e.Validate(validateNow); err != nil || e.Type != EncounterOffice || e.Reason != "cough" || e.Start != "2026-11-23T09:00" {
		t.Fatalf("encounter = %+v, %v", e, err)
	}
	a := Allergy{Substance: Coded{Display: "Penicillin"}}
	if err := a.Validate(validateNow); err != nil || a.Type != "allergy" || a.Verification != AllergyUnconfirmed {
		t.Fatalf("allergy = %+v, %v", a, err)
	}
	m := Medication{Drug: Coded{Display: "Amoxicillin"}, Dose: "0,5"}
	if err := m.Validate(validateNow); err != nil || m.Status != MedActive || m.Source != MedPrescribedHere {
		t.Fatalf("medication = %+v, %v", m, err)
	}
	p := Problem{Condition: Coded{Display: "Gout"}, Onset: "2019-03"}
	if err := p.Validate(validateNow); err != nil || p.Status != ProblemActive {
		t.Fatalf("problem = %+v, %v", p, err)
	}
	im := Immunization{Vaccine: Coded{Display: "Td", System: SystemCVX, Code: "09"}, Date: "2026-11-23"}
	if err := im.Validate(validateNow); err != nil || im.Source != "given" {
		t.Fatalf("immunization = %+v, %v", im, err)
	}
}

func TestResultFlagFromRange(t *testing.T) {
	for _, tc := range []struct{ value, low, high, flag, want string }{
		{"6.1", "3.5", "5.1", "", ResultHigh},
		{"3.0", "3.5", "5.1", "", ResultLow},
		{"4,2", "3.5", "5.1", "", ResultNormal},
		{"120", "", "140", "", ResultNormal},
		{"positive", "3.5", "5.1", "", ""},
		{"9", "", "", "", ""},
		{"6.1", "3.5", "5.1", ResultCritical, ResultCritical},
	} {
		r := Result{Test: Coded{Display: "K"}, Value: tc.value, RefLow: tc.low, RefHigh: tc.high, Flag: tc.flag}
		if err := r.Validate(validateNow); err != nil || r.Flag != tc.want {
			t.Errorf("value %s in [%s, %s]: flag %q, %v; want %q", tc.value, tc.low, tc.high, r.Flag, err, tc.want)
		}
	}
}

func TestNoteHasText(t *testing.T) {
	n := Note{Sections: []NoteSection{{Key: "a", Text: "  "}}}
	if n.HasText() {
		t.Fatal("blank note has text")
	}
	n.Sections = append(n.Sections, NoteSection{Key: "b", Text: "seen"})
	if !n.HasText() {
		t.Fatal("note with text has none")
	}
}

func TestBuiltInTemplates(t *testing.T) {
	ts, err := BuiltInTemplates()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]NoteKind{"builtin-acute-soap": NoteClinical, "builtin-chronic-followup": NoteClinical,
		"builtin-well-child": NoteClinical, "builtin-home-nursing": NoteNursing}
	if len(ts) != len(want) {
		t.Fatalf("%d templates, want %d", len(ts), len(want))
	}
	for _, tm := range ts {
		if kind, ok := want[tm.ID]; !ok || kind != tm.Kind || !tm.BuiltIn || !strings.HasPrefix(tm.ID, BuiltInTemplateIDPrefix) {
			t.Errorf("template %+v", tm)
		}
	}
	soap := ts[0]
	var keys []string
	for _, s := range soap.Sections {
		keys = append(keys, s.Key)
	}
	if strings.Join(keys, ",") != "subjective,objective,assessment,plan" {
		t.Fatalf("SOAP sections = %v", keys)
	}
	ts[0].Sections[0].Label = "changed"
	again, _ := BuiltInTemplates()
	if again[0].Sections[0].Label != "Subjective" {
		t.Fatal("BuiltInTemplates returned shared slices")
	}
}
