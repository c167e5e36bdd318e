package fhirimport

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhir"
)

// The test reads bundles itself (the streaming reader and the real
// Resolver belong to the import pipeline): a map-based resolver over the
// fullUrls, "Type/id" and conditional references of the files given.

const testdataFHIR = "../testdata/fhir"

// sharedFHIR is the whole shared fixture set, when this machine has it.
func sharedFHIR() string {
	if p := os.Getenv("OUTPOST_FHIR_FIXTURES"); p != "" {
		return p
	}
	// From the package folder: a worktree beside /work/shared (../../..),
	// or a checkout at /work/main (../..).
	for _, p := range []string{"../../../shared/fixtures/fhir", "../../shared/fixtures/fhir"} {
		if _, err := os.Stat(filepath.Join(p, "synthea")); err == nil {
			return p
		}
	}
	return "../../shared/fixtures/fhir"
}

func readBundle(t testing.TB, path string) []fhir.Resource {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	var b struct {
		ResourceType string `json:"resourceType"`
		Entry        []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.NewDecoder(r).Decode(&b); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b.ResourceType != "Bundle" {
		raw, _ := os.ReadFile(path)
		return []fhir.Resource{resourceOf(t, raw, "", fhir.Location{File: path, Entry: -1})}
	}
	var out []fhir.Resource
	for i, e := range b.Entry {
		out = append(out, resourceOf(t, e.Resource, e.FullURL, fhir.Location{File: filepath.Base(path), Entry: i}))
	}
	return out
}

func resourceOf(t testing.TB, raw json.RawMessage, fullURL string, at fhir.Location) fhir.Resource {
	var head struct {
		Type string `json:"resourceType"`
		ID   string `json:"id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		t.Fatalf("%s: %v", at, err)
	}
	return fhir.Resource{Type: head.Type, ID: head.ID, FullURL: fullURL, Raw: raw, At: at}
}

// mapResolver resolves urn:uuid: and other fullUrls, "Type/id" (also at
// the end of an absolute URL) and "Type?identifier=system|value".
type mapResolver struct {
	byURL map[string]fhir.Resource
	all   []fhir.Resource
}

func newMapResolver(sets ...[]fhir.Resource) *mapResolver {
	r := &mapResolver{byURL: map[string]fhir.Resource{}}
	for _, set := range sets {
		for _, res := range set {
			r.all = append(r.all, res)
			for _, id := range identifiersOf(res) { // conditional references
				key := res.Type + "?identifier=" + id.System + "|" + id.Value
				if _, dup := r.byURL[key]; !dup {
					r.byURL[key] = res
				}
			}
			if res.FullURL != "" {
				r.byURL[res.FullURL] = res
			}
			if res.ID != "" {
				r.byURL[res.Type+"/"+res.ID] = res
			}
		}
	}
	return r
}

func (r *mapResolver) Resolve(ref string, _ fhir.Resource) (fhir.Resource, bool) {
	if res, ok := r.byURL[ref]; ok {
		return res, true
	}
	if typ, query, ok := strings.Cut(ref, "?identifier="); ok {
		system, value, _ := strings.Cut(query, "|")
		for _, res := range r.all {
			if res.Type == typ && hasIdentifier(res.Raw, system, value) {
				return res, true
			}
		}
		return fhir.Resource{}, false
	}
	if parts := strings.Split(ref, "/"); len(parts) >= 2 {
		res, ok := r.byURL[parts[len(parts)-2]+"/"+parts[len(parts)-1]]
		return res, ok
	}
	return fhir.Resource{}, false
}

func identifiersOf(res fhir.Resource) []fhir.Identifier {
	var v struct {
		Identifier []fhir.Identifier `json:"identifier"`
	}
	_ = json.Unmarshal(res.Raw, &v)
	return v.Identifier
}

func hasIdentifier(raw json.RawMessage, system, value string) bool {
	for _, id := range identifiersOf(fhir.Resource{Raw: raw}) {
		if id.System == system && id.Value == value {
			return true
		}
	}
	return false
}

// groupOf splits a patient bundle into its PatientGroup.
func groupOf(t testing.TB, resources []fhir.Resource, source string) PatientGroup {
	g := PatientGroup{Source: source}
	found := false
	for _, res := range resources {
		if res.Type == "Patient" && !found {
			g.Patient, found = res, true
			continue
		}
		g.Resources = append(g.Resources, res)
	}
	if !found {
		t.Fatalf("no Patient among %d resources", len(resources))
	}
	return g
}

// testIDs is a stand-in for the store's keyed ids: stable per key.
func testIDs(key string) chart.RecordID {
	sum := sha256.Sum256([]byte("test-practice-key|" + key))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x80 // version 8 (custom), variant RFC 4122
	b[8] = b[8]&0x3f | 0x80
	const hexd = "0123456789abcdef"
	var s strings.Builder
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s.WriteByte('-')
		}
		s.WriteByte(hexd[x>>4])
		s.WriteByte(hexd[x&15])
	}
	return chart.RecordID(s.String())
}

// fixtureBundles lists the patient bundles of a synthea or uscore folder
// and the shared batch bundles of blaze (practitioners, hospitals).
func fixtureBundles(t testing.TB, root string) (patients []string, shared []fhir.Resource) {
	for _, dir := range []string{"synthea/blaze-synthea-2.7", "synthea/smart-synthea-2.4", "uscore-inferno"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.json.gz"))
		sort.Strings(files)
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), "0-") {
				shared = append(shared, readBundle(t, f)...)
				continue
			}
			patients = append(patients, f)
		}
	}
	return patients, shared
}

// tally counts outcomes by type and status, and keeps the reasons.
type tally struct {
	counts  map[string]map[Status]int
	reasons map[string]int
}

func (ty *tally) add(outs []Outcome) {
	if ty.counts == nil {
		ty.counts, ty.reasons = map[string]map[Status]int{}, map[string]int{}
	}
	for _, o := range outs {
		if ty.counts[o.Type] == nil {
			ty.counts[o.Type] = map[Status]int{}
		}
		ty.counts[o.Type][o.Status]++
		if o.Status != Imported {
			ty.reasons[o.Type+" "+string(o.Status)+": "+o.Reason]++
		}
	}
}

func (ty *tally) String() string {
	var lines []string
	for typ, c := range ty.counts {
		lines = append(lines, typ+": imported "+itoa(c[Imported])+", skipped "+itoa(c[Skipped])+", failed "+itoa(c[Failed]))
	}
	sort.Strings(lines)
	var reasons []string
	for r, n := range ty.reasons {
		reasons = append(reasons, itoa(n)+" × "+r)
	}
	sort.Strings(reasons)
	return strings.Join(lines, "\n") + "\n" + strings.Join(reasons, "\n")
}

func itoa(n int) string { return strings.TrimSpace(strings.Replace(jsonInt(n), "\"", "", -1)) }

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// mapFixtures maps every patient bundle under root and checks the
// promises that hold for any input: one outcome per resource, in order,
// and no failure on data that the chart can hold.
func mapFixtures(t *testing.T, root string) *tally {
	patients, shared := fixtureBundles(t, root)
	if len(patients) == 0 {
		t.Fatalf("no patient bundles under %s", root)
	}
	var ty tally
	for _, path := range patients {
		resources := readBundle(t, path)
		g := groupOf(t, resources, filepath.Base(path))
		recs, outs := MapPatient(g, newMapResolver(shared, resources), testIDs)
		checkOutcomes(t, path, g, outs)
		checkSources(t, g, recs)
		ty.add(outs)
	}
	return &ty
}

func checkOutcomes(t *testing.T, path string, g PatientGroup, outs []Outcome) {
	t.Helper()
	if len(outs) != len(g.Resources)+1 {
		t.Fatalf("%s: %d outcomes for %d resources", path, len(outs), len(g.Resources)+1)
	}
	for k, o := range outs {
		res := g.Patient
		if k > 0 {
			res = g.Resources[k-1]
		}
		if o.Type != res.Type || o.At != res.At || (o.Status != Imported && o.Status != Skipped && o.Status != Failed) {
			t.Fatalf("%s: outcome %d is %+v for %s at %v", path, k, o, res.Type, res.At)
		}
		if o.Status == Failed {
			t.Errorf("%s: %s %s failed: %s", path, o.Type, o.ID, o.Reason)
		}
		if o.Status == Skipped && o.Reason == "" {
			t.Errorf("%s: %s %s skipped with no reason", path, o.Type, o.ID)
		}
	}
}

// checkSources: the original JSON of every resource is kept, one line each.
func checkSources(t *testing.T, g PatientGroup, recs chart.PatientRecords) {
	t.Helper()
	var lines int
	for _, d := range recs.Sources {
		if len(d.NDJSON) > maxSourcePart+1<<20 || d.Parts != len(recs.Sources) {
			t.Fatalf("source part %d/%d holds %d bytes", d.Part, d.Parts, len(d.NDJSON))
		}
		lines += strings.Count(d.NDJSON, "\n")
	}
	if lines != len(g.Resources)+1 {
		t.Fatalf("the sources keep %d resources of %d", lines, len(g.Resources)+1)
	}
}

func TestMapPatientFixturesNoFailures(t *testing.T) {
	ty := mapFixtures(t, testdataFHIR)
	t.Logf("testdata fixtures:\n%s", ty)
}

// TestMapPatientAllSharedSynthea maps all 180 shared Synthea patients (and
// the US Core ones) when the shared fixtures are on this machine.
func TestMapPatientAllSharedSynthea(t *testing.T) {
	root := sharedFHIR()
	if _, err := os.Stat(filepath.Join(root, "synthea")); err != nil {
		t.Skip("shared fixtures not present:", root)
	}
	if testing.Short() {
		t.Skip("long: maps every shared patient")
	}
	ty := mapFixtures(t, root)
	t.Logf("shared fixtures:\n%s", ty)
}
