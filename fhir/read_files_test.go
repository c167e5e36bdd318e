package fhir

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A folder's walk finds the FHIR files in name order, subfolders
// included, and leaves out hidden files, other files and a Bulk Data
// export's manifest (not a resource).
func TestFindFilesInAFolder(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.ndjson.gz", "a.json", ".hidden.json", "manifest.json", "notes.txt", "sub/c.json"} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := FindFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.json"), filepath.Join(dir, "b.ndjson.gz"), filepath.Join(dir, "sub/c.json")}
	if !slices.Equal(got, want) {
		t.Fatalf("found %v, want %v", got, want)
	}
}
