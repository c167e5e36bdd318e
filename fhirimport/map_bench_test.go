package fhirimport

import (
	"path/filepath"
	"testing"
)

// BenchmarkMapPatient maps the testdata patients (read once, outside the
// timing) and reports resources mapped per second: the mapper's share of
// the import's 20,000 entries/s goal.
func BenchmarkMapPatient(b *testing.B) {
	paths, shared := fixtureBundles(b, testdataFHIR)
	type input struct {
		g PatientGroup
		r Resolver
	}
	var inputs []input
	entries := 0
	for _, p := range paths {
		res := readBundle(b, p)
		g := groupOf(b, res, filepath.Base(p))
		inputs = append(inputs, input{g, newMapResolver(shared, res)})
		entries += len(res)
	}
	b.ResetTimer()
	for range b.N {
		for _, in := range inputs {
			MapPatient(in.g, in.r, testIDs)
		}
	}
	b.ReportMetric(float64(entries*b.N)/b.Elapsed().Seconds(), "entries/s")
}
