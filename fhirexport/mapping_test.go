package fhirexport_test

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/fhirexport"
)

// exampleChart is a small chart with one record of each case the brief
// names, so each mapping is asserted by value.
func exampleChart() chart.PatientRecords {
	pid := chart.PatientID("01930000-0000-7000-8000-0000000000a1")
	m := func(id string) chart.Meta {
		return chart.Meta{ID: chart.RecordID("01930000-0000-7000-8000-0000000000" + id), PatientID: pid, CreatedAt: testNow.Add(-time.Hour)}
	}
	sys, dia := 150.0, 95.0
	spo2 := 97.0
	return chart.PatientRecords{
		Patient: chart.Patient{ID: pid, MRN: "123456789", GivenName: "Ada", FamilyName: "Okafor", BirthDate: "1980-03-12", Sex: chart.SexFemale},
		Allergies: []chart.Allergy{{Meta: m("b1"), Substance: chart.Coded{System: chart.SystemAllergyClass, Code: "penicillins", Display: "Penicillins"},
			Type: "allergy", Reaction: "hives", Severity: "moderate", Verification: "confirmed"}},
		Medications: []chart.Medication{{Meta: m("c1"), Drug: chart.Coded{System: chart.SystemRxNorm, Code: "197361", Display: "amlodipine 5 MG Oral Tablet"},
			Dose: "5", Unit: "mg", Frequency: "once daily", Status: chart.MedActive, Source: chart.MedPatientReported}},
		Vitals: []chart.VitalsRecord{{Meta: m("d1"), TakenAt: "2026-03-04T09:30", Signs: chart.VitalSigns{Systolic: &sys, Diastolic: &dia, SpO2: &spo2},
			Flags: []chart.VitalFlag{{Field: chart.VitalSystolic, Level: chart.FlagHigh}}}},
		Immunizations: []chart.Immunization{{Meta: m("e1"), Vaccine: chart.Coded{System: chart.SystemCVX, Code: "140", Display: "Influenza"},
			Date: "2026-10-01", Source: "given", Refused: true, RefusalReason: "prefers to wait"}},
		Results: []chart.Result{{Meta: m("f1"), Test: chart.Coded{System: chart.SystemLOINC, Code: "1920-8", Display: "AST"},
			Value: "<5", Unit: "U/L", RefHigh: "40", Flag: "low", CollectedAt: "2026-03-04T09:30"}},
	}
}

// exported is each resource's JSON (in the order the export writes its
// fields) by id.
func exported(t *testing.T, recs chart.PatientRecords, opts fhirexport.Options) map[string]string {
	t.Helper()
	entries, err := fhirexport.Resources(recs, opts)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		out[e.ID] = jsonOf(e.Resource)
	}
	return out
}

func jsonOf(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}

func TestMappingsByValue(t *testing.T) {
	opts := testOptions()
	opts.Zone = time.FixedZone("UTC-7", -7*3600)
	res := exported(t, exampleChart(), opts)
	id := func(s string) string { return res["01930000-0000-7000-8000-0000000000"+s] }

	allergy := (id("b1"))
	for _, want := range []string{`"code":{"text":"Penicillins"}`, `"category":["medication"]`, `"manifestation":[{"text":"hives"}],"severity":"moderate"`} {
		if !strings.Contains(allergy, want) {
			t.Errorf("class allergy: want %s in %s", want, allergy)
		}
	}
	med := (id("c1"))
	for _, want := range []string{`"intent":"plan"`, `"reportedBoolean":true`, `"requester":{"reference":"urn:uuid:01930000-0000-7000-8000-0000000000a1"}`,
		`"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"197361"`, `"doseQuantity":{"value":5,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}`} {
		if !strings.Contains(med, want) {
			t.Errorf("reported medication: want %s in %s", want, med)
		}
	}
	panel := (id("d1"))
	if !strings.Contains(panel, `"code":"85353-1"`) || !strings.Contains(panel, `"effectiveDateTime":"2026-03-04T09:30:00-07:00"`) {
		t.Errorf("vitals panel: %s", panel)
	}
	all := ""
	for _, r := range res {
		all += r
	}
	for _, want := range []string{`"code":"85354-9"`, `"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"`,
		`"valueQuantity":{"value":150,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"},"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"H"`,
		`"code":"2708-6"`, `"code":"59408-5"`} {
		if !strings.Contains(all, want) {
			t.Errorf("vital signs: want %s", want)
		}
	}
	imm := (id("e1"))
	if !strings.Contains(imm, `"status":"not-done"`) || !strings.Contains(imm, `"code":"PATOBJ"`) || !strings.Contains(imm, `"text":"prefers to wait"`) {
		t.Errorf("refused immunization: %s", imm)
	}
	lab := (id("f1"))
	if !strings.Contains(lab, `"valueQuantity":{"value":5,"comparator":"\u003c","unit":"U/L"`) || !strings.Contains(lab, `"high":{"value":40`) {
		t.Errorf("lab with comparator: %s", lab)
	}
	if strings.Contains(all, "No known allergy") {
		t.Error("a chart with an allergy listed also says no known allergies")
	}

	nka := exampleChart()
	nka.Allergies, nka.NoKnownAllergies = nil, true
	if s := strings.Join(slices.Collect(maps.Values(exported(t, nka, opts))), ""); !strings.Contains(s, `"code":"716186003"`) {
		t.Errorf("no known allergies: not coded 716186003")
	}
}

// TestEnteredInErrorNotExported: a retracted record is not in the export
// and nothing refers to it.
func TestEnteredInErrorNotExported(t *testing.T) {
	c := exampleChart()
	c.Medications[0].EnteredInError = &chart.EnteredInError{At: testNow, Reason: "wrong patient"}
	if s := strings.Join(slices.Collect(maps.Values(exported(t, c, testOptions()))), ""); strings.Contains(s, string(c.Medications[0].ID)) {
		t.Fatal("an entered-in-error medication was exported")
	}
}

// TestPatientBundle: a collection Bundle stamped with the export time, an
// identifier of its own, and one entry per resource with its fullUrl.
func TestPatientBundle(t *testing.T) {
	raw, err := fhirexport.PatientBundle(exampleChart(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		ResourceType, Type, Timestamp string
		Identifier                    struct{ System, Value string }
		Entry                         []struct {
			FullURL  string
			Resource struct{ ResourceType, ID string }
		}
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	entries, _ := fhirexport.Resources(exampleChart(), testOptions())
	if b.ResourceType != "Bundle" || b.Type != "collection" || b.Timestamp != "2026-12-05T10:00:00Z" ||
		!strings.HasPrefix(b.Identifier.Value, "urn:uuid:") || len(b.Entry) != len(entries) {
		t.Fatalf("bundle: %+v", b)
	}
	for i, e := range b.Entry {
		if e.FullURL != "urn:uuid:"+e.Resource.ID || e.Resource.ResourceType != entries[i].Type {
			t.Fatalf("entry %d: %+v", i, e)
		}
	}
	if b.Entry[0].Resource.ResourceType != "Patient" {
		t.Fatal("the patient is not the first entry")
	}
}

// TestEndBeforeStartLeftOut: FHIR forbids a period that ends before it
// starts (per-1); the export leaves the end out and says so.
func TestEndBeforeStartLeftOut(t *testing.T) {
	c := exampleChart()
	c.Encounters = []chart.Encounter{{Meta: chart.Meta{ID: "01930000-0000-7000-8000-0000000000g1"}, Type: chart.EncounterOther,
		Class: "IMP", Start: "2026-03-04T09:30", End: "2026-03-03T10:00"}}
	entries, err := fhirexport.Resources(c, testOptions())
	var warn *fhirexport.Warnings
	if !errors.As(err, &warn) || !strings.Contains(warn.Error(), "ends (2026-03-03T10:00) before it starts") {
		t.Fatalf("want a warning, got %v", err)
	}
	for _, e := range entries {
		if e.Type == "Encounter" && strings.Contains(jsonOf(e.Resource), `"end"`) {
			t.Fatalf("the end was exported: %s", jsonOf(e.Resource))
		}
	}
}
