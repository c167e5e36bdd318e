package sqlite

import (
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
)

// TestDiskFullWhileSaving fills the workstation's own disk (a real 8 MiB
// tmpfs; needs root, as CI and this machine have) under a clinician saving
// scanned reports: the save that does not fit fails with the message that
// says what to do, writes nothing, the store keeps working, and saving
// works again once space is freed.
func TestDiskFullWhileSaving(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v %s; TestDatabaseFullWhileSaving covers the message", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	c := &clinic{fixture: &fixture{dir: dir, clock: newTestClock()}}
	c.path = filepath.Join(dir, "chart.db")
	c.w = openStore(t, c.path, c.clock)
	defer c.w.Close()
	s, _, err := c.w.CreatePractice(ctxb, chart.NewPractice{PracticeName: "Full Disk Clinic",
		Admin: chart.NewUser{FullName: "Ada Admin", Username: "ada", Passphrase: adminPass}})
	if err != nil {
		t.Fatal(err)
	}
	c.admin = s.(*Session)
	c.addUser(t, c.admin, "cleo", chart.RoleClinician, clinicianPass)
	c.doc = c.signIn(t, "cleo", clinicianPass)
	p := register(t, c.doc, samplePatient("Mara", "Fulldisk"))
	// Leave about a megabyte free, then save 400 KB scans until one fails.
	// The reads after the failure write their audit entries into the
	// write-ahead log frames the failed save wrote (about 50 KB needed):
	// the extra 96 KB keeps that room whatever a save's exact page count.
	filler := filepath.Join(dir, "filler")
	fillDisk(t, filler, 1<<20+96<<10)
	result := newResult(t, c.doc, p.ID)
	scan := randomScan(400_000)
	var failed error
	for i := 0; i < 20 && failed == nil; i++ {
		before := tableCounts(t, c.w)
		if _, failed = attach(c.doc, result, scan); failed != nil && !equalCounts(before, tableCounts(t, c.w)) {
			t.Fatalf("the failed save wrote something: %v then %v", before, tableCounts(t, c.w))
		}
	}
	de := wantErr(t, failed, chart.EINTERNAL, "")
	if !strings.Contains(de.Message, "disk of this workstation is full") || !strings.Contains(de.Message, "Free some space") {
		t.Fatalf("message %q does not say the disk is full and what to do", de.Message)
	}
	if got := must(c.doc.SearchPatients(ctxb, "Fulldisk", 5))(t); len(got) != 1 {
		t.Fatalf("reading after the failure: %v", got)
	}
	os.Remove(filler)
	if _, err := attach(c.doc, result, scan); err != nil {
		t.Fatalf("saving after space was freed: %v", err)
	}
	if v := must(c.admin.VerifyAudit(ctxb))(t); !v.OK {
		t.Errorf("audit chain after the disk filled: %+v", v)
	}
}

// TestDatabaseFullWhileSaving is the same failure without a mount: SQLite's
// max_page_count makes the database "full" (SQLITE_FULL, as a full disk
// does), so the message is checked wherever the tests run.
func TestDatabaseFullWhileSaving(t *testing.T) {
	old := pragmas
	pragmas = append(append([]string{}, pragmas...), "max_page_count(400)")
	defer func() { pragmas = old }()
	c := newClinic(t)
	pragmas = old
	result := newResult(t, c.doc, c.patient.ID)
	var err error
	for i := 0; i < 20 && err == nil; i++ {
		_, err = attach(c.doc, result, randomScan(300_000))
	}
	de := wantErr(t, err, chart.EINTERNAL, "")
	if !strings.Contains(de.Message, "disk of this workstation is full") {
		t.Fatalf("message %q", de.Message)
	}
	if _, err := c.doc.SaveAllergy(ctxb, sampleAllergy(c.patient.ID, "Latex")); err != nil {
		t.Fatalf("a small save that fits still works: %v", err)
	}
}

func newResult(t *testing.T, s *Session, p chart.PatientID) chart.RecordID {
	t.Helper()
	return must(s.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Scan"},
		Value: "see report", CollectedAt: "2026-11-20"}))(t).ID
}

func attach(s *Session, result chart.RecordID, pdf []byte) (chart.Attachment, error) {
	return s.AttachToResult(ctxb, result, "scan.pdf", "application/pdf", pdf)
}

// randomScan is a "PDF" of n incompressible bytes: records are compressed
// before they are sealed, and a full disk needs bytes that stay big.
func randomScan(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return append([]byte("%PDF-1.4\n"), b...)
}

// fillDisk writes filler until about leave bytes are free on its disk.
func fillDisk(t *testing.T, filler string, leave int64) {
	t.Helper()
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	st, _ := f.Stat()
	if err := f.Truncate(max(0, st.Size()-leave)); err != nil {
		t.Fatal(err)
	}
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}
