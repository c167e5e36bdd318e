package fhirimport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
)

// The first chunk's one-patient Bundles are read once: what the first pass
// read of them is what the second imports. The test spoils every patient's
// file once the first pass is done: the import is still that of the files
// as read (on a second reading each would be a changed file, warned of and
// its resources lost). With a chunk too small to keep a file, the files are
// read again and the spoiling shows, so the test can tell.
func TestRunReadsFirstChunkOnce(t *testing.T) {
	want := run(t, newMemStore(), RunOptions{}, filepath.Join(testdata, "synthea"))

	got, changed := runSpoilingAfterFirstPass(t, RunOptions{})
	if changed != 0 {
		t.Fatalf("%d files read again after the first pass", changed)
	}
	if a, b := totalsJSON(t, want), totalsJSON(t, got); a != b || want.Patients != got.Patients {
		t.Fatalf("report differs:\n%s %+v\nuntouched files:\n%s %+v", b, got.Patients, a, want.Patients)
	}

	_, changed = runSpoilingAfterFirstPass(t, RunOptions{GroupBytes: 1})
	if changed == 0 {
		t.Fatal("with nothing kept, no file was read again: the test cannot tell")
	}
}

// runSpoilingAfterFirstPass imports a copy of the Synthea test files,
// overwriting every patient's file with broken JSON as the first pass
// ends; it returns the report and how many files it says changed.
func runSpoilingAfterFirstPass(t *testing.T, opts RunOptions) (*chart.ImportReport, int) {
	dir := t.TempDir()
	var patients []string
	for _, set := range []string{"blaze-synthea-2.7", "smart-synthea-2.4"} {
		files, err := filepath.Glob(filepath.Join(testdata, "synthea", set, "*.json.gz"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			to := filepath.Join(dir, set+"-"+filepath.Base(f))
			if err := os.WriteFile(to, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(filepath.Base(f), "0-") { // not the shared practitioners and places
				patients = append(patients, to)
			}
		}
	}
	spoiled := false
	opts.Progress = func(p chart.ImportProgress) {
		if spoiled || p.FilesDone < p.Files {
			return
		}
		spoiled = true
		for _, f := range patients {
			if err := os.WriteFile(f, []byte(`{"resourceType": "Bundle", "entry": [`), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep := run(t, newMemStore(), opts, dir)
	changed := 0
	for _, f := range rep.Files {
		for _, w := range f.Warnings {
			if strings.Contains(w, "changed while it was imported") {
				changed++
			}
		}
	}
	return rep, changed
}

// The first two chunks' files are kept from the first pass, not only the
// first's: with chunks of 2 MB the test's eight patients (424, 315, 645,
// 162 | 733, 338, 502 | 484 kB of JSON, in the files' order) make three
// chunks, and only the third chunk's one file is read again (the first
// chunk alone kept: four files), its patient the only one lost.
func TestRunReadsSecondChunkOnce(t *testing.T) {
	opts := RunOptions{GroupBytes: 2_000_000}
	want := run(t, newMemStore(), opts, filepath.Join(testdata, "synthea"))
	got, changed := runSpoilingAfterFirstPass(t, opts)
	if changed != 1 {
		t.Fatalf("%d files read again after the first pass, want the third chunk's 1", changed)
	}
	if got.Patients.Created != want.Patients.Created-1 {
		t.Fatalf("%d patients created, want %d", got.Patients.Created, want.Patients.Created-1)
	}
}
