package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
	"outpost/sqlite"
	"outpost/sync/server/servertest"
)

// The backups are tested through the bound API, over the real store and,
// for the catch-up after a restore, a real practice server.

// backupApp is an app over a fresh store, started, whose practice exists
// with ada signed in and its backup folder set.
func backupApp(t *testing.T, rec *recorder, opts app.Options) (*app.App, *sqlite.Workstation, string) {
	t.Helper()
	dir := t.TempDir()
	ws, err := sqlite.OpenWorkstation(context.Background(), filepath.Join(dir, "data", "chart.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	opts.Events, opts.Logger = rec, log.New(io.Discard, "", 0)
	a := app.New(ws, opts)
	t.Cleanup(func() { a.Shutdown(context.Background()) })
	a.Startup(context.Background())
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "usb")
	os.Mkdir(folder, 0o700)
	st := chart.DefaultBackupSettings
	st.Folder, st.DailyAt = folder, ""
	if _, err := a.Backups.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	return a, ws, folder
}

// waitBackup polls the backup status until cond holds.
func waitBackup(t *testing.T, a *app.App, what string, cond func(app.BackupStatus) bool) app.BackupStatus {
	t.Helper()
	var st app.BackupStatus
	waitFor(t, what, func() bool {
		var err error
		if st, err = a.Backups.Status(); err != nil {
			t.Fatal(err)
		}
		return cond(st)
	})
	return st
}

func backedUp(st app.BackupStatus) bool { return !st.Running && st.Status.LastGood != nil }

func TestBackUpNowReportsProgressAndStatus(t *testing.T) {
	rec := &recorder{}
	a, _, folder := backupApp(t, rec, app.Options{})
	st, err := a.Backups.Status()
	if err != nil || !st.Available || !st.Status.Overdue || st.Status.LastGood != nil {
		t.Fatalf("status before any backup %+v %v", st, err)
	}
	if _, err := a.Patients.Register(chart.Patient{GivenName: "Mara", FamilyName: "Lindqvist", BirthDate: "1961-04-09", Sex: chart.SexFemale}); err != nil {
		t.Fatal(err)
	}
	if err := a.Backups.BackUpNow(); err != nil {
		t.Fatal(err)
	}
	st = waitBackup(t, a, "Back up now", backedUp)
	good := st.Status.LastGood
	if st.Status.Overdue || !good.Check.SealsChecked || good.Counts["patients"] != 1 || filepath.Dir(good.Path) != folder {
		t.Fatalf("after Back up now %+v %+v", st, good)
	}
	var sawRunning bool
	for _, ev := range rec.list() {
		if payload, ok := strings.CutPrefix(ev, app.EventBackupStatus+" "); ok {
			var s []app.BackupStatus
			json.Unmarshal([]byte(payload), &s)
			sawRunning = sawRunning || (len(s) == 1 && s[0].Running)
		}
	}
	if !sawRunning {
		t.Error("no backup:status event showed the backup running")
	}
	list, err := a.Backups.List(folder)
	if err != nil || len(list) != 1 || list[0].PracticeName != "Hillside Clinic" {
		t.Fatalf("List %+v %v", list, err)
	}
	check, err := a.Backups.Verify(list[0].Path)
	if err != nil || !check.OK || !check.SealsChecked {
		t.Fatalf("Verify %+v %v", check, err)
	}

	// Roles: a nurse may not back up or change the settings; locked, the
	// status is still readable.
	if _, err := a.Admin.AddUser(chart.NewUser{FullName: "Nia Nurse", Username: "nia", Role: chart.RoleNurse, Passphrase: "nurse's passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session.SignIn("nia", "nurse's passphrase"); err != nil {
		t.Fatal(err)
	}
	if err := a.Backups.BackUpNow(); err != nil {
		t.Fatal(err) // started: the store refuses it in the background
	}
	waitBackup(t, a, "the refused run", func(s app.BackupStatus) bool { return !s.Running })
	if _, err := a.Backups.SaveSettings(chart.DefaultBackupSettings); code(err) != chart.EFORBIDDEN {
		t.Fatalf("a nurse changed the backup settings: %v", err)
	}
	a.Session.Lock()
	if st, err := a.Backups.Status(); err != nil || st.Status.LastGood == nil {
		t.Fatalf("status while locked %+v %v", st, err)
	}
}

// TestDailyBackupRunsWhenDue: with the daily time passed and no backup
// since, the schedule backs up by itself, once.
func TestDailyBackupRunsWhenDue(t *testing.T) {
	a, _, folder := backupApp(t, &recorder{}, app.Options{BackupTick: 10 * time.Millisecond})
	st, _ := a.Backups.Settings()
	st.DailyAt = "00:00"
	if _, err := a.Backups.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	got := waitBackup(t, a, "the daily backup", backedUp)
	if !got.Status.LastGood.Unattended {
		t.Errorf("the daily backup is not marked unattended: %+v", got.Status.LastGood)
	}
	time.Sleep(100 * time.Millisecond) // ten more ticks
	if files, _ := filepath.Glob(filepath.Join(folder, "*.outpost-backup")); len(files) != 1 {
		t.Fatalf("the schedule backed up %d times", len(files))
	}
}

// TestBackupOnQuitIsSealCheckedAtNextSignIn: quitting backs up (nobody
// signed in, so the seals wait); the next sign-in checks them.
func TestBackupOnQuitIsSealCheckedAtNextSignIn(t *testing.T) {
	a, _, folder := backupApp(t, &recorder{}, app.Options{})
	path := filepath.Join(filepath.Dir(folder), "data", "chart.db")
	a.Shutdown(context.Background())
	ws2, err := sqlite.OpenWorkstation(context.Background(), path, sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	a2 := app.New(ws2, app.Options{Events: &recorder{}, Logger: log.New(io.Discard, "", 0)})
	t.Cleanup(func() { a2.Shutdown(context.Background()) })
	a2.Startup(context.Background())
	st, _ := a2.Backups.Status()
	if st.Status.LastGood == nil || st.Status.LastGood.Check.SealsChecked || !st.Status.LastGood.Check.OK {
		t.Fatalf("after quitting %+v", st.Status.LastGood)
	}
	if _, err := a2.Session.SignIn("ada", "ada's long passphrase"); err != nil {
		t.Fatal(err)
	}
	waitBackup(t, a2, "the seals checked", func(s app.BackupStatus) bool {
		return !s.Running && s.Status.LastGood.Check.SealsChecked
	})
}

// TestRestoreBringsBackWhatWasWrittenAfterTheBackup: a workstation
// restored from a backup older than its last changes gets them back from
// the practice server (its own changes, pulled with includeOwn once).
func TestRestoreBringsBackWhatWasWrittenAfterTheBackup(t *testing.T) {
	srv := servertest.Start(t)
	rec := &recorder{}
	a, ws := newSyncApp(t, rec)
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(t.TempDir(), "usb")
	os.Mkdir(folder, 0o700)
	st := chart.DefaultBackupSettings
	st.Folder, st.DailyAt = folder, ""
	if _, err := a.Backups.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync.Connect(srv.Code(t).String(), "Front desk"); err != nil {
		t.Fatal(err)
	}
	register := func(family string) {
		if _, err := a.Patients.Register(chart.Patient{GivenName: "Ann", FamilyName: family, BirthDate: "1970-01-01"}); err != nil {
			t.Fatal(err)
		}
	}
	synced := func(what string) {
		waitStatus(t, a, what, func(s app.SyncStatus) bool { return s.State == "idle" && s.Pending == 0 })
	}
	register("Beforebackup")
	a.Sync.SyncNow()
	synced("the first sync")
	if err := a.Backups.BackUpNow(); err != nil {
		t.Fatal(err)
	}
	backup := waitBackup(t, a, "the backup", backedUp).Status.LastGood.Path
	register("Afterbackup")
	a.Sync.SyncNow()
	synced("the sync after the backup")

	// The laptop's disk is replaced: the backup is restored over it.
	if _, err := a.Backups.OpenRestore(backup); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Backups.UnlockRestore("ada", "ada's long passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Backups.Restore(false); code(err) != chart.ECONFLICT {
		t.Fatalf("restore over the chart without confirming: %v", err)
	}
	res, err := a.Backups.Restore(true)
	if err != nil || !res.CatchUp || res.Aside == "" {
		t.Fatalf("Restore %+v %v", res, err)
	}
	if cur, _ := a.Session.Current(); cur != nil {
		t.Fatal("still signed in after a restore")
	}
	if due, _ := ws.RestoreCatchUp(context.Background()); !due {
		t.Fatal("the restore did not ask for a catch-up")
	}
	if _, err := a.Session.SignIn("ada", "ada's long passphrase"); err != nil {
		t.Fatal(err)
	}
	find := func(family string) int {
		res, err := a.Patients.Search(family)
		if err != nil {
			t.Fatal(err)
		}
		return len(res)
	}
	if find("Beforebackup") != 1 || find("Afterbackup") != 0 {
		t.Fatal("the restored chart is not the backup's")
	}
	// Under -race on a loaded machine a sync may be refused as busy and
	// back off; ask again every few seconds, as a person would.
	start := time.Now()
	var asked time.Time
	for ; find("Afterbackup") == 0; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > 90*time.Second {
			t.Fatal("the patient written after the backup never came back from the server")
		}
		if time.Since(asked) > 5*time.Second {
			a.Sync.SyncNow()
			asked = time.Now()
		}
	}
	waitFor(t, "the catch-up to end", func() bool { due, _ := ws.RestoreCatchUp(context.Background()); return !due })
}

// TestRestoreOnTheFirstRunScreen: a new workstation restores without any
// sign-in; one with a practice only for its administrator.
func TestRestoreOnTheFirstRunScreen(t *testing.T) {
	a, _, folder := backupApp(t, &recorder{}, app.Options{})
	if err := a.Backups.BackUpNow(); err != nil {
		t.Fatal(err)
	}
	path := waitBackup(t, a, "the backup", backedUp).Status.LastGood.Path
	a.Session.Lock()
	if _, err := a.Backups.OpenRestore(path); code(err) != chart.ELOCKED {
		t.Fatalf("a restore over a practice with nobody signed in: %v", err)
	}

	fresh := newApp(t, app.Options{Events: &recorder{}})
	fresh.Startup(context.Background())
	list, err := fresh.Backups.List(folder)
	if err != nil || len(list) != 1 {
		t.Fatalf("List %v %v", list, err)
	}
	p, err := fresh.Backups.OpenRestore(list[0].Path)
	if err != nil || p.Backup.PracticeName != "Hillside Clinic" || p.Replaces != "" {
		t.Fatalf("OpenRestore %+v %v", p, err)
	}
	if _, err := fresh.Backups.Restore(false); code(err) != chart.ELOCKED {
		t.Fatalf("restore before unlocking: %v", err)
	}
	if _, err := fresh.Backups.UnlockRestore("ada", "ada's long passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Backups.Restore(false); err != nil {
		t.Fatal(err)
	}
	st, _ := fresh.Session.Status()
	if !st.HasPractice || st.PracticeName != "Hillside Clinic" {
		t.Fatalf("status after restore %+v", st)
	}
	if _, err := fresh.Session.SignIn("ada", "ada's long passphrase"); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// pickedDialogs answers the pickers with fixed choices and records titles.
type pickedDialogs struct{ folder, file, asked string }

func (d *pickedDialogs) ChooseFolder(_ context.Context, title string) (string, error) {
	d.asked = title
	return d.folder, nil
}

func (d *pickedDialogs) ChooseFile(_ context.Context, title, _, pattern string) (string, error) {
	d.asked = title + " " + pattern
	return d.file, nil
}

func TestBackupPickersGoThroughTheDialogs(t *testing.T) {
	d := &pickedDialogs{folder: "/media/usb", file: "/media/usb/x.outpost-backup"}
	a, _, _ := backupApp(t, &recorder{}, app.Options{Dialogs: d})
	if got, err := a.Backups.ChooseFolder(); err != nil || got != d.folder {
		t.Fatalf("ChooseFolder = %q, %v; want %q", got, err, d.folder)
	}
	if got, err := a.Backups.ChooseFile(); err != nil || got != d.file || !strings.HasSuffix(d.asked, "*.outpost-backup") {
		t.Fatalf("ChooseFile = %q, %v (asked %q); want %q filtered to backups", got, err, d.asked, d.file)
	}
}
