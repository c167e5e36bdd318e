package fhirexport

// PENDING — this whole file is a stand-in for the fhirexport helper's
// `Resources(recs, opts) ([]Entry, error)` and `Options`, written in
// parallel on branch fhirexport. When merging, delete it and write
//
//	func ipsResources(recs chart.PatientRecords, opts Options) ([]ipsEntry, error) {
//		entries, err := Resources(recs, opts)
//		// one ipsEntry{FullURL, Resource: JSON of the resource} per entry
//	}
//
// The IPS needs only that each chart record becomes one resource whose
// fullUrl is urn:uuid:<record id> (the Patient's is urn:uuid:<patient id>).
// The minimal resources below exist only so the IPS can be built and
// checked before that lands; they are not the export's mapping.

import (
	"encoding/json"
	"errors"
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// Options is the export's options (PENDING: the real type replaces it).
type Options struct{}

// ipsEntry is one resource of the chart, as the IPS takes it from Resources.
type ipsEntry struct {
	FullURL  string
	Resource json.RawMessage
}

func ipsResources(recs chart.PatientRecords, _ Options) ([]ipsEntry, error) {
	pid := string(recs.Patient.ID)
	subj := fhir.Reference{Reference: ipsURN(pid)}
	dom := func(t, id string) fhir.DomainResource { return fhir.DomainResource{ResourceType: t, ID: id} }
	cc := func(c chart.Coded) *fhir.CodeableConcept { v := ipsCodeable(c); return &v }
	var out []ipsEntry
	var err error
	add := func(id string, r any) {
		raw, e := json.Marshal(r)
		err = errors.Join(err, e)
		out = append(out, ipsEntry{FullURL: ipsURN(id), Resource: raw})
	}
	p := recs.Patient
	add(pid, fhir.Patient{DomainResource: dom("Patient", pid), Identifier: []fhir.Identifier{{Value: p.MRN}},
		Name: []fhir.HumanName{{Family: p.FamilyName, Given: []string{p.GivenName}}}, BirthDate: p.BirthDate})
	for _, x := range recs.Problems {
		if ipsUsable(x.Meta) {
			add(string(x.ID), fhir.Condition{DomainResource: dom("Condition", string(x.ID)), Code: cc(x.Condition), Subject: subj,
				ClinicalStatus: ipsStatus("http://terminology.hl7.org/CodeSystem/condition-clinical", string(x.Status))})
		}
	}
	for _, x := range recs.Allergies {
		if ipsUsable(x.Meta) {
			add(string(x.ID), fhir.AllergyIntolerance{DomainResource: dom("AllergyIntolerance", string(x.ID)), Code: cc(x.Substance), Patient: subj,
				ClinicalStatus: ipsStatus("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active")})
		}
	}
	for _, x := range recs.Medications {
		if ipsUsable(x.Meta) {
			add(string(x.ID), fhir.MedicationStatement{DomainResource: dom("MedicationStatement", string(x.ID)), Status: ipsMedStatus(x.Status),
				MedicationCodeableConcept: cc(x.Drug), Subject: subj})
		}
	}
	for _, x := range recs.Immunizations {
		if ipsUsable(x.Meta) {
			add(string(x.ID), fhir.Immunization{DomainResource: dom("Immunization", string(x.ID)), Status: "completed", VaccineCode: ipsCodeable(x.Vaccine),
				Patient: subj, OccurrenceDateTime: ipsDate(x.Date)})
		}
	}
	for _, x := range recs.Results {
		if ipsUsable(x.Meta) {
			v := x.Value
			add(string(x.ID), fhir.Observation{DomainResource: dom("Observation", string(x.ID)), Status: "final", Code: ipsCodeable(x.Test),
				Subject: &subj, EffectiveDateTime: ipsDate(x.CollectedAt), ValueString: &v})
		}
	}
	for _, x := range recs.Vitals {
		if ipsUsable(x.Meta) {
			add(string(x.ID), fhir.Observation{DomainResource: dom("Observation", string(x.ID)), Status: "final",
				Code: fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: "85353-1"}}}, Subject: &subj,
				EffectiveDateTime: ipsDate(x.TakenAt)})
		}
	}
	return out, err
}

func ipsUsable(m chart.Meta) bool { return !m.IsDamaged() && m.EnteredInError == nil }

func ipsMedStatus(s chart.MedicationStatus) string {
	if s == chart.MedActive || s == "" {
		return "active"
	}
	return string(s)
}

// ipsDate keeps the date of a chart local time: a FHIR dateTime with a
// time needs a zone the chart does not record.
func ipsDate(s string) string { return strings.SplitN(s, "T", 2)[0] }

func ipsCodeable(c chart.Coded) fhir.CodeableConcept {
	cc := fhir.CodeableConcept{Text: c.Display}
	if c.Code != "" {
		cc.Coding = []fhir.Coding{{System: c.System, Code: c.Code, Display: c.Display}}
	}
	return cc
}
