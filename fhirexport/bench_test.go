package fhirexport_test

import (
	"io"
	"testing"

	"outpost/fhirexport"
	"outpost/fhirexport/chartgen"
)

type discardFiles struct{}

func (discardFiles) Create(string) (io.Writer, error) { return io.Discard, nil }

// BenchmarkExport is the practice export (Bulk Data NDJSON, JSON written
// and discarded) over 50 generated charts of about 100 records each; it
// reports chart records exported per second.
//
//	go test -run '^$' -bench BenchmarkExport -benchtime 20x ./fhirexport
func BenchmarkExport(b *testing.B) {
	cs := charts(42, 50, chartgen.Options{Records: 100})
	records := 0
	for _, c := range cs {
		records += len(exportable(c))
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := fhirexport.PracticeNDJSON(discardFiles{}, iterate(cs), testOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(records), "records/op")
}
