package fhirexport_test

import (
	"compress/gzip"
	"crypto/sha1"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"outpost/chart"
	"outpost/fhir"
	"outpost/fhirimport"
)

// fixtureCharts are the patients of testdata/fhir (Synthea and the US
// Core test patients) as the importer's mapper charts them: real-world
// charts for the export to write. Each bundle is one patient; references
// resolve within it (Blaze's shared practitioner bundles are not read, so
// those names stay empty).
func fixtureCharts(t *testing.T) []chart.PatientRecords {
	t.Helper()
	var out []chart.PatientRecords
	for _, glob := range []string{"synthea/*/*.json.gz", "uscore-inferno/*.json.gz"} {
		files, err := filepath.Glob(filepath.Join("../testdata/fhir", glob))
		if err != nil || len(files) == 0 {
			t.Fatalf("no fixtures at %s: %v", glob, err)
		}
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), "0-") { // shared practitioners and hospitals
				continue
			}
			out = append(out, fixtureChart(t, f))
		}
	}
	records := 0
	for _, c := range out {
		records += len(exportable(c))
	}
	if len(out) < 14 || records < 500 { // 14 patients, about 1,500 records when mapped
		t.Fatalf("the fixtures gave %d charts of %d records: the mapper did not chart them", len(out), records)
	}
	return out
}

func fixtureChart(t *testing.T, path string) chart.PatientRecords {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Entry []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.NewDecoder(gz).Decode(&b); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	g := fhirimport.PatientGroup{Source: filepath.Base(path)}
	byRef := bundleRefs{}
	for i, e := range b.Entry {
		var head struct{ ResourceType, ID string }
		if err := json.Unmarshal(e.Resource, &head); err != nil {
			t.Fatal(err)
		}
		res := fhir.Resource{Type: head.ResourceType, ID: head.ID, FullURL: e.FullURL, Raw: e.Resource,
			At: fhir.Location{File: filepath.Base(path), Entry: i}}
		byRef[e.FullURL], byRef[res.Type+"/"+res.ID] = res, res
		if res.Type == "Patient" && g.Patient.Type == "" {
			g.Patient = res
		} else {
			g.Resources = append(g.Resources, res)
		}
	}
	recs, _ := fhirimport.MapPatient(g, byRef, func(key string) chart.RecordID {
		return chart.RecordID(uuid.NewHash(sha1.New(), uuid.NameSpaceURL, []byte(key), 5).String())
	})
	recs.Patient.ID = chart.PatientID(uuid.NewSHA1(uuid.NameSpaceURL, []byte(path)).String())
	if recs.Patient.MRN == "" {
		recs.Patient.MRN = chart.NewMRN()
	}
	return recs
}

// bundleRefs resolves references by fullUrl or Type/id within a bundle.
type bundleRefs map[string]fhir.Resource

func (r bundleRefs) Resolve(ref string, _ fhir.Resource) (fhir.Resource, bool) {
	res, ok := r[ref]
	return res, ok
}
