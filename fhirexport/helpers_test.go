package fhirexport_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/fhirexport/chartgen"
)

// testNow is the export time of the tests: charts are dated before it.
var testNow = time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

func testOptions() fhirexport.Options {
	return fhirexport.Options{
		Practice: fhirexport.Practice{ID: chart.PracticeID("01930000-0000-7000-8000-000000000001"), Name: "Riverton Family Practice",
			Address: "1 Main Street\nRiverton, WY 82501", Phone: "+1 307 555 0100"},
		User: fhirexport.User{ID: "01930000-0000-7000-8000-000000000002", Name: "Dr Ana Silva"},
		Now:  testNow, Zone: time.UTC,
	}
}

// charts are n generated charts from seed.
func charts(seed uint64, n int, opts chartgen.Options) []chart.PatientRecords {
	g := chartgen.New(seed, testNow, opts)
	out := make([]chart.PatientRecords, n)
	for i := range out {
		out[i] = g.Chart()
	}
	return out
}

// dirFiles writes Bulk Data files into a folder.
type dirFiles struct {
	dir   string
	files []*os.File
}

func (d *dirFiles) Create(name string) (io.Writer, error) {
	f, err := os.Create(filepath.Join(d.dir, name))
	if err == nil {
		d.files = append(d.files, f)
	}
	return f, err
}

func (d *dirFiles) close(t testing.TB) {
	for _, f := range d.files {
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// iterate feeds charts one at a time, as PracticeNDJSON reads them.
func iterate(cs []chart.PatientRecords) func() (chart.PatientRecords, bool, error) {
	i := 0
	return func() (chart.PatientRecords, bool, error) {
		if i == len(cs) {
			return chart.PatientRecords{}, false, nil
		}
		i++
		return cs[i-1], true, nil
	}
}
