package sqlite

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"outpost/chart"
)

// TestNoPlaintextHealthDataOnDisk registers and edits patients with
// distinctive details and then looks for those bytes in every file of the
// store's folder, while the store is open (WAL and shared memory present)
// and after it is closed.
func TestNoPlaintextHealthDataOnDisk(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	secrets := []string{"Zebedee", "Quixotefield", "555 0199 876", "Wolfsbane Hollow", "Marrowdeep",
		"past the crooked silo", "Hildegard Quillfeather", "QX-77341", "Wendigo Creek"}
	p := chart.Patient{MRN: "QX-77341", GivenName: "Zebedee", FamilyName: "Quixotefield", BirthDate: "1948-02-29",
		Phone: "+1 555 0199 876", Address: chart.Address{Line1: "17 Wolfsbane Hollow", City: "Marrowdeep",
			Directions: "past the crooked silo, blue gate"},
		EmergencyContact: chart.EmergencyContact{Name: "Hildegard Quillfeather", Phone: "555 0199 877"}}
	got := register(t, f.admin, p)
	register(t, f.admin, samplePatient("Other", "Person"))
	got.Address.City = "Wendigo Creek"
	if _, err := f.admin.UpdatePatient(ctx, got); err != nil {
		t.Fatal(err)
	}
	if _, err := f.admin.OpenPatient(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.admin.SearchPatients(ctx, "Quixotefield", 10); err != nil {
		t.Fatal(err)
	}
	if _, err := f.admin.PatientHistory(ctx, got.ID); err != nil {
		t.Fatal(err)
	}

	files := scanForSecrets(t, f.dir, secrets)
	if !containsSuffix(files, "-wal") {
		t.Fatalf("expected a -wal file while open, scanned %v", files)
	}
	if err := f.admin.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.w.Close(); err != nil {
		t.Fatal(err)
	}
	scanForSecrets(t, f.dir, secrets)
}

// scanForSecrets fails the test if any file under dir contains a secret, and
// returns the names of the files it scanned.
func scanForSecrets(t *testing.T, dir string, secrets []string) []string {
	t.Helper()
	var scanned []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned = append(scanned, filepath.Base(path))
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains plaintext %q", path, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return scanned
}

func containsSuffix(names []string, suffix string) bool {
	for _, n := range names {
		if len(n) >= len(suffix) && n[len(n)-len(suffix):] == suffix {
			return true
		}
	}
	return false
}
