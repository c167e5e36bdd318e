package fhirimport

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhir"
)

const testdata = "../testdata/fhir"

// entriesIn counts the resources a set of files holds, read independently
// of the pipeline.
func entriesIn(t testing.TB, paths ...string) int {
	t.Helper()
	files, err := fhir.FindFiles(paths)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		fhir.ReadFile(f, func(fhir.Entry) error { n++; return nil })
	}
	return n
}

// checkSums asserts Read = Imported + Merged + Skipped + Failed in every
// file and type and in the totals, and that the totals are the files' sum.
func checkSums(t *testing.T, rep *chart.ImportReport) {
	t.Helper()
	check := func(where string, c *chart.TypeCounts) {
		if c.Read != c.Imported+c.Merged+c.Skipped+c.Failed {
			t.Errorf("%s: read %d != %d+%d+%d+%d", where, c.Read, c.Imported, c.Merged, c.Skipped, c.Failed)
		}
		skipped := 0
		for _, n := range c.SkipReasons {
			skipped += n
		}
		if skipped != c.Skipped {
			t.Errorf("%s: %d skipped but reasons for %d", where, c.Skipped, skipped)
		}
	}
	read := 0
	for _, f := range rep.Files {
		for typ, c := range f.Types {
			check(f.Path+" "+typ, c)
		}
	}
	for typ, c := range rep.Totals {
		check("total "+typ, c)
		read += c.Read
	}
	if read != rep.Entries {
		t.Errorf("totals read %d, report entries %d", read, rep.Entries)
	}
}

func run(t *testing.T, store Store, opts RunOptions, paths ...string) *chart.ImportReport {
	t.Helper()
	if opts.Map == nil {
		opts.Map = MapPatient
	}
	rep, err := Run(context.Background(), paths, store, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, rep)
	return rep
}

// The Synthea and US Core fixtures: every resource read is accounted for,
// nothing fails, every patient is created, and the conditional references
// into the shared practitioner and hospital bundles resolve.
func TestRunFixtures(t *testing.T) {
	store := newMemStore()
	paths := []string{filepath.Join(testdata, "synthea"), filepath.Join(testdata, "uscore-inferno")}
	var last chart.ImportProgress
	rep := run(t, store, RunOptions{By: "dana", Progress: func(p chart.ImportProgress) {
		// The bar moves with every file read and every patient imported.
		if p.BytesDone <= last.BytesDone || p.Entries < last.Entries {
			t.Errorf("progress went %+v → %+v", last, p)
		}
		last = p
	}}, paths...)
	if want := entriesIn(t, paths...); rep.Entries != want {
		t.Errorf("report counts %d resources, the files hold %d", rep.Entries, want)
	}
	if rep.Patients.Created != 14 || store.patientCount() != 14 {
		t.Errorf("patients created %d, stored %d; want 14", rep.Patients.Created, store.patientCount())
	}
	for typ, c := range rep.Totals {
		if c.Failed > 0 {
			t.Errorf("%s: %d failed: %v", typ, c.Failed, c.Errors)
		}
	}
	if c := rep.Totals["Condition"]; c == nil || c.Imported == 0 {
		t.Errorf("conditions: %+v", c)
	}
	for _, f := range rep.Files {
		for _, u := range f.Unresolved {
			if strings.Contains(u, "?identifier=") {
				t.Errorf("%s: conditional reference unresolved: %s", f.Path, u)
			}
		}
	}
	if last.Patients != 14 || last.FilesDone != last.Files || last.Entries == 0 || last.BytesDone != last.Bytes {
		t.Errorf("last progress: %+v", last)
	}
	if rep.PeakHeap == 0 || rep.ID == "" || rep.By != "dana" {
		t.Errorf("report header: %+v", rep)
	}
}

// Without the shared bundles the conditional references are reported as
// unresolved, and the patient still imports.
func TestRunUnresolvedNotFatal(t *testing.T) {
	file := filepath.Join(testdata, "synthea/blaze-synthea-2.7/6c8f3e83-c351-ed33-c38d-6be101c275d2.json.gz")
	rep := run(t, newMemStore(), RunOptions{}, file)
	if rep.Patients.Created != 1 || len(rep.Files[0].Unresolved) == 0 ||
		!strings.Contains(strings.Join(rep.Files[0].Unresolved, "\n"), "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|") {
		t.Fatalf("created %d, unresolved %v", rep.Patients.Created, rep.Files[0].Unresolved)
	}
}

// copyGunzipped writes a fixture uncompressed into dir, optionally cut
// short after n bytes.
func copyGunzipped(t *testing.T, src, dst string, n int) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(gz)
	if err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		data = data[:n]
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A file that breaks off in the middle (its patient and many entries
// already read) writes nothing; the good file beside it imports.
func TestRunBrokenFileWritesNothing(t *testing.T) {
	dir := t.TempDir()
	smart := filepath.Join(testdata, "synthea/smart-synthea-2.4")
	copyGunzipped(t, filepath.Join(smart, "5c6db3d0-c0fc-4eb7-8eae-dbc7847be741.json.gz"), filepath.Join(dir, "good.json"), 0)
	copyGunzipped(t, filepath.Join(smart, "68165820-a555-4a84-aecb-980fa95b1251.json.gz"), filepath.Join(dir, "cut.json"), 300000)
	store := newMemStore()
	rep := run(t, store, RunOptions{}, dir)
	var cut *chart.FileReport
	for _, f := range rep.Files {
		if strings.HasSuffix(f.Path, "cut.json") {
			cut = f
		}
	}
	if cut == nil || cut.Error == "" || !strings.Contains(cut.Error, "line") || len(cut.Types) != 0 {
		t.Fatalf("cut file: %+v", cut)
	}
	if rep.Patients.Created != 1 || store.patientCount() != 1 || len(store.calls) != 1 || store.calls[0].File != filepath.Join(dir, "good.json") {
		t.Fatalf("created %d, stored %d, calls %+v", rep.Patients.Created, store.patientCount(), store.calls)
	}
}

// One patient the store refuses fails that patient's resources; the rest
// import.
func TestRunStoreErrorGoesOn(t *testing.T) {
	dir := filepath.Join(testdata, "synthea/smart-synthea-2.4")
	names := familyNames(t, dir)
	store := newMemStore()
	store.failFamily = names[1]
	rep := run(t, store, RunOptions{}, dir)
	if rep.Patients.Failed != 1 || rep.Patients.Created != len(names)-1 {
		t.Fatalf("patients %+v", rep.Patients)
	}
	if c := rep.Totals["Condition"]; c.Failed == 0 || c.Imported == 0 || !strings.Contains(strings.Join(c.Errors, " "), "the store refused") {
		t.Fatalf("conditions %+v", c)
	}
}

// familyNames are the family names of the patients of a folder, in the
// order the import meets them.
func familyNames(t *testing.T, dir string) []string {
	var names []string
	store := newMemStore()
	run(t, store, RunOptions{Map: func(g PatientGroup, r Resolver, ids IDs) (chart.PatientRecords, []Outcome) {
		recs, outs := MapPatient(g, r, ids)
		names = append(names, recs.Patient.FamilyName)
		return recs, outs
	}}, dir)
	return names
}

// A cancelled import stops between patients: the patients before stay
// whole, the report says Cancelled, and the counts still add up.
func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := newMemStore()
	opts := RunOptions{Progress: func(p chart.ImportProgress) {
		if p.Patients == 2 {
			cancel()
		}
	}}
	rep, err := Run(ctx, []string{filepath.Join(testdata, "synthea")}, store, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, rep)
	if !rep.Cancelled || store.patientCount() != 2 || rep.Patients.Created != 2 {
		t.Fatalf("cancelled %v, stored %d, report %+v", rep.Cancelled, store.patientCount(), rep.Patients)
	}
}

// Importing the same files twice adds nothing the second time: the
// patients are matched and their records counted as merged.
func TestRunTwiceMerges(t *testing.T) {
	store := newMemStore()
	dir := filepath.Join(testdata, "synthea/smart-synthea-2.4")
	first := run(t, store, RunOptions{}, dir)
	second := run(t, store, RunOptions{}, dir)
	if second.Patients.Matched != first.Patients.Created || second.Patients.Created != 0 {
		t.Fatalf("second run: %+v", second.Patients)
	}
	if c := second.Totals["Condition"]; c.Merged != first.Totals["Condition"].Imported || c.Imported != 0 {
		t.Fatalf("conditions the second time: %+v", c)
	}
	if c := second.Totals["Patient"]; c.Merged != 4 {
		t.Fatalf("patients the second time: %+v", c)
	}
}

// Lab mode reaches the store and the mapper; held patients are counted
// and their resources skipped with the reason.
func TestRunLabHeld(t *testing.T) {
	store := newMemStore()
	store.hold = true
	var sawLab bool
	rep := run(t, store, RunOptions{Lab: true, Map: func(g PatientGroup, r Resolver, ids IDs) (chart.PatientRecords, []Outcome) {
		sawLab = g.Lab
		return MapPatient(g, r, ids)
	}}, filepath.Join(testdata, "uscore-inferno/uscore_bundle_patient_907.json.gz"))
	if !sawLab || len(store.calls) != 1 || !store.calls[0].Lab || rep.Patients.Held != 1 {
		t.Fatalf("lab %v, calls %+v, patients %+v", sawLab, store.calls, rep.Patients)
	}
	if c := rep.Totals["Patient"]; c.Skipped != 1 {
		t.Fatalf("held patient: %+v", c)
	}
}

// The edge cases run through the pipeline without stopping it: syntax
// errors fail their files with the line, everything else is accounted.
func TestRunEdgeCases(t *testing.T) {
	rep := run(t, newMemStore(), RunOptions{}, filepath.Join(testdata, "edge-cases/cases"))
	failed := 0
	for _, f := range rep.Files {
		if f.Error != "" {
			failed++
			if !strings.Contains(f.Error, "line") {
				t.Errorf("%s: %s", f.Path, f.Error)
			}
		}
	}
	if failed != 7 {
		t.Errorf("%d files failed, want the 6 JSON syntax cases and the trailing-dot decimal", failed)
	}
	if rep.Patients.Created == 0 {
		t.Error("no patient imported from the valid cases")
	}
	// A shared resource that fails its checks says where it was.
	if c := rep.Totals["Location"]; c == nil || c.Failed != 1 || !strings.Contains(c.Errors[0], "resource-invalid-id-1.json") {
		t.Errorf("locations: %+v", c)
	}
}

// ndjsonOf writes a Synthea bundle's resources as Bulk Data NDJSON, one
// file per type, appending to what dir holds; references become
// "Type/id", as a Bulk Data export writes them.
func ndjsonOf(t *testing.T, bundle, dir string) {
	t.Helper()
	var names []string
	fhir.ReadFile(bundle, func(e fhir.Entry) error {
		names = append(names, `"`+e.FullURL+`"`, `"`+e.Type+"/"+e.ID+`"`)
		return nil
	})
	rename := strings.NewReplacer(names...)
	files := map[string]*bytes.Buffer{}
	_, err := fhir.ReadFile(bundle, func(e fhir.Entry) error {
		e.Raw = []byte(rename.Replace(string(e.Raw)))
		b := files[e.Type]
		if b == nil {
			b = &bytes.Buffer{}
			files[e.Type] = b
		}
		var compact bytes.Buffer
		if err := jsonCompact(&compact, e.Raw); err != nil {
			return err
		}
		b.Write(compact.Bytes())
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for typ, b := range files {
		f, err := os.OpenFile(filepath.Join(dir, typ+".ndjson"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(b.Bytes())
		f.Close()
	}
}

// NDJSON files (one per type, many patients each) are grouped by patient,
// in chunks when the budget is small, to the same result as the bundles.
func TestRunNDJSONGrouping(t *testing.T) {
	smart, dir := smartAsNDJSON(t)
	fromBundles := run(t, newMemStore(), RunOptions{}, smart...)
	for _, budget := range []int64{1, 64 << 20} {
		store := newMemStore()
		rep := run(t, store, RunOptions{GroupBytes: budget}, dir)
		if rep.Patients.Created != 4 || store.patientCount() != 4 {
			t.Fatalf("budget %d: patients %+v", budget, rep.Patients)
		}
		for _, typ := range []string{"Condition", "Patient", "Encounter"} {
			a, b := fromBundles.Totals[typ], rep.Totals[typ]
			if a.Read != b.Read || a.Imported != b.Imported || a.Skipped != b.Skipped {
				t.Errorf("budget %d, %s: bundles %+v, ndjson %+v", budget, typ, a, b)
			}
		}
		if c := rep.Totals["Observation"]; c.Failed != 1 || !strings.Contains(c.Errors[0], "Patient/nobody") {
			t.Errorf("budget %d: the stray observation: %+v", budget, c)
		}
	}
}

// smartAsNDJSON writes the SMART Synthea bundles as NDJSON into a new
// folder, with one observation of a patient the files do not hold.
func smartAsNDJSON(t *testing.T) (bundles []string, dir string) {
	smart, _ := filepath.Glob(filepath.Join(testdata, "synthea/smart-synthea-2.4/*.json.gz"))
	dir = t.TempDir()
	for _, b := range smart {
		ndjsonOf(t, b, dir)
	}
	os.WriteFile(filepath.Join(dir, "Observation.ndjson"),
		append(must(os.ReadFile(filepath.Join(dir, "Observation.ndjson"))),
			[]byte(`{"resourceType":"Observation","id":"stray","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/nobody"}}`+"\n")...), 0o600)
	return smart, dir
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func jsonCompact(dst *bytes.Buffer, src []byte) error { return json.Compact(dst, src) }

// A patient whose own resource the mapper refuses (here: no name, which
// the chart requires) brings nothing to the store, and every resource of
// theirs is counted as failed with the reason.
func TestRunRefusedPatientReachesNoStore(t *testing.T) {
	dir := t.TempDir()
	bundle := `{"resourceType":"Bundle","type":"collection","entry":[
	 {"fullUrl":"urn:uuid:7c1d0c1e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","gender":"female","birthDate":"1970-01-01"}},
	 {"fullUrl":"urn:uuid:7c1d0c1e-0000-4000-8000-000000000002","resource":{"resourceType":"Condition",
	  "code":{"text":"Asthma"},"subject":{"reference":"urn:uuid:7c1d0c1e-0000-4000-8000-000000000001"}}}]}`
	if err := os.WriteFile(filepath.Join(dir, "nameless.json"), []byte(bundle), 0o600); err != nil {
		t.Fatal(err)
	}
	store := newMemStore()
	rep := run(t, store, RunOptions{}, dir)
	if rep.Patients.Failed != 1 || store.patientCount() != 0 {
		t.Fatalf("patients %+v, stored %d; want 1 failed, none stored", rep.Patients, store.patientCount())
	}
	c := rep.Totals["Condition"]
	if c == nil || c.Failed != 1 || !strings.Contains(strings.Join(c.Errors, " "), "own resource could not be mapped") {
		t.Fatalf("condition counts %+v", c)
	}
}
