package fhirexport_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/fhirexport/chartgen"
)

// validatorDir is the node project of the outside judge.
const validatorDir = "../tools/fhir-validate"

// TestExportValidatesWithMedplum is the outside judge: generated charts
// (every kind of record, optional fields filled or not, damaged and
// entered-in-error records) and the testdata/fhir patients as the importer
// charts them, exported as patient Bundles, as practice NDJSON and as
// referral summaries (IPS documents), and every resource checked by @medplum/core's validateResource
// against base FHIR R4: 0 errors. It needs the validator's node_modules
// (make test installs them); without them it skips, unless
// OUTPOST_FHIR_VALIDATE=require (as make test sets), when it fails.
func TestExportValidatesWithMedplum(t *testing.T) {
	if _, err := os.Stat(filepath.Join(validatorDir, "node_modules", "@medplum", "core")); err != nil {
		if os.Getenv("OUTPOST_FHIR_VALIDATE") == "require" {
			t.Fatalf("the FHIR validator is not installed (npm ci --prefix tools/fhir-validate): %v", err)
		}
		t.Skip("the FHIR validator is not installed: npm ci --prefix tools/fhir-validate")
	}
	dir := t.TempDir()
	cs := append(charts(7, 12, chartgen.Options{Records: 60, Damaged: true}), fixtureCharts(t)...)
	for i, c := range cs {
		out, err := fhirexport.PatientBundle(c, testOptions())
		var warn *fhirexport.Warnings
		if err != nil && !errors.As(err, &warn) {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("patient-%02d.json", i)), out, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The referral's patient summary (IPS document) of every fixture chart.
	for i, c := range fixtureCharts(t) {
		out, err := fhirexport.IPS(c, judgeReferral(c.Patient.ID), testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("ips-%02d.json", i)), out, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	nd := filepath.Join(dir, "ndjson")
	if err := os.Mkdir(nd, 0o700); err != nil {
		t.Fatal(err)
	}
	files := &dirFiles{dir: nd}
	if _, err := fhirexport.PracticeNDJSON(files, iterate(cs), testOptions()); err != nil {
		t.Fatal(err)
	}
	files.close(t)
	runValidator(t, dir)
}

// judgeReferral is a referral from the test practice's clinician.
func judgeReferral(p chart.PatientID) chart.Referral {
	o := testOptions()
	doc := chart.User{ID: o.User.ID, FullName: o.User.Name, Role: chart.RoleClinician}
	practice := chart.Practice{ID: o.Practice.ID, Name: o.Practice.Name, Phone: o.Practice.Phone, Address: o.Practice.Address}
	return chart.Referral{ID: "01930000-0000-7000-8000-0000000000f1", PatientID: p, RecipientName: "Dr. Kwame Mensah",
		RecipientOrganization: "Lakeview Cardiology", Reason: "Chest tightness on exertion", Question: "Stress test?",
		Referrer: chart.NewReferrer(doc, practice), At: o.Now}
}

func runValidator(t *testing.T, paths ...string) {
	t.Helper()
	cmd := exec.Command("node", append([]string{filepath.Join(validatorDir, "validate.mjs")}, paths...)...)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("the FHIR validator found errors (above): %v", err)
	}
}
