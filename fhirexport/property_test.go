package fhirexport_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/fhirexport/chartgen"
)

var fhirID = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

// TestResourcesProperties runs the export over generated charts (damaged
// and entered-in-error records among them) and checks what must hold for
// every chart: Resources never fails (damaged records only warn, and are
// counted), ids are valid FHIR ids and unique, every reference of the
// Bundle resolves inside it, and every exportable record appears exactly
// once, by id and by its urn:outpost:record identifier.
func TestResourcesProperties(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := range uint64(seeds) {
		for _, c := range charts(seed, 3, chartgen.Options{Records: 50, Damaged: seed%2 == 0}) {
			entries, err := fhirexport.Resources(c, testOptions())
			var warn *fhirexport.Warnings
			if err != nil && !errors.As(err, &warn) {
				t.Fatalf("seed %d: Resources failed: %v", seed, err)
			}
			if want := damagedCount(c); want > 0 && (warn == nil || warn.DamagedCount() != want) {
				t.Fatalf("seed %d: %d damaged records, warnings %v", seed, want, warn)
			}
			checkEntries(t, seed, c, entries)
		}
	}
}

func checkEntries(t *testing.T, seed uint64, c chart.PatientRecords, entries []fhirexport.Entry) {
	t.Helper()
	fullURLs := map[string]bool{}
	recordIDs := map[string]int{}
	byID := map[string]int{}
	for _, e := range entries {
		if !fhirID.MatchString(e.ID) {
			t.Fatalf("seed %d: %s id %q is not a FHIR id", seed, e.Type, e.ID)
		}
		if fullURLs[e.FullURL] {
			t.Fatalf("seed %d: %s appears twice", seed, e.FullURL)
		}
		fullURLs[e.FullURL] = true
		byID[e.ID]++
		res := toMap(t, e.Resource)
		if res["id"] != e.ID || res["resourceType"] != e.Type {
			t.Fatalf("seed %d: entry %s/%s holds %v/%v", seed, e.Type, e.ID, res["resourceType"], res["id"])
		}
		for _, id := range asList(res["identifier"]) {
			if m := id.(map[string]any); m["system"] == fhirexport.SystemRecord {
				recordIDs[m["value"].(string)]++
			}
		}
	}
	for _, e := range entries {
		for _, ref := range references(toMap(t, e.Resource)) {
			if !fullURLs[ref] {
				t.Fatalf("seed %d: %s/%s refers to %q, which is not in the bundle", seed, e.Type, e.ID, ref)
			}
		}
	}
	for _, id := range exportable(c) {
		if byID[id] != 1 || recordIDs[id] != 1 {
			t.Fatalf("seed %d: record %s appears %d times by id, %d by identifier; want once", seed, id, byID[id], recordIDs[id])
		}
	}
	if n := len(recordIDs); n != len(exportable(c))+practitionersAndPractice(entries) {
		t.Fatalf("seed %d: %d resources carry a record identifier, want %d records", seed, n, len(exportable(c)))
	}
}

func practitionersAndPractice(entries []fhirexport.Entry) int {
	n := 0
	for _, e := range entries {
		if e.Type == "Practitioner" || e.Type == "Organization" {
			n++
		}
	}
	return n
}

// exportable are the ids of the records the export writes: every current
// record, except drafts, social history with no smoking status, and
// damaged placeholders; plus the patient and the lab reports.
func exportable(c chart.PatientRecords) []string {
	ids := []string{string(c.Patient.ID)}
	keep := func(m *chart.Meta, ok bool) {
		if ok && !m.IsDamaged() && m.EnteredInError == nil {
			ids = append(ids, string(m.ID))
		}
	}
	for i := range c.Encounters {
		keep(&c.Encounters[i].Meta, true)
	}
	for i := range c.Problems {
		keep(&c.Problems[i].Meta, true)
	}
	for i := range c.Medications {
		keep(&c.Medications[i].Meta, true)
	}
	for i := range c.Allergies {
		keep(&c.Allergies[i].Meta, true)
	}
	for i := range c.Vitals {
		keep(&c.Vitals[i].Meta, true)
	}
	reports := map[chart.RecordID]bool{}
	for i := range c.Results {
		r := &c.Results[i]
		keep(&r.Meta, true)
		if r.ReportID != "" && !r.IsDamaged() && r.EnteredInError == nil && !reports[r.ReportID] {
			reports[r.ReportID] = true
			ids = append(ids, string(r.ReportID))
		}
	}
	for i := range c.Immunizations {
		keep(&c.Immunizations[i].Meta, true)
	}
	for i := range c.Notes {
		keep(&c.Notes[i].Meta, c.Notes[i].Signed())
	}
	for i := range c.Procedures {
		keep(&c.Procedures[i].Meta, true)
	}
	for i := range c.SocialHistory {
		keep(&c.SocialHistory[i].Meta, c.SocialHistory[i].Smoking.Code != "")
	}
	for i := range c.Pregnancy {
		keep(&c.Pregnancy[i].Meta, true)
	}
	return ids
}

func damagedCount(c chart.PatientRecords) int {
	n := 0
	for i := range c.Problems {
		if c.Problems[i].IsDamaged() {
			n++
		}
	}
	for i := range c.Notes {
		if c.Notes[i].IsDamaged() {
			n++
		}
	}
	return n
}

// TestPracticeNDJSONReferencesResolve: in the Bulk Data files every
// relative reference names a resource of the files, each practitioner and
// the practice are written once, and the manifest's counts are the lines.
func TestPracticeNDJSONReferencesResolve(t *testing.T) {
	cs := charts(3, 10, chartgen.Options{Records: 40, Damaged: true})
	dir := t.TempDir()
	files := &dirFiles{dir: dir}
	m, err := fhirexport.PracticeNDJSON(files, iterate(cs), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	files.close(t)
	have := map[string]bool{}
	var refs []string
	for _, o := range append(m.Output, m.Error...) {
		lines := 0
		f, err := os.Open(filepath.Join(dir, o.URL))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			lines++
			var res map[string]any
			if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			key := res["resourceType"].(string) + "/" + res["id"].(string)
			if have[key] || res["resourceType"] != o.Type {
				t.Fatalf("%s: %s is repeated or in the wrong file", o.URL, key)
			}
			have[key] = true
			refs = append(refs, references(res)...)
		}
		f.Close()
		if lines != o.Count {
			t.Fatalf("%s: %d lines, manifest says %d", o.URL, lines, o.Count)
		}
	}
	for _, r := range refs {
		if !have[r] {
			t.Fatalf("reference %q names no resource of the export", r)
		}
	}
	if m.Patients != len(cs) || len(m.Error) != 1 {
		t.Fatalf("manifest: %d patients (want %d), error files %v (want the damaged records' warnings)", m.Patients, len(cs), m.Error)
	}
	raw, err := os.ReadFile(filepath.Join(dir, fhirexport.ManifestName))
	if err != nil || !strings.Contains(string(raw), `"requiresAccessToken": false`) {
		t.Fatalf("manifest: %v\n%s", err, raw)
	}
}

func toMap(t testing.TB, res any) map[string]any {
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// references are the "reference" values anywhere in a resource.
func references(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && k == "reference" {
				out = append(out, s)
			} else {
				out = append(out, references(val)...)
			}
		}
	case []any:
		for _, e := range x {
			out = append(out, references(e)...)
		}
	}
	return out
}
