package fhirimport

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"outpost/chart"
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
