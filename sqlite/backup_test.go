package sqlite

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outpost/backup"
	"outpost/chart"
)

// backedUpClinic is a clinic with a signed note, an allergy and a scanned
// report, whose backup folder is set.
type backedUpClinic struct {
	*clinic
	folder string
	note   chart.Note
}

func newBackedUpClinic(t *testing.T) *backedUpClinic {
	t.Helper()
	c := &backedUpClinic{clinic: newClinic(t), folder: filepath.Join(t.TempDir(), "usb", "outpost-backups")}
	p := c.patient.ID
	enc := must(c.doc.SaveEncounter(ctxb, sampleEncounter(p)))(t)
	draft := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, enc.ID, "Throat red, Zyxwvut tonsils")))(t)
	c.note = must(c.doc.SignNote(ctxb, draft.ID, draft.Version))(t)
	must(c.doc.SaveAllergy(ctxb, sampleAllergy(p, "Penicillin")))(t)
	attachScan(t, c.doc, p, scannedReport())
	os.MkdirAll(c.folder, 0o700)
	st := chart.DefaultBackupSettings
	st.Folder = c.folder
	must(c.admin.SetBackupSettings(ctxb, st))(t)
	return c
}

func (c *backedUpClinic) backUp(t *testing.T, s chart.Session) chart.BackupRun {
	t.Helper()
	run, err := c.w.BackUp(ctxb, s, s == nil, nil)
	if err != nil {
		t.Fatalf("BackUp: %v", err)
	}
	return run
}

// TestBackupIsVerified backs up with an administrator signed in: the backup
// is written, every record and attachment opened with the key, the audit
// chain walked, its counts the source's; the status shows it.
func TestBackupIsVerified(t *testing.T) {
	c := newBackedUpClinic(t)
	run := c.backUp(t, c.admin)
	if !run.Check.OK || !run.Check.SealsChecked || run.Check.AuditEntries == 0 {
		t.Fatalf("check = %+v", run.Check)
	}
	want := int64(countRows(t, c.w, "records") + countRows(t, c.w, "attachment_data"))
	if run.Check.RecordsOpened != want {
		t.Errorf("opened %d records and attachments, the store holds %d", run.Check.RecordsOpened, want)
	}
	if run.Counts["patients"] != 1 || run.Counts["signedNotes"] != 1 || run.Counts["attachments"] != 1 {
		t.Errorf("counts = %v", run.Counts)
	}
	if !strings.HasPrefix(filepath.Base(run.Path), "Outpost-Valley-Clinic_workstation-") {
		t.Errorf("file name %s does not name the practice", filepath.Base(run.Path))
	}
	st := must(c.w.BackupStatus(ctxb))(t)
	if st.LastGood == nil || st.LastGood.Path != run.Path || st.Overdue || st.FolderMissing || st.LastFailed != nil {
		t.Errorf("status = %+v", st)
	}
	check := must(c.w.VerifyBackup(ctxb, c.doc, run.Path, nil))(t)
	if !check.OK || !check.SealsChecked || check.Counts["records"] != run.Counts["records"] {
		t.Errorf("VerifyBackup = %+v", check)
	}
	if auditCount(t, c.w, chart.AuditExport, "", "") != 1 {
		t.Error("Back up now was not audited")
	}
}

// TestBackupWhileLockedIsCheckedLater: a backup with nobody signed in (on
// quitting) checks everything but the seals; verifying it at the next
// sign-in completes the check in the status.
func TestBackupWhileLockedIsCheckedLater(t *testing.T) {
	c := newBackedUpClinic(t)
	run := c.backUp(t, nil)
	if !run.Check.OK || run.Check.SealsChecked || !run.Unattended {
		t.Fatalf("unattended check = %+v", run)
	}
	if _, err := c.w.BackUp(ctxb, nil, false, nil); chart.ErrorCode(err) != chart.ELOCKED {
		t.Errorf("Back up now with nobody signed in: %v", err)
	}
	if _, err := c.w.BackUp(ctxb, c.doc, false, nil); chart.ErrorCode(err) != chart.EFORBIDDEN {
		t.Errorf("Back up now by a clinician: %v", err)
	}
	must(c.w.VerifyBackup(ctxb, c.admin, run.Path, nil))(t)
	st := must(c.w.BackupStatus(ctxb))(t)
	if !st.LastGood.Check.SealsChecked {
		t.Errorf("after verifying, the status still says the seals are unchecked: %+v", st.LastGood.Check)
	}
}

// TestBackupRevealsNoHealthData scans the backup folder for the clinic's
// details, as TestNoPlaintextHealthDataOnDisk scans the live store.
func TestBackupRevealsNoHealthData(t *testing.T) {
	c := newBackedUpClinic(t)
	p := c.patient
	p.Address.City, p.Phone = "Quillfeather Hollow", "555 0199 876"
	must(c.desk.UpdatePatient(ctxb, p))(t)
	c.backUp(t, c.admin)
	scanned := scanForSecrets(t, c.folder, []string{"Clinicday", "Quillfeather Hollow", "555 0199 876", "Zyxwvut",
		"Penicillin", "Potassium", "canary-scan-4471", "%PDF-"})
	if len(scanned) != 1 || !strings.HasSuffix(scanned[0], backup.Ext) {
		t.Fatalf("scanned %v, want the one backup", scanned)
	}
}

// TestFlippedByteIsNamedAndRefused flips one byte in the middle of the
// newest backup: verification names it as damaged, a restore refuses it,
// and the older generation restores.
func TestFlippedByteIsNamedAndRefused(t *testing.T) {
	c := newBackedUpClinic(t)
	older := c.backUp(t, c.admin)
	c.clock.Advance(24 * 60 * 60 * 1e9)
	register(t, c.desk, samplePatient("Second", "Patient"))
	newer := c.backUp(t, c.admin)
	b, _ := os.ReadFile(newer.Path)
	b[len(b)/2] ^= 0x10
	os.WriteFile(newer.Path, b, 0o600)

	check := must(c.w.VerifyBackup(ctxb, c.admin, newer.Path, nil))(t)
	if check.OK || !strings.Contains(check.Problem, "damaged") || !strings.Contains(check.Problem, filepath.Base(newer.Path)) {
		t.Fatalf("VerifyBackup of a flipped byte = %+v", check)
	}
	fresh := openStore(t, filepath.Join(t.TempDir(), "new", "chart.db"), newTestClock())
	defer fresh.Close()
	_, err := fresh.OpenRestore(ctxb, newer.Path, nil)
	de := wantErr(t, err, chart.EINTEGRITY, "")
	if !strings.Contains(de.Message, filepath.Base(newer.Path)) || !strings.Contains(de.Message, "another backup") {
		t.Errorf("refusal %q does not name the file and offer another", de.Message)
	}
	list := must(fresh.ListBackups(ctxb, c.folder))(t)
	if len(list) != 2 || list[1].Path != older.Path {
		t.Fatalf("ListBackups = %+v", list)
	}
	r := must(fresh.OpenRestore(ctxb, older.Path, nil))(t)
	defer r.Cancel()
	if p := r.Preview(); p.Backup.Counts["patients"] != 1 || !p.Check.OK {
		t.Errorf("older generation preview = %+v", p)
	}
}

// TestRestoreOnANewWorkstation: the backup restores on an empty
// workstation; everyone signs in as before; patients, the signed note and
// the scanned report are there and the audit chain verifies; the backup
// file is not changed by the restore.
func TestRestoreOnANewWorkstation(t *testing.T) {
	c := newBackedUpClinic(t)
	run := c.backUp(t, c.admin)
	before := fileSum(t, run.Path)

	fresh := openStore(t, filepath.Join(t.TempDir(), "new", "chart.db"), newTestClock())
	defer fresh.Close()
	r := must(fresh.OpenRestore(ctxb, run.Path, nil))(t)
	p := r.Preview()
	if p.Unlocked || p.Replaces != "" || p.Backup.PracticeName != "Outpost Valley Clinic" || p.Backup.Counts["signedNotes"] != 1 {
		t.Fatalf("preview = %+v", p)
	}
	if _, err := r.Commit(ctxb, false); chart.ErrorCode(err) != chart.ELOCKED {
		t.Fatalf("Commit before unlocking: %v", err)
	}
	if _, err := r.Unlock(ctxb, "cleo", clinicianPass); chart.ErrorCode(err) != chart.EUNAUTHORIZED {
		t.Fatalf("a clinician unlocked a restore: %v", err)
	}
	if _, err := r.Unlock(ctxb, "ada", "wrong passphrase entirely"); chart.ErrorCode(err) != chart.EUNAUTHORIZED {
		t.Fatalf("a wrong passphrase: %v", err)
	}
	p = must(r.Unlock(ctxb, "ada", adminPass))(t)
	if !p.Unlocked || !p.Check.SealsChecked || !p.Check.OK {
		t.Fatalf("unlocked preview = %+v", p)
	}
	res := must(r.Commit(ctxb, false))(t)
	if res.Aside != "" || res.CatchUp {
		t.Errorf("restore result = %+v", res)
	}
	if fileSum(t, run.Path) != before {
		t.Error("the restore changed the backup file")
	}
	st := must(fresh.Status(ctxb))(t)
	if !st.HasPractice || st.PracticeName != "Outpost Valley Clinic" {
		t.Fatalf("status after restore = %+v", st)
	}
	if bs := must(fresh.BackupStatus(ctxb))(t); bs.LastGood == nil || bs.LastGood.Path != run.Path || !bs.LastGood.Check.SealsChecked {
		t.Errorf("the backup restored from is not the last good one: %+v", bs.LastGood)
	}
	doc := must(fresh.SignIn(ctxb, "cleo", clinicianPass))(t).(*Session)
	note := must(doc.Note(ctxb, c.note.ID))(t)
	if !note.Signed() || note.Sections[0].Text != "Throat red, Zyxwvut tonsils" {
		t.Errorf("restored note = %+v", note)
	}
	if got := must(doc.SearchPatients(ctxb, "Clinicday", 10))(t); len(got) != 1 {
		t.Errorf("patients found = %v", got)
	}
	admin := must(fresh.SignIn(ctxb, "ada", adminPass))(t)
	if v := must(admin.VerifyAudit(ctxb))(t); !v.OK {
		t.Errorf("restored audit chain: %+v", v)
	}
	entries := must(admin.Audit(ctxb, chart.AuditFilter{Action: chart.AuditPracticeSetting}))(t)
	if len(entries) == 0 || !strings.Contains(entries[0].Detail, "restored this workstation's chart from the backup") {
		t.Errorf("the restore is not in the audit log: %+v", entries)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(fresh.path), stagedPrefix+"*")); len(left) != 0 {
		t.Errorf("restore left %v behind", left)
	}
}

// TestRestoreWithRecoveryKey: an administrator who forgot their passphrase
// restores with the practice recovery key and a new passphrase.
func TestRestoreWithRecoveryKey(t *testing.T) {
	c := newBackedUpClinic(t)
	run := c.backUp(t, c.admin)
	fresh := openStore(t, filepath.Join(t.TempDir(), "new", "chart.db"), newTestClock())
	defer fresh.Close()
	r := must(fresh.OpenRestore(ctxb, run.Path, nil))(t)
	if _, err := r.UnlockWithRecoveryKey(ctxb, "AGE-SECRET-KEY-1WRONG", "ada", "a brand new passphrase"); chart.ErrorCode(err) != chart.EUNAUTHORIZED {
		t.Fatalf("a wrong recovery key: %v", err)
	}
	must(r.UnlockWithRecoveryKey(ctxb, c.recovery, "ada", "a brand new passphrase"))(t)
	must(r.Commit(ctxb, false))(t)
	must(fresh.SignIn(ctxb, "ada", "a brand new passphrase"))(t)
}

// TestRestoreOverAChartAsksAndKeepsItAside: restoring where a practice is
// asks first, then keeps the replaced chart as chart.db.replaced-<time>,
// which still opens with what it held.
func TestRestoreOverAChartAsksAndKeepsItAside(t *testing.T) {
	c := newBackedUpClinic(t)
	run := c.backUp(t, c.admin)
	other := newFixture(t)
	register(t, other.admin, samplePatient("Only", "Here"))
	must(other.admin.Lock(ctxb), nil)(t)
	r := must(other.w.OpenRestore(ctxb, run.Path, nil))(t)
	if p := r.Preview(); p.Replaces != "Outpost Valley Clinic" || !p.OtherWorkstation {
		t.Errorf("preview = %+v", p)
	}
	must(r.Unlock(ctxb, "ada", adminPass))(t)
	if _, err := r.Commit(ctxb, false); chart.ErrorCode(err) != chart.ECONFLICT {
		t.Fatalf("Commit over a chart without confirming: %v", err)
	}
	res := must(r.Commit(ctxb, true))(t)
	if !strings.HasPrefix(filepath.Base(res.Aside), "chart.db.replaced-") {
		t.Fatalf("aside = %q", res.Aside)
	}
	aside := openStore(t, res.Aside, newTestClock())
	defer aside.Close()
	s := must(aside.SignIn(ctxb, "ada", adminPass))(t)
	if got := must(s.SearchPatients(ctxb, "Here", 10))(t); len(got) != 1 {
		t.Errorf("the chart kept aside holds %v", got)
	}
	s2 := must(other.w.SignIn(ctxb, "cleo", clinicianPass))(t)
	if got := must(s2.SearchPatients(ctxb, "Here", 10))(t); len(got) != 0 {
		t.Errorf("the restored chart still holds the replaced one's patient: %v", got)
	}
}

func TestRestoreRefusesWhileSignedIn(t *testing.T) {
	c := newBackedUpClinic(t)
	run := c.backUp(t, c.admin)
	r := must(c.w.OpenRestore(ctxb, run.Path, nil))(t)
	defer r.Cancel()
	must(r.Unlock(ctxb, "ada", adminPass))(t)
	if _, err := r.Commit(ctxb, true); chart.ErrorCode(err) != chart.ECONFLICT {
		t.Fatalf("restore with sessions open: %v", err)
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestRestoredWorkstationTakesBackItsOwnChanges: a workstation restored
// from an older backup pulls (with includeOwn) the changes it wrote after
// that backup, which the practice server holds: they are stored and merged
// like another workstation's, and what it already holds is skipped.
func TestRestoredWorkstationTakesBackItsOwnChanges(t *testing.T) {
	c := newBackedUpClinic(t)
	run := c.backUp(t, c.admin)
	late := register(t, c.desk, samplePatient("Written", "Afterbackup"))
	// What the practice server holds from this workstation: every change,
	// those from before the backup too.
	sent := must(c.admin.OutboxBatch(ctxb, 5000, 1<<30))(t)
	for _, s := range []*Session{c.admin, c.doc, c.nurse, c.desk} {
		must(0, s.Lock(ctxb))(t)
	}
	r := must(c.w.OpenRestore(ctxb, run.Path, nil))(t)
	must(r.Unlock(ctxb, "ada", adminPass))(t)
	must(r.Commit(ctxb, true))(t)
	desk := c.signIn(t, "desk", deskPass)
	if _, err := desk.OpenPatient(ctxb, late.ID); chart.ErrorCode(err) != chart.ENOTFOUND {
		t.Fatalf("the restored chart already holds the later patient: %v", err)
	}
	applied, _ := must2(desk.ApplyRemote(ctxb, sent, 7))(t)
	if applied == 0 {
		t.Fatal("none of its own changes were taken back")
	}
	got := must(desk.OpenPatient(ctxb, late.ID))(t)
	if got.FamilyName != "Afterbackup" {
		t.Errorf("patient written after the backup = %+v", got)
	}
	if again, _ := must2(desk.ApplyRemote(ctxb, sent, 7))(t); again != 0 {
		t.Errorf("applying the same page again stored %d changes", again)
	}
}

func must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(t testing.TB) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}
