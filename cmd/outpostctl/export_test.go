package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/fhirexport/chartgen"
	"outpost/sqlite"
)

// chartSource serves generated charts as a signed-in session would: the
// export job's own behaviour (files, names, the manifest, never
// overwriting, removing a failed export) is tested here; the real store is
// TestExportCommandRealStore.
type chartSource struct {
	charts []chart.PatientRecords
	fail   chart.PatientID
}

func (c *chartSource) User() chart.User { return chart.User{ID: "u1", FullName: "Dana Admin"} }
func (c *chartSource) Practice() chart.Practice {
	return chart.Practice{ID: "01930000-0000-7000-8000-000000000001", Name: "Riverbend Rural Clinic"}
}

func (c *chartSource) FindPatients(_ context.Context, q string, limit int) (chart.PatientSearch, error) {
	var out chart.PatientSearch
	for _, r := range c.charts {
		if q == "" || r.Patient.MRN == q {
			out.Patients = append(out.Patients, r.Patient.Summary())
		}
	}
	out.Total = len(out.Patients)
	return out, nil
}

func (c *chartSource) PatientRecords(_ context.Context, id chart.PatientID, _ string) (chart.PatientRecords, error) {
	if id == c.fail {
		return chart.PatientRecords{}, chart.FieldError("", "a record could not be opened")
	}
	for _, r := range c.charts {
		if r.Patient.ID == id {
			return r, nil
		}
	}
	return chart.PatientRecords{}, chart.FieldError("", "no such patient")
}

func generated(n int) *chartSource {
	g := chartgen.New(5, time.Now(), chartgen.Options{Records: 20})
	src := &chartSource{}
	for range n {
		src.charts = append(src.charts, g.Chart())
	}
	return src
}

func TestExportJobWritesFiles(t *testing.T) {
	ctx := context.Background()
	src := generated(3)
	dir := t.TempDir()
	var out bytes.Buffer
	if err := (&exportJob{src: src, dir: dir, format: "ndjson", out: &out}).run(ctx, ""); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Output []struct {
			Type, URL string
			Count     int
		}
		Patients int
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil || json.Unmarshal(raw, &m) != nil || m.Patients != 3 || len(m.Output) < 5 {
		t.Fatalf("manifest: %v %+v\n%s", err, m, raw)
	}
	for _, o := range m.Output {
		if _, err := os.Stat(filepath.Join(dir, o.URL)); err != nil {
			t.Fatal(err)
		}
	}
	// A second export into the same folder refuses and leaves it as it was.
	err = (&exportJob{src: src, dir: dir, format: "ndjson", out: &out}).run(ctx, "")
	if err == nil || !strings.Contains(err.Error(), "choose an empty folder") {
		t.Fatalf("second export: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "manifest.json")); !bytes.Equal(after, raw) {
		t.Fatal("the second export changed the first one's manifest")
	}

	one := t.TempDir()
	mrn := src.charts[1].Patient.MRN
	if err := (&exportJob{src: src, dir: one, format: "bundle", out: &out}).run(ctx, mrn); err != nil {
		t.Fatal(err)
	}
	var b struct{ ResourceType, Type string }
	raw, err = os.ReadFile(filepath.Join(one, mrn+".json"))
	if err != nil || json.Unmarshal(raw, &b) != nil || b.ResourceType != "Bundle" || b.Type != "collection" {
		t.Fatalf("bundle for %s: %v %+v", mrn, err, b)
	}
}

func TestExportJobRemovesAFailedExport(t *testing.T) {
	src := generated(3)
	src.fail = src.charts[2].Patient.ID
	dir := t.TempDir()
	err := (&exportJob{src: src, dir: dir, format: "bundle", out: &bytes.Buffer{}}).run(context.Background(), "")
	if err == nil {
		t.Fatal("the export of a chart that does not open succeeded")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a failed export left %d files", len(left))
	}
}

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
	_, canExport := s.(exportSource)
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
