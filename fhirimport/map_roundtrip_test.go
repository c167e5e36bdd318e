package fhirimport

import (
	"testing"

	"outpost/chart"
)

// TestMapPatientRoundTripFields: what Outpost's export writes for a
// chart's medications, results, visit diagnoses, imported encounters and
// emergency contact reads back as the chart had it (the round trip test
// in fhirexport found each of these lost or changed).
func TestMapPatientRoundTripFields(t *testing.T) {
	patient := `{"resourceType":"Patient","id":"p1","name":[{"family":"Doe","given":["Ann"]}],"birthDate":"1970-01-01",
	 "contact":[{"relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0131","code":"C","display":"Emergency Contact"}]}],
	  "name":{"text":"Bo Doe"}}]}`
	enc := `{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},
	 "type":[{"coding":[{"system":"urn:outpost:encounter-type","code":"office","display":"Office visit"}],"text":"Well child visit"}],
	 "period":{"start":"2024-03-01T09:00:00+00:00"},"diagnosis":[{"condition":{"reference":"Condition/d1"}},{"condition":{"reference":"Condition/d2"}}]}`
	dx := func(id string) string {
		return `{"resourceType":"Condition","id":"` + id + `","category":[{"coding":[{"code":"encounter-diagnosis"}]}],
		 "code":{"text":"Back pain"},"encounter":{"reference":"Encounter/e1"}}`
	}
	old := `{"resourceType":"MedicationRequest","id":"m0","status":"completed","intent":"order","medicationCodeableConcept":{"text":"ibuprofen"}}`
	med := `{"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order","medicationCodeableConcept":{"text":"ibuprofen"},
	 "priorPrescription":{"reference":"MedicationRequest/m0"},
	 "dosageInstruction":[{"text":"mg oral twice daily","route":{"text":"oral"},"timing":{"code":{"text":"twice daily"}},
	  "doseAndRate":[{"doseQuantity":{"unit":"mg"}}]}]}`
	typed := `{"resourceType":"MedicationRequest","id":"m2","status":"active","intent":"order","medicationCodeableConcept":{"text":"ibuprofen"},
	 "dosageInstruction":[{"text":"5 mg","patientInstruction":"5 mg","doseAndRate":[{"doseQuantity":{"value":5,"unit":"mg"}}]}]}`
	lab := `{"resourceType":"Observation","id":"o1","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
	 "code":{"text":"HBsAg"},"effectiveDateTime":"2024-03-01T09:05:00Z","valueString":"negative",
	 "extension":[{"url":"urn:outpost:fhir:resulted-date","valueDateTime":"2024-03-04"}]}`
	report := `{"resourceType":"DiagnosticReport","id":"r1","status":"final",
	 "code":{"coding":[{"system":"http://loinc.org","code":"11502-2","display":"Laboratory report"}]},"result":[{"reference":"Observation/o1"}]}`
	preg := `{"resourceType":"Observation","id":"pg","status":"final","category":[{"coding":[{"code":"social-history"}]}],
	 "code":{"coding":[{"system":"http://loinc.org","code":"82810-3"}]},"effectiveDateTime":"2024-03-01",
	 "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA15173-0","display":"Pregnant"}]},"note":[{"text":"first"}],
	 "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8665-2"}]},"valueDateTime":"2024-01-10"},
	  {"code":{"coding":[{"system":"http://loinc.org","code":"11778-8"}]},"valueDateTime":"2024-10-16"}]}`
	g, r := synthetic(t, patient, enc, dx("d1"), dx("d2"), old, med, typed, lab, report, preg)
	recs, outs := MapPatient(g, r, testIDs)
	for _, o := range outs {
		if o.Status != Imported {
			t.Errorf("%s %s: %s %s", o.Type, o.ID, o.Status, o.Reason)
		}
	}
	if ec := recs.Patient.EmergencyContact; ec.Name != "Bo Doe" || ec.Relationship != "" {
		t.Errorf("emergency contact %+v: the role alone is no relationship", ec)
	}
	if e := recs.Encounters[0]; e.Class != "AMB" || e.Type != chart.EncounterOffice || e.TypeText != "Well child visit" ||
		len(e.Diagnoses) != 2 {
		t.Errorf("encounter %+v: an imported encounter keeps its class; two Conditions are two diagnoses, each once", e)
	}
	m := recs.Medications[1]
	if m.Instructions != "" || m.Dose != "" || m.Unit != "mg" || m.Route != "oral" || m.Frequency != "twice daily" ||
		m.RenewalOf != testIDs("MedicationRequest/m0") {
		t.Errorf("medication %+v: the sig is its parts, not instructions; the unit alone; renews m0", m)
	}
	if m := recs.Medications[2]; m.Instructions != "5 mg" {
		t.Errorf("medication %+v: instructions someone wrote are kept, even when they repeat the sig", m)
	}
	if len(recs.Pregnancy) != 1 || recs.Pregnancy[0] != (chart.PregnancyStatus{Meta: recs.Pregnancy[0].Meta, Date: "2024-03-01",
		Status: chart.PregnancyPregnant, LMP: "2024-01-10", EDD: "2024-10-16", Comment: "first"}) {
		t.Errorf("pregnancy %+v", recs.Pregnancy)
	}
	if res := recs.Results[0]; res.ResultedAt != "2024-03-04" || res.ReportName != "" || res.ReportID != testIDs("DiagnosticReport/r1") {
		t.Errorf("result %+v: resulted that day, in a report named nothing", res)
	}
}
