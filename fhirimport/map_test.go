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

// blazePatient has allergies, notes, labs, vitals and immunizations.
const blazePatient = testdataFHIR + "/synthea/blaze-synthea-2.7/6c8f3e83-c351-ed33-c38d-6be101c275d2.json.gz"

type fixturePatient struct {
	g    PatientGroup
	recs chart.PatientRecords
	outs []Outcome
	raw  map[string]map[string]any // "Type/id" → the resource as generic JSON
}

func mapFixture(t *testing.T, path string) *fixturePatient {
	t.Helper()
	_, shared := fixtureBundles(t, testdataFHIR)
	resources := readBundle(t, path)
	fp := &fixturePatient{g: groupOf(t, resources, "Synthea"), raw: map[string]map[string]any{}}
	for _, res := range resources {
		var v map[string]any
		if err := json.Unmarshal(res.Raw, &v); err != nil {
			t.Fatal(err)
		}
		fp.raw[res.Type+"/"+res.ID] = v
	}
	fp.recs, fp.outs = MapPatient(fp.g, newMapResolver(shared, resources), testIDs)
	return fp
}

// first returns the first resource of a type (matching ok) as generic JSON.
func (fp *fixturePatient) first(t *testing.T, typ string, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	for _, res := range fp.g.Resources {
		if v := fp.raw[res.Type+"/"+res.ID]; res.Type == typ && (ok == nil || ok(v)) {
			return v
		}
	}
	t.Fatalf("no %s in the fixture", typ)
	return nil
}

// get walks generic JSON: get(v, "code", "coding", 0, "code").
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func str(v any, path ...any) string { s, _ := get(v, path...).(string); return s }

func idOf(typ string, v map[string]any) chart.RecordID { return testIDs(SourceKey(typ, str(v, "id"))) }

func findByID[T any](t *testing.T, list []T, id chart.RecordID, meta func(*T) *chart.Meta) *T {
	t.Helper()
	for i := range list {
		if meta(&list[i]).ID == id {
			return &list[i]
		}
	}
	t.Fatalf("no record %s", id)
	return nil
}

func TestMapPatientDemographics(t *testing.T) {
	fp := mapFixture(t, blazePatient)
	raw, p := fp.raw["Patient/"+fp.g.Patient.ID], fp.recs.Patient
	var official map[string]any
	for _, n := range get(raw, "name").([]any) {
		if str(n, "use") == "official" {
			official = n.(map[string]any)
		}
	}
	if p.FamilyName != str(official, "family") || p.GivenName != str(official, "given", 0) {
		t.Errorf("name %q %q, want the official name %v", p.GivenName, p.FamilyName, official)
	}
	if p.BirthDate != str(raw, "birthDate") || string(p.Sex) != str(raw, "gender") || p.MRN != "" {
		t.Errorf("birth %q sex %q mrn %q", p.BirthDate, p.Sex, p.MRN)
	}
	if p.Phone != str(raw, "telecom", 0, "value") || p.Address.City != str(raw, "address", 0, "city") ||
		p.Address.Region != str(raw, "address", 0, "state") || p.Address.Line1 != str(raw, "address", 0, "line", 0) ||
		p.Address.PostalCode != str(raw, "address", 0, "postalCode") {
		t.Errorf("contact %q %+v", p.Phone, p.Address)
	}
	var mr string
	for _, id := range get(raw, "identifier").([]any) {
		if str(id, "type", "coding", 0, "code") == "MR" {
			mr = str(id, "value")
		}
	}
	found := false
	for _, id := range p.Identifiers {
		found = found || (id.Type == "MR" && id.Value == mr)
	}
	if mr == "" || !found || len(p.Identifiers) != len(get(raw, "identifier").([]any)) {
		t.Errorf("identifiers %+v, want the MR %q among all", p.Identifiers, mr)
	}
	if p.PreferredLanguage != str(raw, "communication", 0, "language", "text") {
		t.Errorf("language %q", p.PreferredLanguage)
	}
	if p.Origin == nil || p.Origin.Type != "Patient" || p.Origin.ID != fp.g.Patient.ID || p.Origin.System != "Synthea" {
		t.Errorf("origin %+v", p.Origin)
	}
}

func TestMapPatientEncounterAndCondition(t *testing.T) {
	fp := mapFixture(t, blazePatient)
	raw := fp.first(t, "Encounter", nil)
	e := findByID(t, fp.recs.Encounters, idOf("Encounter", raw), func(e *chart.Encounter) *chart.Meta { return &e.Meta })
	if e.Type != chart.EncounterOffice || e.Class != str(raw, "class", "code") || e.TypeText != str(raw, "type", 0, "text") {
		t.Errorf("type %q class %q text %q", e.Type, e.Class, e.TypeText)
	}
	if e.Start != str(raw, "period", "start")[:16] || e.End != str(raw, "period", "end")[:16] {
		t.Errorf("period %q–%q, want the wall-clock times of %v", e.Start, e.End, get(raw, "period"))
	}
	if e.ClinicianName != str(raw, "participant", 0, "individual", "display") || e.ClinicianID != "" {
		t.Errorf("clinician %q", e.ClinicianName)
	}
	cond := fp.first(t, "Condition", func(v map[string]any) bool { return str(v, "abatementDateTime") != "" })
	pr := findByID(t, fp.recs.Problems, idOf("Condition", cond), func(p *chart.Problem) *chart.Meta { return &p.Meta })
	if pr.Condition.System != chart.SystemSNOMED || pr.Condition.Code != str(cond, "code", "coding", 0, "code") ||
		pr.Status != chart.ProblemResolved || pr.Onset != str(cond, "onsetDateTime")[:10] ||
		pr.Abatement != str(cond, "abatementDateTime")[:10] || pr.Verification != "confirmed" {
		t.Errorf("problem %+v from %v", pr, cond)
	}
	encID := testIDs(SourceKey("Encounter", strings.TrimPrefix(str(cond, "encounter", "reference"), "urn:uuid:")))
	enc := findByID(t, fp.recs.Encounters, encID, func(e *chart.Encounter) *chart.Meta { return &e.Meta })
	has := false
	for _, d := range enc.Diagnoses {
		has = has || d == pr.Condition
	}
	if !has {
		t.Errorf("the encounter-diagnosis %v is not among its encounter's diagnoses %v", pr.Condition, enc.Diagnoses)
	}
}

func TestMapPatientMedicationAllergyImmunization(t *testing.T) {
	fp := mapFixture(t, blazePatient)
	mr := fp.first(t, "MedicationRequest", func(v map[string]any) bool { return str(v, "status") == "active" })
	med := findByID(t, fp.recs.Medications, idOf("MedicationRequest", mr), func(m *chart.Medication) *chart.Meta { return &m.Meta })
	if med.Drug.System != chart.SystemRxNorm || med.Drug.Code != str(mr, "medicationCodeableConcept", "coding", 0, "code") ||
		med.StartDate != str(mr, "authoredOn")[:10] || med.PrescriberName != str(mr, "requester", "display") ||
		med.Instructions != str(mr, "dosageInstruction", 0, "text") || med.Status != chart.MedActive {
		t.Errorf("medication %+v from %v", med, mr)
	}
	if want := testIDs(SourceKey("Encounter", strings.TrimPrefix(str(mr, "encounter", "reference"), "urn:uuid:"))); med.EncounterID != want {
		t.Errorf("medication encounter %q, want %q", med.EncounterID, want)
	}
	ai := fp.first(t, "AllergyIntolerance", nil)
	al := findByID(t, fp.recs.Allergies, idOf("AllergyIntolerance", ai), func(a *chart.Allergy) *chart.Meta { return &a.Meta })
	if al.Substance.Code != str(ai, "code", "coding", 0, "code") || al.Substance.Display != str(ai, "code", "coding", 0, "display") ||
		al.Criticality != str(ai, "criticality") || al.Verification != "confirmed" || al.Type != str(ai, "type") {
		t.Errorf("allergy %+v from %v", al, ai)
	}
	imr := fp.first(t, "Immunization", nil)
	im := findByID(t, fp.recs.Immunizations, idOf("Immunization", imr), func(i *chart.Immunization) *chart.Meta { return &i.Meta })
	if im.Vaccine.System != chart.SystemCVX || im.Vaccine.Code != str(imr, "vaccineCode", "coding", 0, "code") ||
		im.Date != str(imr, "occurrenceDateTime")[:10] || im.Source != "historical" || im.Refused {
		t.Errorf("immunization %+v from %v", im, imr)
	}
	if fp.recs.NoKnownAllergies {
		t.Error("no known allergies set on a patient with allergies")
	}
}

func TestMapPatientObservations(t *testing.T) {
	fp := mapFixture(t, blazePatient)
	temp := fp.first(t, "Observation", func(v map[string]any) bool { return str(v, "code", "coding", 0, "code") == "8310-5" })
	var vit *chart.VitalsRecord
	for i := range fp.recs.Vitals {
		if fp.recs.Vitals[i].TakenAt == str(temp, "effectiveDateTime")[:16] {
			vit = &fp.recs.Vitals[i]
		}
	}
	want := get(temp, "valueQuantity", "value").(float64)
	if vit == nil || vit.Signs.Temperature == nil || math.Abs(*vit.Signs.Temperature-want) > 0.005 {
		t.Fatalf("no vitals set at %s with temperature %v: %+v", str(temp, "effectiveDateTime"), want, vit)
	}
	var weight map[string]any
	for _, res := range fp.g.Resources {
		if v := fp.raw[res.Type+"/"+res.ID]; str(v, "code", "coding", 0, "code") == "29463-7" {
			weight = v // the last weighing: an adult's, with BMI
		}
	}
	for _, v := range fp.recs.Vitals {
		if v.TakenAt == str(weight, "effectiveDateTime")[:16] {
			vit = &v
		}
	}
	s := vit.Signs
	if s.Weight == nil || s.HeartRate == nil || s.Systolic == nil || s.Diastolic == nil ||
		math.Abs(*s.Weight-get(weight, "valueQuantity", "value").(float64)) > 0.0005 {
		t.Errorf("the set at %s does not group the visit's vitals: %+v", vit.TakenAt, s)
	}
	withBMI := 0
	for _, v := range fp.recs.Vitals {
		if v.Signs.Weight != nil && v.Signs.Height != nil && v.Signs.BMI != nil {
			withBMI++
		}
	}
	if withBMI == 0 {
		t.Error("no vitals set has weight, height and the BMI computed from them")
	}
	lab := fp.first(t, "Observation", func(v map[string]any) bool {
		return str(v, "category", 0, "coding", 0, "code") == "laboratory" && get(v, "valueQuantity") != nil
	})
	res := findByID(t, fp.recs.Results, idOf("Observation", lab), func(r *chart.Result) *chart.Meta { return &r.Meta })
	value := strings.TrimSpace(string(mustJSON(get(lab, "valueQuantity", "value"))))
	if res.Test.System != chart.SystemLOINC || res.Test.Code != str(lab, "code", "coding", 0, "code") ||
		res.Value != value || res.Unit != str(lab, "valueQuantity", "unit") ||
		res.CollectedAt != str(lab, "effectiveDateTime")[:16] || res.ReportID == "" || res.ReportName == "" {
		t.Errorf("result %+v from %v", res, lab)
	}
	smoke := fp.first(t, "Observation", func(v map[string]any) bool { return str(v, "code", "coding", 0, "code") == "72166-2" })
	sh := findByID(t, fp.recs.SocialHistory, idOf("Observation", smoke), func(s *chart.SocialHistory) *chart.Meta { return &s.Meta })
	if sh.Date != str(smoke, "effectiveDateTime")[:10] || sh.Smoking.Code != str(smoke, "valueCodeableConcept", "coding", 0, "code") {
		t.Errorf("smoking %+v from %v", sh, smoke)
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func TestMapPatientNotesAndProcedures(t *testing.T) {
	fp := mapFixture(t, blazePatient)
	doc := fp.first(t, "DocumentReference", nil)
	n := findByID(t, fp.recs.Notes, idOf("DocumentReference", doc), func(n *chart.Note) *chart.Meta { return &n.Meta })
	text, _ := base64.StdEncoding.DecodeString(str(doc, "content", 0, "attachment", "data"))
	if len(n.Sections) != 1 || n.Sections[0].Text != strings.TrimSpace(string(text)) || n.Kind != chart.NoteClinical ||
		n.Title != str(doc, "type", "coding", 0, "display") || n.Imported == nil ||
		n.Imported.AuthorName != str(doc, "author", 0, "display") || n.Imported.Organization != str(doc, "custodian", "display") ||
		n.Imported.Date != str(doc, "date")[:16] || n.Signature != nil {
		t.Errorf("note %+v from %v", n, doc)
	}
	// Synthea 2.7 sends each note also as a DiagnosticReport: imported once.
	for _, o := range fp.outs {
		if o.Type == "DiagnosticReport" && o.ID == strings.TrimPrefix(str(doc, "identifier", 0, "value"), "urn:uuid:") &&
			(o.Status != Skipped || !strings.Contains(o.Reason, "DocumentReference")) {
			t.Errorf("the note's DiagnosticReport twin: %+v", o)
		}
	}
	pr := fp.first(t, "Procedure", nil)
	p := findByID(t, fp.recs.Procedures, idOf("Procedure", pr), func(p *chart.Procedure) *chart.Meta { return &p.Meta })
	if p.Code.Code != str(pr, "code", "coding", 0, "code") || p.Status != str(pr, "status") ||
		p.Performed != str(pr, "performedPeriod", "start")[:16] || p.PerformedEnd != str(pr, "performedPeriod", "end")[:16] ||
		p.EncounterID == "" {
		t.Errorf("procedure %+v from %v", p, pr)
	}
}

// TestMapPatientStableIDs: mapping the same file twice gives the same ids
// (what makes a second import add nothing).
func TestMapPatientStableIDs(t *testing.T) {
	a, b := mapFixture(t, blazePatient), mapFixture(t, blazePatient)
	ja, _ := json.Marshal(a.recs)
	jb, _ := json.Marshal(b.recs)
	if string(ja) != string(jb) {
		t.Fatal("two mappings of the same file differ")
	}
	seen := map[chart.RecordID]bool{}
	for _, v := range a.recs.Vitals {
		if seen[v.ID] {
			t.Fatalf("two vitals sets share id %s", v.ID)
		}
		seen[v.ID] = true
	}
}

func TestUCUMConversions(t *testing.T) {
	cases := []struct {
		field      chart.VitalField
		value      float64
		code, unit string
		want       float64
	}{
		{chart.VitalWeight, 154, "[lb_av]", "", 69.85322498},
		{chart.VitalWeight, 154, "", "lb", 69.85322498},
		{chart.VitalWeight, 3500, "g", "", 3.5},
		{chart.VitalWeight, 16, "[oz_av]", "", 0.45359237},
		{chart.VitalWeight, 70, "kg", "", 70},
		{chart.VitalHeight, 70, "[in_i]", "", 177.8},
		{chart.VitalHeight, 1.8, "m", "", 180},
		{chart.VitalHeight, 6, "[ft_i]", "", 182.88},
		{chart.VitalTemperature, 98.6, "[degF]", "", 37},
		{chart.VitalTemperature, 310.15, "K", "", 37},
		{chart.VitalTemperature, 37, "Cel", "", 37},
		{chart.VitalSystolic, 120, "mm[Hg]", "", 120},
		{chart.VitalHeartRate, 72, "{beats}/min", "", 72},
		{chart.VitalSpO2, 97, "%", "", 97},
		{chart.VitalPain, 2.637, "{score}", "", 3},
		{chart.VitalHeadCircumference, 451, "mm", "", 45.1},
		{chart.VitalHeadCircumference, 18, "[in_i]", "", 45.72},
	}
	for _, c := range cases {
		got, err := toCanonical(c.field, c.value, c.code, c.unit)
		if err != nil || math.Abs(got-c.want) > 1e-6 {
			t.Errorf("%v %v %q%q = %v, %v; want %v", c.field, c.value, c.code, c.unit, got, err, c.want)
		}
	}
	for _, bad := range []struct {
		field chart.VitalField
		code  string
	}{{chart.VitalWeight, "cm"}, {chart.VitalTemperature, "kg"}, {chart.VitalHeight, ""}} {
		if _, err := toCanonical(bad.field, 1, bad.code, ""); err == nil {
			t.Errorf("%v in %q converted", bad.field, bad.code)
		}
	}
}

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
