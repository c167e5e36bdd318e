package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
)

const smartSynthea = "../testdata/fhir/synthea/smart-synthea-2.4"

// interopApp is a practice with its administrator signed in and a
// clinician, on a real store, with the real importer.
func interopApp(t *testing.T, opts app.Options) *app.App {
	t.Helper()
	opts.Events = &recorder{}
	a, _ := practiceApp(t, opts)
	return a
}

// waitImport waits for the import under way to end and returns its status.
func waitImport(t *testing.T, a *app.App) app.ImportStatus {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		st, err := a.Interop.ImportStatus()
		if err != nil {
			t.Fatal(err)
		}
		if !st.Running {
			return st
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the import did not end")
	return app.ImportStatus{}
}

// An administrator imports a folder of Synthea bundles in the background:
// every patient is created, nothing fails, the report's counts add up and
// it is saved where asked; the same folder again adds nothing; a
// clinician may not start an import.
func TestImportRunsInTheBackgroundAndReports(t *testing.T) {
	d := &pickedDialogs{folder: t.TempDir()}
	a := interopApp(t, app.Options{Dialogs: d})
	files, _ := filepath.Glob(filepath.Join(smartSynthea, "*.json.gz"))

	if _, err := a.Interop.StartImport([]string{"  "}); code(err) != chart.EINVALID {
		t.Fatalf("an empty path list: %v", err)
	}
	if _, err := a.Interop.StartImport([]string{smartSynthea}); err != nil {
		t.Fatal(err)
	}
	st := waitImport(t, a)
	rep := st.Report
	if rep == nil || st.Error != "" {
		t.Fatalf("no report: %+v", st)
	}
	if rep.Patients.Created != len(files) || rep.Patients.Failed != 0 {
		t.Fatalf("patients %+v, want %d created", rep.Patients, len(files))
	}
	for typ, c := range rep.Totals {
		if c.Failed != 0 || c.Read != c.Imported+c.Merged+c.Skipped+c.Failed {
			t.Errorf("%s: %+v", typ, c)
		}
	}
	path, err := a.Interop.SaveImportReport()
	if err != nil {
		t.Fatal(err)
	}
	var saved chart.ImportReport
	if body, err := os.ReadFile(path); err != nil || json.Unmarshal(body, &saved) != nil || saved.ID != rep.ID {
		t.Fatalf("saved report %s: %v", path, err)
	}

	if _, err := a.Interop.StartImport([]string{smartSynthea}); err != nil {
		t.Fatal(err)
	}
	again := waitImport(t, a).Report
	if again.Patients.Created != 0 || again.Patients.Matched != len(files) {
		t.Fatalf("second import patients %+v, want all matched", again.Patients)
	}
	for typ, c := range again.Totals {
		if c.Imported != 0 {
			t.Errorf("the second import imported %d %s", c.Imported, typ)
		}
	}

	signIn(t, a, "sam")
	if _, err := a.Interop.StartImport([]string{smartSynthea}); code(err) != chart.EFORBIDDEN {
		t.Fatalf("a clinician started an import: %v", err)
	}
}

// A lab's file dropped in the lab inbox is picked up while a clinician is
// signed in, lands in the review inbox marked external, and is removed; a
// file that is not FHIR is set aside in failed/ with the reason.
func TestLabInboxPicksUpResults(t *testing.T) {
	a := interopApp(t, app.Options{LabTick: 20 * time.Millisecond})
	inbox := t.TempDir()
	if _, err := a.Interop.SetLabInbox(inbox); err != nil {
		t.Fatal(err)
	}
	signIn(t, a, "sam")
	p, err := a.Patients.Register(chart.Patient{GivenName: "Ada", FamilyName: "Okafor", BirthDate: "1980-03-12", Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	lab := filepath.Join(inbox, "potassium.json")
	if err := os.WriteFile(lab, []byte(labFile), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(inbox, "zz-not-fhir.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(bad); os.IsNotExist(err) {
			if _, err := os.Stat(lab); os.IsNotExist(err) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(lab); !os.IsNotExist(err) {
		t.Fatalf("the lab file is still there: %v", err)
	}
	why, err := os.ReadFile(filepath.Join(inbox, "failed", "zz-not-fhir.json.why.txt"))
	if err != nil || len(why) == 0 {
		t.Fatalf("the bad file was not set aside with a reason: %v", err)
	}
	items, err := a.Chart.ReviewInbox()
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Patient.ID != p.ID || items[0].Result.Origin == nil || !items[0].Result.Origin.External ||
		!strings.Contains(items[0].Result.Test.Display, "Potassium") || items[0].Result.Value != "5.9" {
		t.Fatalf("review inbox %+v", items)
	}
	st, err := a.Interop.LabInbox()
	if err != nil || st.Picked != 1 || st.Failed != 1 || st.LastError == "" {
		t.Fatalf("lab inbox status %+v, %v", st, err)
	}
}

// labFile is a lab's report for Ada Okafor: one high potassium.
const labFile = `{"resourceType":"Bundle","type":"collection","entry":[
 {"fullUrl":"urn:uuid:6f1c2d1e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient",
  "name":[{"family":"Okafor","given":["Ada"]}],"birthDate":"1980-03-12","gender":"female"}},
 {"fullUrl":"urn:uuid:6f1c2d1e-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","status":"final",
  "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
  "code":{"coding":[{"system":"http://loinc.org","code":"2823-3","display":"Potassium [Moles/volume] in Serum or Plasma"}],"text":"Potassium"},
  "subject":{"reference":"urn:uuid:6f1c2d1e-0000-4000-8000-000000000001"},"effectiveDateTime":"2026-12-04T08:30:00Z",
  "valueQuantity":{"value":5.9,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"},
  "interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"H"}]}],
  "referenceRange":[{"low":{"value":3.5,"unit":"mmol/L"},"high":{"value":5.1,"unit":"mmol/L"}}]}},
 {"fullUrl":"urn:uuid:6f1c2d1e-0000-4000-8000-000000000003","resource":{"resourceType":"DiagnosticReport","status":"final",
  "code":{"text":"Metabolic panel"},"subject":{"reference":"urn:uuid:6f1c2d1e-0000-4000-8000-000000000001"},
  "effectiveDateTime":"2026-12-04T08:30:00Z","performer":[{"display":"Valley Reference Lab"}],
  "result":[{"reference":"urn:uuid:6f1c2d1e-0000-4000-8000-000000000002"}]}}]}`

// A clinician exports one chart as a FHIR Bundle and the practice as Bulk
// NDJSON into folders they name; a missing purpose or folder is refused
// with the field, and nothing is written over.
func TestExportChartAndPractice(t *testing.T) {
	a := interopApp(t, app.Options{})
	signIn(t, a, "sam")
	p, err := a.Patients.Register(chart.Patient{GivenName: "Ada", FamilyName: "Okafor", BirthDate: "1980-03-12", Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	one, all := t.TempDir(), t.TempDir()
	if _, err := a.Interop.ExportPatient(string(p.ID), one, " "); code(err) != chart.EINVALID {
		t.Fatalf("an export without a purpose: %v", err)
	}
	if _, err := a.Interop.ExportPatient(string(p.ID), "relative/dir", "transfer"); code(err) != chart.EINVALID {
		t.Fatalf("an export into a relative folder: %v", err)
	}
	done, err := a.Interop.ExportPatient(string(p.ID), one, "transfer to Lakeview")
	if err != nil || done.Patients != 1 || done.Format != "bundle" {
		t.Fatalf("chart export %+v, %v", done, err)
	}
	body, err := os.ReadFile(filepath.Join(one, p.MRN+".json"))
	if err != nil || !strings.Contains(string(body), `"Bundle"`) || !strings.Contains(string(body), "Okafor") {
		t.Fatalf("the bundle: %v", err)
	}
	if _, err := a.Interop.ExportPatient(string(p.ID), one, "again"); code(err) != chart.EINVALID {
		t.Fatalf("an export over an existing file: %v", err)
	}
	done, err = a.Interop.ExportPractice(all, "archive")
	if err != nil || done.Patients != 1 {
		t.Fatalf("practice export %+v, %v", done, err)
	}
	if _, err := os.Stat(filepath.Join(all, "manifest.json")); err != nil {
		t.Fatal(err)
	}
}
