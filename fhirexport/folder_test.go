package fhirexport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/fhirexport/chartgen"
)

// chartSource serves generated charts as a signed-in session would: the
// export job's own behaviour (files, names, the manifest, never
// overwriting, removing a failed export) is tested here; the real store is
// cmd/outpostctl's TestExportCommandRealStore.
type chartSource struct {
	charts []chart.PatientRecords
	fail   chart.PatientID
}

func (c *chartSource) User() chart.User { return chart.User{ID: "u1", FullName: "Dana Admin"} }
func (c *chartSource) Practice() chart.Practice {
	return chart.Practice{ID: "01930000-0000-7000-8000-000000000001", Name: "Riverbend Rural Clinic"}
}

func (c *chartSource) FindPatientsWith(_ context.Context, q string, limit int, _ bool) (chart.PatientSearch, error) {
	var out chart.PatientSearch
	for _, r := range c.charts {
		if q == "" || r.Patient.MRN == q {
			out.Patients = append(out.Patients, r.Patient.Summary())
		}
	}
	out.Total = len(out.Patients)
	return out, nil
}

func (c *chartSource) AllPatientIDs(context.Context) ([]chart.PatientID, error) {
	ids := make([]chart.PatientID, len(c.charts))
	for i, r := range c.charts {
		ids[i] = r.Patient.ID
	}
	return ids, nil
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
	if err := (&fhirexport.FolderExport{Src: src, Dir: dir, Format: "ndjson", Out: &out}).Run(ctx, ""); err != nil {
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
	err = (&fhirexport.FolderExport{Src: src, Dir: dir, Format: "ndjson", Out: &out}).Run(ctx, "")
	if err == nil || !strings.Contains(err.Error(), "choose an empty folder") {
		t.Fatalf("second export: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "manifest.json")); !bytes.Equal(after, raw) {
		t.Fatal("the second export changed the first one's manifest")
	}

	one := t.TempDir()
	mrn := src.charts[1].Patient.MRN
	if err := (&fhirexport.FolderExport{Src: src, Dir: one, Format: "bundle", Out: &out}).Run(ctx, mrn); err != nil {
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
	err := (&fhirexport.FolderExport{Src: src, Dir: dir, Format: "bundle", Out: &bytes.Buffer{}}).Run(context.Background(), "")
	if err == nil {
		t.Fatal("the export of a chart that does not open succeeded")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a failed export left %d files", len(left))
	}
}
