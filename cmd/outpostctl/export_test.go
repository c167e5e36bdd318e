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
// in, export the whole practice, then one patient by MRN. The practice
// export holds every chart, those out of the practice's lists too (an
// inactive and a deceased patient: a practice moving its records leaves
// none behind), and a deceased patient is found by MRN.
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
	var deceased chart.Patient
	for _, p := range []chart.Patient{
		{GivenName: "Ada", FamilyName: "Okafor", BirthDate: "1980-03-12", Sex: chart.SexFemale},
		{GivenName: "Bram", FamilyName: "Inactive", BirthDate: "1971-06-01", Sex: chart.SexMale, Inactive: true},
		{GivenName: "Cora", FamilyName: "Deceased", BirthDate: "1931-01-20", Sex: chart.SexFemale, Deceased: true, DeceasedDate: "2024-02-11"},
	} {
		if deceased, err = s.RegisterPatient(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := s.(fhirexport.Source); !ok {
		t.Fatal("the chart store's session is not an export source")
	}
	s.Lock(ctx)
	w.Close()

	export := func(args ...string) string {
		t.Helper()
		out := t.TempDir()
		cmd := exec.Command(ctlBinary, append([]string{"export", "-data", data, "-user", "dana", "-out", out}, args...)...)
		cmd.Env = append(os.Environ(), "OUTPOST_PASSPHRASE=correct horse battery staple")
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("export %v: %v\n%s", args, err, msg)
		}
		return out
	}
	practice, err := os.ReadFile(filepath.Join(export("-format", "ndjson"), "Patient.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	for _, family := range []string{"Okafor", "Inactive", "Deceased"} {
		if !strings.Contains(string(practice), `"family":"`+family+`"`) {
			t.Errorf("the practice export left out %s:\n%s", family, practice)
		}
	}
	raw, err := os.ReadFile(filepath.Join(export("-patient", deceased.MRN), deceased.MRN+".json"))
	if err != nil || !strings.Contains(string(raw), `"family": "Deceased"`) || !strings.Contains(string(raw), `"deceasedDateTime": "2024-02-11"`) {
		t.Fatalf("the deceased patient's bundle by MRN: %v\n%s", err, raw)
	}
}
