package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"outpost/backup"
	"outpost/chart"
	"outpost/sqlite"
)

// ctlBinary is built once by TestMain: the tests run the real program.
var ctlBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "outpostctl-test")
	if err != nil {
		panic(err)
	}
	ctlBinary = filepath.Join(dir, "outpostctl")
	if out, err := exec.Command("go", "build", "-o", ctlBinary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic("build outpostctl: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// chartWithScans makes a practice in dataDir whose chart holds about mb
// megabytes of (incompressible) scanned reports, with folder as its backup
// folder, and closes it.
func chartWithScans(t *testing.T, dataDir, folder string, mb int) {
	t.Helper()
	ctx := context.Background()
	w, err := sqlite.OpenWorkstation(ctx, filepath.Join(dataDir, "chart.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s, _, err := w.CreatePractice(ctx, chart.NewPractice{PracticeName: "Riverbend Rural Clinic",
		Admin: chart.NewUser{FullName: "Dana Admin", Username: "dana", Passphrase: "correct horse battery staple"}})
	if err != nil {
		t.Fatal(err)
	}
	ss := s.(*sqlite.Session)
	st := chart.DefaultBackupSettings
	st.Folder = folder
	if _, err := ss.SetBackupSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	p, err := s.RegisterPatient(ctx, chart.Patient{GivenName: "Ada", FamilyName: "Okafor", BirthDate: "1980-03-12", Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, chart.NewUser{FullName: "Dr Sam", Username: "sam", Role: chart.RoleClinician,
		Passphrase: "green valley clinic"}); err != nil {
		t.Fatal(err)
	}
	doc, err := w.SignIn(ctx, "sam", "green valley clinic")
	if err != nil {
		t.Fatal(err)
	}
	addScans(t, doc, p.ID, mb)
}

// addScans attaches about mb megabytes of incompressible "scans" to p.
func addScans(t *testing.T, doc chart.Session, p chart.PatientID, mb int) {
	t.Helper()
	for i := 0; i < mb/4; i++ {
		r, err := doc.SaveResult(context.Background(), chart.Result{Meta: chart.Meta{PatientID: p},
			Test: chart.Coded{Display: "Scan"}, Value: "see report", CollectedAt: "2026-11-20"})
		if err != nil {
			t.Fatal(err)
		}
		scan := make([]byte, 4<<20)
		rand.Read(scan)
		_, err = doc.AttachToResult(context.Background(), r.ID, "scan.pdf", "application/pdf", append([]byte("%PDF-1.4\n"), scan...))
		if err != nil {
			t.Fatal(err)
		}
	}
}

func ctl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(ctlBinary, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// TestKilledBackupLeavesTheLastOneIntact kills `outpostctl backup` with
// SIGKILL while it writes (its temporary file is on the drive): the earlier
// backup is intact and verifies, no file under a final name is half
// written, and the next run succeeds and cleans up what the killed one left.
func TestKilledBackupLeavesTheLastOneIntact(t *testing.T) {
	data, folder := t.TempDir(), filepath.Join(t.TempDir(), "usb")
	os.Mkdir(folder, 0o700)
	chartWithScans(t, data, folder, 4)
	if out, err := ctl(t, "backup", "-data", data); err != nil {
		t.Fatalf("first backup: %v\n%s", err, out)
	}
	first, _ := filepath.Glob(filepath.Join(folder, "*"+backup.Ext))
	if len(first) != 1 {
		t.Fatalf("after the first backup the folder holds %v", first)
	}
	chartWithMore(t, data, 80)

	killed := false
	for attempt := 0; attempt < 5 && !killed; attempt++ {
		killed = killMidBackup(t, data, folder)
	}
	if !killed {
		t.Fatal("never caught the backup mid-write in 5 attempts")
	}
	if _, err := backup.Verify(first[0], nil); err != nil {
		t.Fatalf("the earlier backup after the kill: %v", err)
	}
	finals, _ := filepath.Glob(filepath.Join(folder, "*"+backup.Ext))
	for _, f := range finals {
		if _, err := backup.Verify(f, nil); err != nil {
			t.Errorf("a file under a final name does not verify after the kill: %v", err)
		}
	}
	out, err := ctl(t, "backup", "-data", data)
	if err != nil {
		t.Fatalf("the run after the kill: %v\n%s", err, out)
	}
	entries, _ := os.ReadDir(folder)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".partial") {
			t.Errorf("the next run left the killed run's %s", e.Name())
		}
	}
	// The same day's earlier backup is pruned (one a day is kept): the
	// folder holds the new one, which verifies.
	now := globBackups(t, folder)
	if len(now) != 1 || now[0] == first[0] {
		t.Fatalf("after the next run the folder holds %v", now)
	}
	if out, err := ctl(t, "verify", "-data", data, now[0]); err != nil {
		t.Fatalf("verify after the kill: %v\n%s", err, out)
	}
}

// chartWithMore adds about mb megabytes of scans, so a backup takes long
// enough to be caught mid-write.
func chartWithMore(t *testing.T, data string, mb int) {
	t.Helper()
	ctx := context.Background()
	w, err := sqlite.OpenWorkstation(ctx, filepath.Join(data, "chart.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	doc, err := w.SignIn(ctx, "sam", "green valley clinic")
	if err != nil {
		t.Fatal(err)
	}
	found, err := doc.SearchPatients(ctx, "Okafor", 1)
	if err != nil || len(found) != 1 {
		t.Fatalf("patient: %v %v", found, err)
	}
	addScans(t, doc, found[0].ID, mb)
}

// killMidBackup starts a backup and SIGKILLs it as soon as its temporary
// file has some bytes; false if it finished first.
func killMidBackup(t *testing.T, data, folder string) bool {
	t.Helper()
	cmd := exec.Command(ctlBinary, "backup", "-data", data)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return false
		default:
		}
		partials, _ := filepath.Glob(filepath.Join(folder, ".*.partial"))
		if len(partials) == 1 {
			if st, err := os.Stat(partials[0]); err == nil && st.Size() > 1<<20 {
				cmd.Process.Signal(syscall.SIGKILL)
				err := <-done
				return err != nil && strings.Contains(err.Error(), "killed")
			}
		}
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Kill()
	<-done
	t.Fatal("the backup neither finished nor wrote within a minute")
	return false
}

func globBackups(t *testing.T, folder string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(folder, "*"+backup.Ext))
	if len(files) == 0 {
		t.Fatalf("backups in the folder: %v", files)
	}
	return files
}

func TestVerifyNamesADamagedFile(t *testing.T) {
	data, folder := t.TempDir(), filepath.Join(t.TempDir(), "usb")
	os.Mkdir(folder, 0o700)
	chartWithScans(t, data, folder, 0)
	if out, err := ctl(t, "backup", "-data", data); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(folder, "*"+backup.Ext))
	b, _ := os.ReadFile(files[0])
	b[4096+100] ^= 0x01
	os.WriteFile(files[0], b, 0o600)
	out, err := ctl(t, "verify", "-data", data, files[0])
	if err == nil || !strings.Contains(out, "DAMAGED") || !strings.Contains(out, filepath.Base(files[0])) {
		t.Fatalf("verify of a flipped byte: %v\n%s", err, out)
	}
	out, err = ctl(t, "list", folder)
	if err != nil || !strings.Contains(out, "Riverbend Rural Clinic") {
		t.Fatalf("list: %v\n%s", err, out)
	}
}

func TestUsage(t *testing.T) {
	out, err := ctl(t)
	if err == nil || !strings.Contains(out, "outpostctl backup") {
		t.Fatalf("no arguments: %v\n%s", err, out)
	}
	out, err = ctl(t, "backup", "-data", t.TempDir())
	if err == nil || !strings.Contains(out, "no chart at") {
		t.Fatalf("backup of a folder with no chart: %v\n%s", err, out)
	}
}
