package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/sqlite"
)

// TestExportCommandRealStore runs the real program on a real store: sign
// in, export the practice and one patient. It needs
// sqlite.Session.PatientRecords (the import store's work); before that is
// merged it checks only that the command says so.
func TestExportCommandRealStore(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	w, err := sqlite.OpenWorkstation(ctx, filepath.Join(data, "chart.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := w.CreatePractice(ctx, chart.NewPractice{PracticeName: "Riverbend Rural Clinic",
		Admin: chart.NewUser{FullName: "Dana Admin", Username: "dana", Passphrase: "correct horse battery staple"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.RegisterPatient(ctx, chart.Patient{GivenName: "Ada", FamilyName: "Okafor", BirthDate: "1980-03-12", Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	_, canExport := s.(fhirexport.Source)
	s.Lock(ctx)
	w.Close()

	out := t.TempDir()
	cmd := exec.Command(ctlBinary, "export", "-data", data, "-user", "dana", "-out", out, "-patient", p.MRN)
	cmd.Env = append(os.Environ(), "OUTPOST_PASSPHRASE=correct horse battery staple")
	msg, err := cmd.CombinedOutput()
	if !canExport {
		if err == nil || !strings.Contains(string(msg), "Session.PatientRecords is missing") {
			t.Fatalf("export without PatientRecords: %v\n%s", err, msg)
		}
		t.Skip("sqlite.Session.PatientRecords is not on this branch: the end-to-end export runs once it is merged")
	}
	if err != nil {
		t.Fatalf("export: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(filepath.Join(out, p.MRN+".json"))
	if err != nil || !strings.Contains(string(raw), `"family": "Okafor"`) {
		t.Fatalf("the patient's bundle: %v\n%s", err, raw)
	}
}
