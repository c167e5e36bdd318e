package fhirimport

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/fhir"
)

// FuzzMapPatient: whatever the resources say, MapPatient never panics,
// gives one outcome per resource and returns only records the chart's
// validation accepts. Seeded with the fixtures' resources.
func FuzzMapPatient(f *testing.F) {
	f.Add(testPatient, testEncounter)
	for _, path := range []string{blazePatient, filepath.Join(testdataFHIR, "uscore-inferno/uscore_bundle_patient_85.json.gz")} {
		resources := readBundle(f, path)
		patient := ""
		for _, res := range resources {
			if res.Type == "Patient" {
				patient = string(res.Raw)
			}
		}
		seen := map[string]bool{}
		for _, res := range resources {
			if !seen[res.Type] {
				seen[res.Type] = true
				f.Add(patient, string(res.Raw))
			}
		}
	}
	edges, _ := filepath.Glob(filepath.Join(testdataFHIR, "edge-cases/cases/*.json"))
	for _, e := range edges {
		raw, err := os.ReadFile(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(testPatient, string(raw))
	}
	f.Fuzz(func(t *testing.T, patient, other string) {
		var head struct {
			Type string `json:"resourceType"`
			ID   string `json:"id"`
		}
		_ = json.Unmarshal([]byte(other), &head)
		g := PatientGroup{Source: "fuzz",
			Patient:   fhir.Resource{Type: "Patient", ID: "p", Raw: json.RawMessage(patient)},
			Resources: []fhir.Resource{{Type: head.Type, ID: head.ID, Raw: json.RawMessage(other)}, {Type: head.Type, Raw: json.RawMessage(other)}}}
		recs, outs := MapPatient(g, newMapResolver([]fhir.Resource{g.Patient}, g.Resources), testIDs)
		if len(outs) != 3 {
			t.Fatalf("%d outcomes", len(outs))
		}
		for _, o := range outs {
			if o.Status == Failed && o.Reason != "" && strings.HasPrefix(o.Reason, "internal") {
				t.Fatalf("panic inside the mapper: %s", o.Reason)
			}
		}
		checkValid(t, recs)
	})
}

// checkValid re-runs the chart's validation on every mapped record.
func checkValid(t *testing.T, recs chart.PatientRecords) {
	t.Helper()
	now := mapNow()
	errs := []error{
		validateAll(recs.Encounters, now), validateAll(recs.Problems, now), validateAll(recs.Medications, now),
		validateAll(recs.Allergies, now), validateAll(recs.Results, now), validateAll(recs.Immunizations, now),
		validateAll(recs.Notes, now), validateAll(recs.SocialHistory, now),
	}
	if recs.Patient.FamilyName != "" {
		errs = append(errs, recs.Patient.Validate(now))
	}
	for _, err := range errs {
		if err != nil {
			t.Fatalf("a mapped record fails the chart's validation: %v", err)
		}
	}
}

func validateAll[T any, P interface {
	*T
	Validate(time.Time) error
}](list []T, now time.Time) error {
	for i := range list {
		if err := P(&list[i]).Validate(now); err != nil {
			return err
		}
	}
	return nil
}
