package fhirimport

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhir"
)

// sharedSynthea is the 180-patient Synthea set (OUTPOST_FHIR_FIXTURES, else
// /work/shared/fixtures/fhir); benchmarks that need it skip without it.
func sharedSynthea(b *testing.B) string {
	root := os.Getenv("OUTPOST_FHIR_FIXTURES")
	if root == "" {
		root = "/work/shared/fixtures/fhir"
	}
	dir := filepath.Join(root, "synthea")
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("no shared Synthea fixtures at %s", dir)
	}
	return dir
}

// accountOnly is a mapper that maps nothing and accounts for every
// resource: the benchmark then measures the pipeline itself (read, check,
// index, group, resolve, count), not the mapping or the store.
func accountOnly(g PatientGroup, _ Resolver, _ IDs) (chart.PatientRecords, []Outcome) {
	outs := []Outcome{{Type: "Patient", At: g.Patient.At, Status: Imported}}
	for _, r := range g.Resources {
		outs = append(outs, Outcome{Type: r.Type, At: r.At, Status: Skipped, Reason: "benchmark"})
	}
	return chart.PatientRecords{Patient: chart.Patient{Origin: &chart.SourceRef{ID: g.Patient.ID}}}, outs
}

// BenchmarkRead180 reads the 180 Synthea patients with the reader alone.
func BenchmarkRead180(b *testing.B) {
	dir := sharedSynthea(b)
	files, _ := fhir.FindFiles([]string{dir})
	for i := 0; i < b.N; i++ {
		n := 0
		for _, f := range files {
			if _, err := fhir.ReadFile(f, func(fhir.Entry) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds()*float64(i+1), "entries/s")
	}
}

// BenchmarkPipeline180 runs the whole pipeline over the 180 Synthea
// patients with the account-only mapper and the in-memory store.
func BenchmarkPipeline180(b *testing.B) {
	dir := sharedSynthea(b)
	benchRun(b, dir, accountOnly)
}

func benchRun(b *testing.B, path string, m MapFunc) {
	var rep *chart.ImportReport
	for i := 0; i < b.N; i++ {
		var err error
		rep, err = Run(context.Background(), []string{path}, newMemStore(), RunOptions{Map: m})
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range rep.Files {
			if f.Error != "" {
				b.Fatal(f.Error)
			}
		}
	}
	b.ReportMetric(float64(rep.Entries)/rep.Seconds, "entries/s")
	b.ReportMetric(float64(rep.Entries), "entries")
	b.ReportMetric(float64(rep.PeakHeap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(rep.Patients.Created), "patients")
}

// BenchmarkBigBundle reads and imports one patient's 60 MB, 25,000-entry
// bundle (generated into a temp dir from a Synthea patient's entries).
func BenchmarkBigBundle(b *testing.B) {
	dir := sharedSynthea(b)
	path := filepath.Join(b.TempDir(), "big.json")
	size, entries := writeBigBundle(b, filepath.Join(dir, "blaze-synthea-2.7/897eba7c-8b8c-7022-634f-8c69f0702b30.json.gz"), path, 25000)
	b.Logf("%s: %d entries, %.1f MB", path, entries, float64(size)/(1<<20))
	runtime.GC()
	b.ResetTimer()
	benchRun(b, path, accountOnly)
}

// BenchmarkReadBigBundle reads the same bundle with the reader alone: the
// memory it needs is one entry at a time, whatever the file's size.
func BenchmarkReadBigBundle(b *testing.B) {
	dir := sharedSynthea(b)
	path := filepath.Join(b.TempDir(), "big.json")
	writeBigBundle(b, filepath.Join(dir, "blaze-synthea-2.7/897eba7c-8b8c-7022-634f-8c69f0702b30.json.gz"), path, 25000)
	runtime.GC()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := startHeapWatch()
		n := 0
		if _, err := fhir.ReadFile(path, func(fhir.Entry) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.stop())/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(n), "entries")
	}
}

// writeBigBundle writes a transaction Bundle of one patient with about
// n entries: the source patient's Patient once, then its other entries
// again and again, each copy's ids (and the references to them) renamed so
// that every entry is its own resource. Deterministic: same input, same
// file.
func writeBigBundle(b testing.TB, src, dst string, n int) (int64, int) {
	var entries []fhir.Entry
	var renames []string
	patientURL := ""
	_, err := fhir.ReadFile(src, func(e fhir.Entry) error {
		if e.Type == "Patient" {
			patientURL = e.FullURL
		} else if strings.HasPrefix(e.FullURL, "urn:uuid:") {
			renames = append(renames, e.FullURL[len("urn:uuid:"):])
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil || patientURL == "" {
		b.Fatalf("source bundle: %v", err)
	}
	f, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"resourceType":"Bundle","type":"transaction","entry":[` + "\n")
	written := 0
	for copyN := 0; written < n; copyN++ {
		rename := renamer(renames, copyN)
		for _, e := range entries {
			if written == n || (e.Type == "Patient" && copyN > 0) {
				continue
			}
			if written > 0 {
				w.WriteString(",\n")
			}
			fmt.Fprintf(w, `{"fullUrl":%q,"resource":%s,"request":{"method":"POST","url":%q}}`,
				rename.Replace(e.FullURL), rename.Replace(string(e.Raw)), e.Type)
			written++
		}
	}
	w.WriteString("\n]}\n")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	return st.Size(), written
}

// renamer gives copy k of each id: the id's last 4 hex digits replaced by
// k (copy 0 keeps the ids).
func renamer(ids []string, k int) *strings.Replacer {
	if k == 0 {
		return strings.NewReplacer()
	}
	pairs := make([]string, 0, 2*len(ids))
	for _, id := range ids {
		if len(id) > 4 {
			pairs = append(pairs, id, fmt.Sprintf("%s%04x", id[:len(id)-4], k))
		}
	}
	return strings.NewReplacer(pairs...)
}

// TestWriteBigBundleFile writes the 60 MB Bundle of BenchmarkBigBundle to
// $OUTPOST_BIG_BUNDLE, for timing an import through the real store with
// outpostctl (docs/benchmarks.md); skipped unless asked.
func TestWriteBigBundleFile(t *testing.T) {
	dst := os.Getenv("OUTPOST_BIG_BUNDLE")
	if dst == "" {
		t.Skip("set OUTPOST_BIG_BUNDLE=path to write the 60 MB benchmark Bundle")
	}
	root := os.Getenv("OUTPOST_FHIR_FIXTURES")
	if root == "" {
		root = "/work/shared/fixtures/fhir"
	}
	size, entries := writeBigBundle(t, filepath.Join(root, "synthea/blaze-synthea-2.7/897eba7c-8b8c-7022-634f-8c69f0702b30.json.gz"), dst, 25000)
	t.Logf("%s: %d entries, %.1f MB", dst, entries, float64(size)/(1<<20))
}
