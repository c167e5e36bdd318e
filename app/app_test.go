package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
	"outpost/sqlite"
)

// The app layer is tested over the real SQLite store: it is the thing the
// desktop shell runs, and it runs here.

type recorder struct {
	mu     sync.Mutex
	events []string
	// onEmit, when set, runs after each event is recorded, on the
	// emitting goroutine: what the window would do on receiving it.
	onEmit func(name string, data []any)
}

func (r *recorder) Emit(name string, data ...any) {
	r.mu.Lock()
	b, _ := json.Marshal(data)
	r.events = append(r.events, name+" "+string(b))
	on := r.onEmit
	r.mu.Unlock()
	if on != nil {
		on(name, data)
	}
}

func (r *recorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

func newApp(t *testing.T, opts app.Options) *app.App {
	t.Helper()
	ws, err := sqlite.OpenWorkstation(context.Background(), filepath.Join(t.TempDir(), "chart.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Logger == nil {
		opts.Logger = log.New(io.Discard, "", 0)
	}
	a := app.New(ws, opts)
	t.Cleanup(func() { a.Shutdown(context.Background()) })
	return a
}

func practice() chart.NewPractice {
	return chart.NewPractice{PracticeName: "Hillside Clinic", Admin: chart.NewUser{
		FullName: "Ada Admin", Username: "ada", Passphrase: "ada's long passphrase"}}
}

func code(err error) string {
	var w struct{ Code string }
	if s, ok := app.FormatError(err).(string); ok {
		_ = json.Unmarshal([]byte(s), &w)
	}
	return w.Code
}

func TestBoundMethodsWaitForStartup(t *testing.T) {
	a := newApp(t, app.Options{Events: &recorder{}})
	done := make(chan chart.WorkstationStatus, 1)
	go func() {
		st, err := a.Session.Status()
		if err != nil {
			t.Error(err)
		}
		done <- st
	}()
	select {
	case <-done:
		t.Fatal("Status answered before Startup ran")
	case <-time.After(50 * time.Millisecond):
	}
	a.Startup(context.Background())
	if st := <-done; st.HasPractice {
		t.Fatalf("fresh workstation says it has a practice: %+v", st)
	}
}

func TestCreateSignInLock(t *testing.T) {
	a := newApp(t, app.Options{Events: &recorder{}})
	a.Startup(context.Background())
	created, err := a.Session.CreatePractice(practice())
	if err != nil {
		t.Fatal(err)
	}
	if created.RecoveryKey == "" || created.User.Role != chart.RoleAdministrator {
		t.Fatalf("unexpected %+v", created.User)
	}
	st, err := a.Session.Status()
	if err != nil || !st.HasPractice || st.SignedIn == nil || st.SignedIn.Username != "ada" {
		t.Fatalf("status after create: %+v %v", st, err)
	}
	p, err := a.Patients.Register(chart.Patient{GivenName: "Mara", FamilyName: "Lindqvist", BirthDate: "1961-04-09", Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	if hits, err := a.Patients.Search("lindq"); err != nil || len(hits) != 1 || hits[0].ID != p.ID {
		t.Fatalf("search: %+v %v", hits, err)
	}
	if err := a.Session.Lock(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Patients.Search("lindq"); code(err) != chart.ELOCKED {
		t.Fatalf("search after lock: %v", err)
	}
	if cur, err := a.Session.Current(); err != nil || cur != nil {
		t.Fatalf("current after lock: %+v %v", cur, err)
	}
	if _, err := a.Session.SignIn("ada", "wrong passphrase!"); code(err) != chart.EUNAUTHORIZED {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := a.Session.SignIn("ADA ", "ada's long passphrase"); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Patients.Open(string(p.ID)); err != nil || got.FamilyName != "Lindqvist" {
		t.Fatalf("open after sign-in: %+v %v", got, err)
	}
	if _, err := a.Patients.Open("../../etc/passwd"); code(err) != chart.EINVALID {
		t.Fatalf("bad id: %v", err)
	}
}

func TestIdleLockEmitsEventAndDropsSession(t *testing.T) {
	rec := &recorder{}
	a := newApp(t, app.Options{Events: rec, IdleLock: 100 * time.Millisecond})
	a.Startup(context.Background())
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(rec.list()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if ev := rec.list(); len(ev) != 1 || ev[0] != `session:locked [{"reason":"idle"}]` {
		t.Fatalf("events: %v", ev)
	}
	if _, err := a.Patients.Search(""); code(err) != chart.ELOCKED {
		t.Fatalf("search after idle lock: %v", err)
	}
}

func TestRolesEnforcedBehindTheUI(t *testing.T) {
	a := newApp(t, app.Options{Events: &recorder{}})
	a.Startup(context.Background())
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Admin.AddUser(chart.NewUser{FullName: "Fran Desk", Username: "fran", Role: chart.RoleFrontDesk, Passphrase: "front desk passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session.SignIn("fran", "front desk passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Admin.Users(); code(err) != chart.EFORBIDDEN {
		t.Fatalf("front desk listed users: %v", err)
	}
	if _, err := a.Admin.Audit(chart.AuditFilter{}); code(err) != chart.EFORBIDDEN {
		t.Fatalf("front desk read the audit log: %v", err)
	}
	if _, err := a.Patients.Register(chart.Patient{GivenName: "Ivo", FamilyName: "Brandt", BirthDate: "2001-02-03"}); err != nil {
		t.Fatalf("front desk could not register a patient: %v", err)
	}
}

// The trend plot's normal band comes from the same table that flags
// readings, with every band and its ranges.
func TestVitalRangesForThePlot(t *testing.T) {
	a := newApp(t, app.Options{Events: &recorder{}})
	a.Startup(context.Background())
	r, err := a.Chart.VitalRanges() // before anyone signs in
	if err != nil {
		t.Fatal(err)
	}
	want, _ := chart.DefaultVitalRanges()
	if len(r.Bands) != len(want.Bands) || r.Bands[0].From != "0d" || r.Adult().Ranges[chart.VitalHeartRate].High != 100 {
		t.Fatalf("VitalRanges = %+v", r)
	}
}

// TestInboxPollDoesNotHoldOffTheIdleLock: the frontend asks for the inbox
// count on its own (after every sync, on a poll); if asking counted as
// activity the workstation would never lock itself while the app is open.
func TestInboxPollDoesNotHoldOffTheIdleLock(t *testing.T) {
	rec := &recorder{}
	a := newApp(t, app.Options{Events: rec, IdleLock: 300 * time.Millisecond})
	a.Startup(context.Background())
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(rec.list()) == 0 && time.Now().Before(deadline) {
		a.Worklist.Counts() // every 20 ms, far more often than the idle lock's 300 ms
		time.Sleep(20 * time.Millisecond)
	}
	if ev := rec.list(); len(ev) != 1 || ev[0] != `session:locked [{"reason":"idle"}]` {
		t.Fatalf("polled the inbox for 10 s and the idle lock never came: events %v", ev)
	}
	if _, err := a.Worklist.Counts(); code(err) != chart.ELOCKED {
		t.Fatalf("inbox count after the idle lock: %v", err)
	}
}
