package fhirimport

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"outpost/fhir"
)

// mapBothWays maps g with fhir.Unmarshal's fast path and with
// encoding/json alone (the mapper before it) and fails t when the records
// or the outcomes differ in anything.
func mapBothWays(t *testing.T, label string, g PatientGroup, r Resolver) {
	t.Helper()
	decodeFast = false
	slowRecs, slowOuts := MapPatient(g, r, testIDs)
	decodeFast = true
	fastRecs, fastOuts := MapPatient(g, r, testIDs)
	if !reflect.DeepEqual(slowOuts, fastOuts) {
		t.Fatalf("%s: outcomes differ\nencoding/json: %+v\nfast path: %+v", label, slowOuts, fastOuts)
	}
	if !reflect.DeepEqual(slowRecs, fastRecs) {
		a, _ := json.Marshal(slowRecs)
		b, _ := json.Marshal(fastRecs)
		t.Fatalf("%s: records differ\nencoding/json: %.2000s\nfast path: %.2000s", label, a, b)
	}
}

// Every fixture patient maps to the same records and outcomes through the
// fast decoder as through encoding/json: the mapper's wrappers
// (encounterIn, medicationRequestIn, documentReferenceIn) included.
func TestMapPatientSameWithFastDecoder(t *testing.T) {
	roots := []string{testdataFHIR}
	if s := sharedFHIR(); s != "" && !testing.Short() {
		roots = append(roots, s)
	}
	n := 0
	for _, root := range roots {
		patients, shared := fixtureBundles(t, root)
		for _, path := range patients {
			resources := readBundle(t, path)
			mapBothWays(t, path, groupOf(t, resources, filepath.Base(path)), newMapResolver(shared, resources))
			n++
		}
	}
	t.Logf("%d patients mapped both ways", n)
}

// Shapes that send the wrappers' fast path back to encoding/json (an
// Encounter's reasonCode as one object, a field of another JSON type)
// map as before, failures in the same words.
func TestMapPatientSameWithFastDecoderOnOddShapes(t *testing.T) {
	for _, other := range []string{
		`{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"period":{"start":"2020-01-01"},"reasonCode":{"text":"cough"}}`,
		`{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"period":{"start":"2020-01-01"},"reasonCode":[{"text":"cough"}]}`,
		`{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"period":{"start":"2020-01-01"},"reasonCode":null}`,
		`{"resourceType":"Encounter","id":"e1","status":7}`,
		`{"resourceType":"MedicationRequest","id":"m1","status":"stopped","intent":"order","medicationCodeableConcept":{"text":"aspirin"},"authoredOn":"2020-01-01","statusReason":{"text":"rash"}}`,
		`{"resourceType":"MedicationRequest","id":"m1","status":"stopped","intent":"order","statusReason":"rash"}`,
		`{"resourceType":"DocumentReference","id":"d1","status":"current","content":[{"attachment":{"contentType":"text/plain","data":"aGk="}}],"relatesTo":[{"code":"appends","target":{"reference":"DocumentReference/d0"}}]}`,
		`{"resourceType":"DocumentReference","id":"d1","status":"current","relatesTo":{"code":"appends"}}`,
		`{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"valueQuantity":{"value":"1"}}`,
	} {
		var head struct {
			Type string `json:"resourceType"`
			ID   string `json:"id"`
		}
		if err := json.Unmarshal([]byte(other), &head); err != nil {
			t.Fatal(err)
		}
		g := PatientGroup{Source: "odd", Patient: fhir.Resource{Type: "Patient", ID: "p", Raw: json.RawMessage(testPatient)},
			Resources: []fhir.Resource{{Type: head.Type, ID: head.ID, Raw: json.RawMessage(other)}}}
		mapBothWays(t, other, g, newMapResolver([]fhir.Resource{g.Patient}, g.Resources))
	}
}

// FuzzMapPatientSameWithFastDecoder: any resource maps the same both ways.
func FuzzMapPatientSameWithFastDecoder(f *testing.F) {
	for _, path := range []string{blazePatient, filepath.Join(testdataFHIR, "uscore-inferno/uscore_bundle_patient_85.json.gz")} {
		seen := map[string]bool{}
		for _, res := range readBundle(f, path) {
			if !seen[res.Type] {
				seen[res.Type] = true
				f.Add(string(res.Raw))
			}
		}
	}
	f.Fuzz(func(t *testing.T, other string) {
		var head struct {
			Type string `json:"resourceType"`
			ID   string `json:"id"`
		}
		_ = json.Unmarshal([]byte(other), &head)
		g := PatientGroup{Source: "fuzz", Patient: fhir.Resource{Type: "Patient", ID: "p", Raw: json.RawMessage(testPatient)},
			Resources: []fhir.Resource{{Type: head.Type, ID: head.ID, Raw: json.RawMessage(other)}}}
		mapBothWays(t, other, g, newMapResolver([]fhir.Resource{g.Patient}, g.Resources))
	})
}
