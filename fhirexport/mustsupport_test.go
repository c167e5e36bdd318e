package fhirexport_test

import (
	"errors"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/fhirexport/chartgen"
)

// The US Core 6.1 must-support checks: for each profile, its mandatory
// and must-support elements (docs/FHIR.md, "Export", lists them with what
// Outpost fills and why some stay empty), each with the chart data that
// obliges the export to fill it. A row whose condition holds for a record
// must be present in that record's resource.

// element is one must-support element: its path in the JSON ("a.b.c",
// through arrays) and whether the chart has data for it.
type element[T any] struct {
	path string
	has  func(*T) bool
}

func always[T any](*T) bool { return true }

func el[T any](path string, has func(*T) bool) element[T] { return element[T]{path, has} }

var patientMustSupport = []element[chart.Patient]{
	el("identifier.system", always[chart.Patient]), el("identifier.value", always[chart.Patient]),
	el("name.family", always[chart.Patient]), el("name.given", func(p *chart.Patient) bool { return p.GivenName != "" }),
	el("telecom.system", func(p *chart.Patient) bool { return p.Phone != "" || p.Email != "" }),
	el("telecom.value", func(p *chart.Patient) bool { return p.Phone != "" || p.Email != "" }),
	el("telecom.use", func(p *chart.Patient) bool { return p.Phone != "" || p.Email != "" }),
	el("gender", always[chart.Patient]), el("birthDate", always[chart.Patient]),
	el("address.line", func(p *chart.Patient) bool { return p.Address.Line1 != "" }),
	el("address.city", func(p *chart.Patient) bool { return p.Address.City != "" }),
	el("address.state", func(p *chart.Patient) bool { return p.Address.Region != "" }),
	el("address.postalCode", func(p *chart.Patient) bool { return p.Address.PostalCode != "" }),
	el("communication.language", func(p *chart.Patient) bool { return p.PreferredLanguage != "" }),
	el("deceasedDateTime", func(p *chart.Patient) bool { return p.DeceasedDate != "" }),
	el("deceasedBoolean", func(p *chart.Patient) bool { return p.Deceased && p.DeceasedDate == "" }),
	el("extension.valueCodeableConcept", func(p *chart.Patient) bool { return p.GenderIdentity != "" }), // us-core-genderIdentity
}

var problemMustSupport = []element[chart.Problem]{
	el("clinicalStatus.coding.code", func(p *chart.Problem) bool { return p.Status != "" }),
	el("verificationStatus.coding.code", func(p *chart.Problem) bool { return p.Verification != "" }),
	el("category.coding.code", always[chart.Problem]), el("code", always[chart.Problem]),
	el("subject.reference", always[chart.Problem]),
	el("onsetDateTime", func(p *chart.Problem) bool { return p.Onset != "" }),
	el("abatementDateTime", func(p *chart.Problem) bool { return p.Abatement != "" && p.Status != chart.ProblemActive }),
	el("recordedDate", func(p *chart.Problem) bool { return !p.CreatedAt.IsZero() }),
}

var medicationMustSupport = []element[chart.Medication]{
	el("status", always[chart.Medication]), el("intent", always[chart.Medication]),
	el("category.coding.code", func(m *chart.Medication) bool { return m.Source == chart.MedPrescribedHere }),
	el("reportedBoolean", always[chart.Medication]), el("medicationCodeableConcept", always[chart.Medication]),
	el("subject.reference", always[chart.Medication]),
	el("authoredOn", func(m *chart.Medication) bool { return m.StartDate != "" || !m.CreatedAt.IsZero() }),
	el("requester", func(m *chart.Medication) bool { return m.Source == chart.MedPatientReported || m.PrescriberName != "" }),
	el("dosageInstruction.text", func(m *chart.Medication) bool { return m.Dose != "" || m.Route != "" || m.Frequency != "" }),
	el("dosageInstruction.timing", func(m *chart.Medication) bool { return m.Frequency != "" }),
	el("dosageInstruction.doseAndRate.doseQuantity.value", func(m *chart.Medication) bool { return m.Dose != "" }),
	el("dispenseRequest.numberOfRepeatsAllowed", func(m *chart.Medication) bool { return m.Source == chart.MedPrescribedHere }),
	el("dispenseRequest.quantity.value", func(m *chart.Medication) bool { return m.Quantity != "" }),
}

var allergyMustSupport = []element[chart.Allergy]{
	el("clinicalStatus.coding.code", always[chart.Allergy]),
	el("verificationStatus.coding.code", func(a *chart.Allergy) bool { return a.Verification != "" }),
	el("code.text", always[chart.Allergy]), el("patient.reference", always[chart.Allergy]),
	el("reaction.manifestation.text", func(a *chart.Allergy) bool { return a.Reaction != "" }),
	el("reaction.severity", func(a *chart.Allergy) bool { return a.Reaction != "" && a.Severity != "" }),
}

var labMustSupport = []element[chart.Result]{
	el("status", always[chart.Result]), el("category.coding.code", always[chart.Result]), el("code", always[chart.Result]),
	el("subject.reference", always[chart.Result]),
	el("effectiveDateTime", func(r *chart.Result) bool { return r.CollectedAt != "" }),
	el("value", func(r *chart.Result) bool { return r.Value != "" }), // valueQuantity or valueString
	el("interpretation.coding.code", func(r *chart.Result) bool { return r.Flag != "" }),
	el("referenceRange", func(r *chart.Result) bool { return r.RefLow != "" || r.RefHigh != "" || r.RefText != "" }),
}

var immunizationMustSupport = []element[chart.Immunization]{
	el("status", always[chart.Immunization]), el("statusReason", func(im *chart.Immunization) bool { return im.Refused }),
	el("vaccineCode", always[chart.Immunization]), el("patient.reference", always[chart.Immunization]),
	el("occurrenceDateTime", func(im *chart.Immunization) bool { return im.Date != "" }),
	el("primarySource", always[chart.Immunization]),
	el("lotNumber", func(im *chart.Immunization) bool { return im.Lot != "" }),
	el("performer.actor.display", func(im *chart.Immunization) bool { return im.GivenBy != "" }),
}

var encounterMustSupport = []element[chart.Encounter]{
	el("identifier.value", always[chart.Encounter]), el("status", always[chart.Encounter]),
	el("class.code", always[chart.Encounter]), el("type", always[chart.Encounter]),
	el("subject.reference", always[chart.Encounter]),
	el("participant.individual", func(e *chart.Encounter) bool { return e.ClinicianID != "" || e.ClinicianName != "" }),
	el("participant.type", func(e *chart.Encounter) bool { return e.ClinicianID != "" || e.ClinicianName != "" }),
	el("period.start", func(e *chart.Encounter) bool { return e.Start != "" }),
	el("reasonCode.text", func(e *chart.Encounter) bool { return e.Reason != "" }),
	el("location.location.display", func(e *chart.Encounter) bool { return e.Location != "" }),
	el("serviceProvider.reference", always[chart.Encounter]),
}

var noteMustSupport = []element[chart.Note]{
	el("identifier.value", always[chart.Note]), el("status", always[chart.Note]), el("type.coding.code", always[chart.Note]),
	el("category.coding.code", always[chart.Note]), el("subject.reference", always[chart.Note]), el("date", always[chart.Note]),
	el("author", func(n *chart.Note) bool { return n.AuthorName != "" || n.Imported != nil }),
	el("content.attachment.contentType", always[chart.Note]), el("content.attachment.data", always[chart.Note]),
	el("custodian.reference", always[chart.Note]),
}

var vitalMustSupport = []element[chart.VitalsRecord]{
	el("status", always[chart.VitalsRecord]), el("category.coding.code", always[chart.VitalsRecord]),
	el("code.coding.code", always[chart.VitalsRecord]), el("subject.reference", always[chart.VitalsRecord]),
	el("effectiveDateTime", func(v *chart.VitalsRecord) bool { return v.TakenAt != "" }),
	el("hasMember.reference", always[chart.VitalsRecord]),
}

var smokingMustSupport = []element[chart.SocialHistory]{
	el("status", always[chart.SocialHistory]), el("category.coding.code", always[chart.SocialHistory]),
	el("code.coding.code", always[chart.SocialHistory]), el("subject.reference", always[chart.SocialHistory]),
	el("effectiveDateTime", func(h *chart.SocialHistory) bool { return h.Date != "" }),
	el("valueCodeableConcept.coding.code", always[chart.SocialHistory]),
}

// TestUSCoreMustSupport exports generated charts and the testdata/fhir
// patients (as the importer charts them) and checks every
// record's resource against its profile's must-support table, then the
// vital-sign members and encounter diagnoses the records expand into.
func TestUSCoreMustSupport(t *testing.T) {
	checked := map[string]int{}
	var all []chart.PatientRecords
	for seed := range uint64(10) {
		all = append(all, charts(100+seed, 4, chartgen.Options{Records: 80})...)
	}
	all = append(all, fixtureCharts(t)...)
	for _, c := range all {
		entries, err := fhirexport.Resources(c, testOptions())
		var warn *fhirexport.Warnings
		if err != nil && !errors.As(err, &warn) {
			t.Fatal(err)
		}
		res := map[string]map[string]any{}
		for _, e := range entries {
			res[e.ID] = toMap(t, e.Resource)
		}
		checkProfile(t, "Patient", res, []chart.Patient{c.Patient}, func(p *chart.Patient) (string, bool) { return string(p.ID), true }, patientMustSupport, checked)
		checkProfile(t, "Condition (problems)", res, c.Problems, current(func(p *chart.Problem) *chart.Meta { return &p.Meta }), problemMustSupport, checked)
		checkProfile(t, "MedicationRequest", res, c.Medications, current(func(m *chart.Medication) *chart.Meta { return &m.Meta }), medicationMustSupport, checked)
		checkProfile(t, "AllergyIntolerance", res, c.Allergies, current(func(a *chart.Allergy) *chart.Meta { return &a.Meta }), allergyMustSupport, checked)
		checkProfile(t, "Observation (lab)", res, c.Results, current(func(r *chart.Result) *chart.Meta { return &r.Meta }), labMustSupport, checked)
		checkProfile(t, "Immunization", res, c.Immunizations, current(func(im *chart.Immunization) *chart.Meta { return &im.Meta }), immunizationMustSupport, checked)
		checkProfile(t, "Encounter", res, c.Encounters, current(func(e *chart.Encounter) *chart.Meta { return &e.Meta }), encounterMustSupport, checked)
		checkProfile(t, "DocumentReference", res, c.Notes, func(n *chart.Note) (string, bool) {
			return string(n.ID), n.Signed() && !n.IsDamaged() && n.EnteredInError == nil
		}, noteMustSupport, checked)
		checkProfile(t, "Observation (vital-signs panel)", res, c.Vitals, current(func(v *chart.VitalsRecord) *chart.Meta { return &v.Meta }), vitalMustSupport, checked)
		checkProfile(t, "Observation (smoking status)", res, c.SocialHistory, func(h *chart.SocialHistory) (string, bool) {
			return string(h.ID), h.Smoking.Code != "" && h.EnteredInError == nil
		}, smokingMustSupport, checked)
		checkExpanded(t, res, checked)
	}
	for _, p := range []string{"Patient", "Condition (problems)", "MedicationRequest", "AllergyIntolerance", "Observation (lab)",
		"Immunization", "Encounter", "DocumentReference", "Observation (vital-signs panel)", "Observation (smoking status)",
		"Observation (vital sign)", "Condition (encounter diagnosis)"} {
		if checked[p] == 0 {
			t.Errorf("no %s was checked: the generated charts must hold some", p)
		}
	}
}

func current[T any](meta func(*T) *chart.Meta) func(*T) (string, bool) {
	return func(r *T) (string, bool) {
		m := meta(r)
		return string(m.ID), !m.IsDamaged() && m.EnteredInError == nil
	}
}

func checkProfile[T any](t *testing.T, profile string, res map[string]map[string]any, recs []T,
	id func(*T) (string, bool), table []element[T], checked map[string]int) {
	t.Helper()
	for i := range recs {
		rid, ok := id(&recs[i])
		if !ok {
			continue
		}
		r, ok := res[rid]
		if !ok {
			t.Fatalf("%s: record %s was not exported", profile, rid)
		}
		checked[profile]++
		for _, e := range table {
			if e.has(&recs[i]) && !present(r, e.path) {
				t.Errorf("%s %s: must-support %s is missing though the chart has it:\n%v", profile, rid, e.path, r)
			}
		}
	}
}

// checkExpanded checks the resources a record expands into: each vital
// sign (US Core vital-sign profiles: LOINC code, a UCUM valueQuantity or
// the blood pressure components) and each encounter diagnosis.
func checkExpanded(t *testing.T, res map[string]map[string]any, checked map[string]int) {
	for id, r := range res {
		switch {
		case r["resourceType"] == "Observation" && hasCode(r, "category", "vital-signs") && !present(r, "hasMember"):
			checked["Observation (vital sign)"]++
			paths := []string{"status", "code.coding.system", "subject.reference", "effectiveDateTime"}
			if hasCode(r, "code", chart.LOINCBloodPressurePanel) {
				paths = append(paths, "component.code.coding.code", "component.valueQuantity.value", "component.valueQuantity.code")
			} else {
				paths = append(paths, "valueQuantity.value", "valueQuantity.unit", "valueQuantity.system", "valueQuantity.code")
			}
			requirePaths(t, "vital sign "+id, r, paths)
		case r["resourceType"] == "Condition" && hasCode(r, "category", "encounter-diagnosis"):
			checked["Condition (encounter diagnosis)"]++
			requirePaths(t, "encounter diagnosis "+id, r, []string{"category.coding.code", "code", "subject.reference", "encounter.reference"})
		}
	}
}

func requirePaths(t *testing.T, what string, r map[string]any, paths []string) {
	t.Helper()
	for _, p := range paths {
		if !present(r, p) {
			t.Errorf("%s: must-support %s is missing:\n%v", what, p, r)
		}
	}
}

func hasCode(r map[string]any, path, code string) bool {
	for _, v := range values(r, path+".coding.code") {
		if v == code {
			return true
		}
	}
	return false
}

// present reports whether path has a non-empty value; "value" alone
// matches any value[x].
func present(r map[string]any, path string) bool {
	if path == "value" {
		for k := range r {
			if strings.HasPrefix(k, "value") {
				return true
			}
		}
		return false
	}
	return len(values(r, path)) > 0
}

func values(v any, path string) []any {
	if path == "" {
		switch x := v.(type) {
		case nil:
			return nil
		case string:
			if x == "" {
				return nil
			}
		case []any:
			return x
		}
		return []any{v}
	}
	head, rest, _ := strings.Cut(path, ".")
	switch x := v.(type) {
	case map[string]any:
		return values(x[head], rest)
	case []any:
		var out []any
		for _, e := range x {
			out = append(out, values(e, path)...)
		}
		return out
	}
	return nil
}
