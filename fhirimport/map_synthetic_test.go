package fhirimport

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhir"
)

// synthetic builds a group from JSON resources (the first is the Patient).
func synthetic(t testing.TB, resources ...string) (PatientGroup, *mapResolver) {
	var list []fhir.Resource
	for i, s := range resources {
		res := resourceOf(t, json.RawMessage(s), "", fhir.Location{File: "test.ndjson", Line: i + 1, Entry: -1})
		list = append(list, res)
	}
	return groupOf(t, list, "test"), newMapResolver(list)
}

const testPatient = `{"resourceType":"Patient","id":"p1","name":[{"family":"Doe","given":["Ann"]}],"birthDate":"1970-01-01","gender":"female",
 "extension":[{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity","valueCodeableConcept":{"text":"Identifies as female gender"}}]}`

const testEncounter = `{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"EMER"},
 "period":{"start":"2020-05-01T10:00:00-05:00"},"reasonCode":{"text":"Chest pain"}}`

func vital(id, code, value, unit string) string {
	return `{"resourceType":"Observation","id":"` + id + `","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
	 "code":{"coding":[{"system":"http://loinc.org","code":"` + code + `"}]},"encounter":{"reference":"Encounter/e1"},
	 "effectiveDateTime":"2020-05-01T10:05:00-05:00","valueQuantity":{"value":` + value + `,"code":"` + unit + `"}}`
}

// TestMapPatientRefusedVitalSkippedAlone: a reading the chart refuses is
// not charted (skipped, naming the chart's rule; the original keeps it),
// and the rest of its set is kept.
func TestMapPatientRefusedVitalSkippedAlone(t *testing.T) {
	g, r := synthetic(t, testPatient, testEncounter,
		vital("w", "29463-7", "154", "[lb_av]"),
		vital("t", "8310-5", "212", "[degF]"), // 100 °C: not possible
		vital("h", "8867-4", "72", "/min"))
	recs, outs := MapPatient(g, r, testIDs)
	if outs[3].Status != Skipped || !strings.Contains(outs[3].Reason, "temperature") || !strings.Contains(outs[3].Reason, "original JSON") {
		t.Errorf("the impossible temperature: %+v", outs[3])
	}
	for _, k := range []int{2, 4} {
		if outs[k].Status != Imported {
			t.Errorf("outcome %d: %+v", k, outs[k])
		}
	}
	if len(recs.Vitals) != 1 {
		t.Fatalf("%d vitals sets", len(recs.Vitals))
	}
	v := recs.Vitals[0]
	if v.Signs.Temperature != nil || v.Signs.Weight == nil || math.Abs(*v.Signs.Weight-69.853) > 1e-9 || *v.Signs.HeartRate != 72 ||
		v.TakenAt != "2020-05-01T10:05" || v.EncounterID != testIDs("Encounter/e1") {
		t.Errorf("vitals %+v", v)
	}
	if recs.Patient.GenderIdentity != "Identifies as female gender" {
		t.Errorf("gender identity %q", recs.Patient.GenderIdentity)
	}
	e := recs.Encounters[0]
	if e.Type != chart.EncounterOther || e.Class != "EMER" || e.Reason != "Chest pain" || e.Start != "2020-05-01T10:00" {
		t.Errorf("encounter with reasonCode as an object: %+v", e)
	}
}

// TestMapPatientAllergyEdgeCases: the edge case clinical-rule__allergy
// (no code) is kept as an allergy to an unknown substance, with a
// warning; "no known allergy" codes set the chart's flag instead.
func TestMapPatientAllergyEdgeCases(t *testing.T) {
	edge, err := os.ReadFile(filepath.Join(testdataFHIR, "edge-cases/cases/clinical-rule__allergy.json"))
	if err != nil {
		t.Fatal(err)
	}
	g, r := synthetic(t, testPatient, string(edge))
	recs, outs := MapPatient(g, r, testIDs)
	if outs[1].Status != Imported || !strings.Contains(outs[1].Reason, unknownSubstance) ||
		len(recs.Allergies) != 1 || recs.Allergies[0].Substance.Display != unknownSubstance {
		t.Errorf("allergy with no code: %+v %+v", outs[1], recs.Allergies)
	}
	nka := `{"resourceType":"AllergyIntolerance","id":"n","code":{"coding":[{"system":"http://snomed.info/sct","code":"716186003"}]},"patient":{"reference":"Patient/p1"}}`
	g, r = synthetic(t, testPatient, nka)
	recs, outs = MapPatient(g, r, testIDs)
	if !recs.NoKnownAllergies || len(recs.Allergies) != 0 || outs[1].Status != Imported {
		t.Errorf("no known allergies: %v %+v %+v", recs.NoKnownAllergies, recs.Allergies, outs[1])
	}
}

// TestMapPatientBadInputFailsAlone: a resource of the wrong shape fails
// with the rule, the others are mapped.
func TestMapPatientBadInputFailsAlone(t *testing.T) {
	g, r := synthetic(t, testPatient, `{"resourceType":"Condition","id":"c","code":"not a concept"}`,
		`{"resourceType":"Condition","id":"d","code":{"text":"Asthma"},"clinicalStatus":{"coding":[{"code":"relapse"}]}}`,
		`{"resourceType":"Claim","id":"x"}`)
	recs, outs := MapPatient(g, r, testIDs)
	if outs[1].Status != Failed || !strings.HasPrefix(outs[1].Reason, "structure:") {
		t.Errorf("bad condition: %+v", outs[1])
	}
	if outs[2].Status != Imported || len(recs.Problems) != 1 || recs.Problems[0].Status != chart.ProblemActive {
		t.Errorf("good condition: %+v %+v", outs[2], recs.Problems)
	}
	if outs[3].Status != Skipped || outs[3].Reason != reasonNoHome {
		t.Errorf("claim: %+v", outs[3])
	}
}

// TestMapPatientReportAttachmentsAndText: a report's results take its id
// and name; its PDF (known by its bytes) becomes an attachment of those
// results; a form that is not a PDF, PNG or JPEG is not kept; its text,
// not sent as a DocumentReference, becomes an imported note.
func TestMapPatientReportAttachmentsAndText(t *testing.T) {
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n%test\n"))
	fake := base64.StdEncoding.EncodeToString([]byte("<html>not a pdf</html>"))
	text := base64.StdEncoding.EncodeToString([]byte("Impression:\r\nnormal\r\n"))
	report := `{"resourceType":"DiagnosticReport","id":"r1","status":"final","code":{"text":"Lipid panel"},
	 "result":[{"reference":"Observation/o1"}],"issued":"2020-05-02T08:00:00Z",
	 "presentedForm":[{"contentType":"application/pdf","data":"` + pdf + `"},
	                  {"contentType":"application/pdf","data":"` + fake + `"},
	                  {"contentType":"text/plain","data":"` + text + `"}]}`
	lab := `{"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2093-3","display":"Cholesterol"}]},
	 "effectiveDateTime":"2020-05-01T09:00:00Z","valueQuantity":{"value":250,"unit":"mg/dL"},
	 "referenceRange":[{"high":{"value":200}}],"interpretation":[{"coding":[{"code":"H"}]}]}`
	g, r := synthetic(t, testPatient, report, lab)
	recs, outs := MapPatient(g, r, testIDs)
	if outs[1].Status != Imported || outs[2].Status != Imported {
		t.Fatalf("outcomes %+v", outs)
	}
	if len(recs.Results) != 1 || len(recs.Attachments) != 1 || len(recs.Notes) != 1 {
		t.Fatalf("results %d attachments %d notes %d", len(recs.Results), len(recs.Attachments), len(recs.Notes))
	}
	res, att, note := recs.Results[0], recs.Attachments[0], recs.Notes[0]
	if res.ReportID != testIDs("DiagnosticReport/r1") || res.ReportName != "Lipid panel" || res.Flag != chart.ResultHigh ||
		res.RefHigh != "200" || res.Value != "250" || res.Unit != "mg/dL" || len(res.AttachmentIDs) != 1 || res.AttachmentIDs[0] != att.Attachment.ID {
		t.Errorf("result %+v", res)
	}
	if att.Attachment.MediaType != "application/pdf" || len(att.ResultIDs) != 1 || att.ResultIDs[0] != res.ID ||
		att.Attachment.Size != int64(len("%PDF-1.4\n%test\n")) {
		t.Errorf("attachment %+v", att)
	}
	if note.Sections[0].Text != "Impression:\nnormal" || note.Title != "Lipid panel" || note.ID == res.ReportID {
		t.Errorf("note %+v", note)
	}
}

// TestMapPatientWholeOrNothing: when the Patient cannot be mapped (no
// birth date: the chart requires one), none of the patient's records is;
// a lab's results are kept (they only match an existing chart).
func TestMapPatientWholeOrNothing(t *testing.T) {
	noBirth := `{"resourceType":"Patient","id":"p1","name":[{"family":"Doe","given":["Ann"]}]}`
	cond := `{"resourceType":"Condition","id":"d","code":{"text":"Asthma"}}`
	g, r := synthetic(t, noBirth, testEncounter, cond, `{"resourceType":"Claim","id":"x"}`)
	recs, outs := MapPatient(g, r, testIDs)
	if outs[0].Status != Failed || !strings.Contains(outs[0].Reason, "birth") {
		t.Fatalf("patient: %+v", outs[0])
	}
	for _, k := range []int{1, 2} {
		if outs[k].Status != Failed || !strings.HasPrefix(outs[k].Reason, "patient-not-imported") {
			t.Errorf("outcome %d: %+v", k, outs[k])
		}
	}
	if outs[3].Status != Skipped || len(recs.Encounters)+len(recs.Problems) != 0 || len(recs.Sources) != 1 {
		t.Errorf("claim %+v, records %+v", outs[3], recs)
	}
	g.Lab = true
	recs, outs = MapPatient(g, r, testIDs)
	if outs[2].Status != Imported || len(recs.Problems) != 1 || !recs.Problems[0].Origin.External {
		t.Errorf("lab group: %+v %+v", outs[2], recs.Problems)
	}
	if recs.Patient.FamilyName != "Doe" { // what the store matches a lab's patient by
		t.Errorf("lab group's patient: %+v", recs.Patient)
	}
}

func TestFrequencyWords(t *testing.T) {
	yes := true
	cases := []struct {
		t    *fhir.Timing
		need *bool
		want string
	}{
		{&fhir.Timing{Repeat: &fhir.TimingRepeat{Frequency: 1, Period: "1", PeriodUnit: "d"}}, nil, "once a day"},
		{&fhir.Timing{Repeat: &fhir.TimingRepeat{Frequency: 2, Period: "1", PeriodUnit: "d"}}, &yes, "twice a day, as needed"},
		{&fhir.Timing{Repeat: &fhir.TimingRepeat{Frequency: 1, Period: "8", PeriodUnit: "h"}}, nil, "once every 8 hours"},
		{&fhir.Timing{Repeat: &fhir.TimingRepeat{Frequency: 1, Period: "1", PeriodUnit: "h"}}, nil, "once an hour"},
		{&fhir.Timing{Repeat: &fhir.TimingRepeat{Frequency: 3, Period: "1", PeriodUnit: "wk"}}, nil, "3 times a week"},
		{&fhir.Timing{Code: &fhir.CodeableConcept{Text: "at bedtime"}}, nil, "at bedtime"},
		{nil, &yes, "as needed"},
	}
	for _, c := range cases {
		if got := frequency(c.t, c.need); got != c.want {
			t.Errorf("frequency = %q, want %q", got, c.want)
		}
	}
}

// TestMapPatientMedicationForms: a drug named through a Medication
// resource, the dispense request, a stopped prescription, and a patient's
// own statement.
func TestMapPatientMedicationForms(t *testing.T) {
	med := `{"resourceType":"Medication","id":"m1","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076","display":"lisinopril 10 MG Oral Tablet"}]}}`
	req := `{"resourceType":"MedicationRequest","id":"r1","status":"stopped","intent":"order","medicationReference":{"reference":"Medication/m1"},
	 "authoredOn":"2019-02-03T10:00:00+01:00","dosageInstruction":[{"text":"1 tablet daily","route":{"text":"oral"},
	 "timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":10,"unit":"mg"}}]}],
	 "dispenseRequest":{"numberOfRepeatsAllowed":3,"quantity":{"value":30,"unit":"tablet"},"expectedSupplyDuration":{"value":4,"code":"wk"}}}`
	stmt := `{"resourceType":"MedicationStatement","id":"s1","status":"active","medicationCodeableConcept":{"text":"fish oil"},
	 "effectivePeriod":{"start":"2018-01-01"}}`
	plan := `{"resourceType":"MedicationRequest","id":"r2","status":"active","intent":"proposal","medicationCodeableConcept":{"text":"statin"}}`
	g, r := synthetic(t, testPatient, med, req, stmt, plan)
	recs, outs := MapPatient(g, r, testIDs)
	if outs[1].Status != Skipped || outs[4].Status != Skipped || outs[2].Status != Imported || outs[3].Status != Imported {
		t.Fatalf("outcomes %+v", outs)
	}
	m := recs.Medications[0]
	if m.Drug != (chart.Coded{System: chart.SystemRxNorm, Code: "314076", Display: "lisinopril 10 MG Oral Tablet"}) ||
		m.Status != chart.MedStopped || m.StopReason != "stopped at the source" || m.StartDate != "2019-02-03" ||
		m.Dose != "10" || m.Unit != "mg" || m.Route != "oral" || m.Frequency != "once a day" || m.Instructions != "1 tablet daily" ||
		m.Refills != 3 || m.Quantity != "30 tablet" || m.DaysSupply != 28 || m.Source != chart.MedPrescribedHere {
		t.Errorf("prescription %+v", m)
	}
	s := recs.Medications[1]
	if s.Drug.Display != "fish oil" || s.Drug.System != "" || s.Source != chart.MedPatientReported || s.StartDate != "2018-01-01" ||
		s.Status != chart.MedActive {
		t.Errorf("statement %+v", s)
	}
}

func TestMapPatientEncounterClasses(t *testing.T) {
	enc := func(id, class, typ string) string {
		return `{"resourceType":"Encounter","id":"` + id + `","status":"finished","class":{"code":"` + class + `"},` + typ +
			`"period":{"start":"2021-01-02T03:04:05Z","end":"2021-01-02T03:34:05Z"}}`
	}
	phone := `"type":[{"coding":[{"system":"http://snomed.info/sct","code":"185317003","display":"Telephone encounter"}]}],`
	g, r := synthetic(t, testPatient, enc("a", "AMB", ""), enc("h", "HH", ""), enc("v", "VR", ""), enc("t", "VR", phone), enc("i", "IMP", ""))
	recs, _ := MapPatient(g, r, testIDs)
	want := []chart.EncounterType{chart.EncounterOffice, chart.EncounterHome, chart.EncounterTelehealth, chart.EncounterTelephone, chart.EncounterOther}
	for k, e := range recs.Encounters {
		if e.Type != want[k] || e.End != "2021-01-02T03:34" {
			t.Errorf("encounter %d: %q (class %q), end %q; want %q", k, e.Type, e.Class, e.End, want[k])
		}
	}
	if len(recs.Encounters) != len(want) || recs.Encounters[4].Class != "IMP" {
		t.Errorf("%+v", recs.Encounters)
	}
}

// TestMapPatientNameAsText: a name given only as text (the edge case
// valid-edge__pat-security-good1) is split at its last space.
func TestMapPatientNameAsText(t *testing.T) {
	g, r := synthetic(t, `{"resourceType":"Patient","id":"x","name":[{"text":"Ann Marie Doe"}],"birthDate":"1980-02-03"}`)
	recs, outs := MapPatient(g, r, testIDs)
	if outs[0].Status != Imported || recs.Patient.GivenName != "Ann Marie" || recs.Patient.FamilyName != "Doe" {
		t.Errorf("%+v %q %q", outs[0], recs.Patient.GivenName, recs.Patient.FamilyName)
	}
}

// TestMapPatientReadsOutpostExport: what Outpost's own export writes for
// facts FHIR has no element for reads back into the same fields, so a
// chart exported and imported again is the chart it was.
func TestMapPatientReadsOutpostExport(t *testing.T) {
	patient := `{"resourceType":"Patient","id":"p1","name":[{"family":"Doe","given":["Ann"]}],"birthDate":"1970-01-01",
	 "address":[{"use":"home","line":["1 Farm Road"],"extension":[{"url":"urn:outpost:fhir:address-directions","valueString":"blue gate"}]}]}`
	enc := `{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"VR"},
	 "type":[{"coding":[{"system":"urn:outpost:encounter-type","code":"telephone","display":"Telephone consultation"}],"text":"Telephone consultation"}],
	 "period":{"start":"2024-03-01T09:00:00+00:00"}}`
	problem := `{"resourceType":"Condition","id":"c1","category":[{"coding":[{"code":"problem-list-item"}]}],
	 "clinicalStatus":{"coding":[{"code":"active"}]},"code":{"text":"Back pain"},
	 "extension":[{"url":"urn:outpost:fhir:chronic","valueBoolean":true}]}`
	diagnosis := `{"resourceType":"Condition","id":"c2","category":[{"coding":[{"code":"encounter-diagnosis"}]}],
	 "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"J06.9","display":"Acute upper respiratory infection"}]},
	 "encounter":{"reference":"Encounter/e1"}}`
	med := `{"resourceType":"MedicationRequest","id":"m1","status":"stopped","statusReason":{"text":"side effects"},"intent":"plan",
	 "reportedBoolean":true,"medicationCodeableConcept":{"text":"ibuprofen"},"requester":{"reference":"Patient/p1"},
	 "dosageInstruction":[{"text":"200 mg oral","patientInstruction":"with food"}],
	 "dispenseRequest":{"validityPeriod":{"start":"2024-01-01","end":"2024-02-01"}}}`
	panel := `{"resourceType":"Observation","id":"v1","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
	 "code":{"coding":[{"system":"http://loinc.org","code":"85353-1"}]},"effectiveDateTime":"2024-03-01T09:05:00Z",
	 "hasMember":[{"reference":"Observation/v1-pain"},{"reference":"Observation/v1-hr"}]}`
	pain := `{"resourceType":"Observation","id":"v1-pain","status":"final","category":[{"coding":[{"code":"survey"}]}],
	 "code":{"coding":[{"system":"http://loinc.org","code":"72514-3"}]},"effectiveDateTime":"2024-03-01T09:05:00Z",
	 "valueQuantity":{"value":4,"code":"{score}"}}`
	hr := `{"resourceType":"Observation","id":"v1-hr","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
	 "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"effectiveDateTime":"2024-03-01T09:05:00Z",
	 "valueQuantity":{"value":70,"code":"/min"}}`
	note := func(id, extra string) string {
		return `{"resourceType":"DocumentReference","id":"` + id + `","status":"current","type":{"text":"Progress note"},` + extra +
			`"content":[{"attachment":{"contentType":"text/plain","data":"` + base64.StdEncoding.EncodeToString([]byte("text of "+id)) + `"}}]}`
	}
	imm := `{"resourceType":"Immunization","id":"i1","status":"completed","vaccineCode":{"text":"flu"},"occurrenceDateTime":"2024-02-01",
	 "expirationDate":"2024-01-01","note":[{"text":"Given after the lot's expiry date: stock checked with the maker"}]}`
	g, r := synthetic(t, patient, enc, problem, diagnosis, med, panel, pain, hr,
		note("n1", ""), note("n2", `"relatesTo":[{"code":"appends","target":{"reference":"DocumentReference/n1"}}],`), imm)
	recs, outs := MapPatient(g, r, testIDs)
	for _, o := range outs {
		if o.Status != Imported {
			t.Errorf("%s %s: %s %s", o.Type, o.ID, o.Status, o.Reason)
		}
	}
	if recs.Patient.Address.Directions != "blue gate" {
		t.Errorf("directions %q", recs.Patient.Address.Directions)
	}
	if e := recs.Encounters[0]; e.Type != chart.EncounterTelephone || e.Class != "" || e.TypeText != "" ||
		len(e.Diagnoses) != 1 || e.Diagnoses[0].Code != "J06.9" {
		t.Errorf("encounter %+v", e)
	}
	if len(recs.Problems) != 1 || !recs.Problems[0].Chronic || recs.Problems[0].Condition.Display != "Back pain" {
		t.Errorf("problems %+v (the visit diagnosis belongs to its visit only)", recs.Problems)
	}
	if m := recs.Medications[0]; m.Source != chart.MedPatientReported || m.StopReason != "side effects" ||
		m.PrescriberName != "" || m.Instructions != "with food" || m.StartDate != "2024-01-01" || m.StopDate != "2024-02-01" {
		t.Errorf("medication %+v", m)
	}
	if len(recs.Vitals) != 1 || recs.Vitals[0].ID != testIDs("Observation/v1") || recs.Vitals[0].Signs.Pain == nil ||
		*recs.Vitals[0].Signs.Pain != 4 || *recs.Vitals[0].Signs.HeartRate != 70 {
		t.Errorf("vitals %+v", recs.Vitals)
	}
	if len(recs.Notes) != 2 || recs.Notes[1].AddendumTo != recs.Notes[0].ID || recs.Notes[0].AddendumTo != "" {
		t.Errorf("addendum: %+v", recs.Notes)
	}
	if im := recs.Immunizations[0]; im.ExpiredLotReason != "stock checked with the maker" {
		t.Errorf("immunization %+v", im)
	}
}
