package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
	"outpost/sqlite"
	"outpost/sync/client"
	"outpost/sync/server/servertest"
)

// The Sync API is tested over the real SQLite workstation and a real
// practice server over TLS, wired as main.go wires them.

func newSyncApp(t *testing.T, rec *recorder) (*app.App, *sqlite.Workstation) {
	t.Helper()
	ws, err := sqlite.OpenWorkstation(context.Background(), filepath.Join(t.TempDir(), "chart.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(ws, app.Options{Events: rec, Logger: log.New(io.Discard, "", 0), Sync: ws,
		SyncTiming: client.RunnerConfig{Interval: time.Hour, MinBackoff: time.Hour, MaxBackoff: time.Hour}})
	t.Cleanup(func() { a.Shutdown(context.Background()) })
	a.Startup(context.Background())
	return a, ws
}

// statuses are the sync:status events received so far.
func (r *recorder) statuses(t *testing.T) []app.SyncStatus {
	t.Helper()
	var out []app.SyncStatus
	for _, ev := range r.list() {
		payload, ok := strings.CutPrefix(ev, app.EventSyncStatus+" ")
		if !ok {
			continue
		}
		var st []app.SyncStatus
		if err := json.Unmarshal([]byte(payload), &st); err != nil || len(st) != 1 {
			t.Fatalf("event %q: %v", ev, err)
		}
		out = append(out, st[0])
	}
	return out
}

// waitStatus polls Status until cond holds; the deadline only guards
// against a hang.
func waitStatus(t *testing.T, a *app.App, what string, cond func(app.SyncStatus) bool) app.SyncStatus {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := a.Sync.Status()
		if err != nil {
			t.Fatal(err)
		}
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s; status %+v", what, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSyncStatusBeforeConnecting(t *testing.T) {
	a, _ := newSyncApp(t, &recorder{})
	st, err := a.Sync.Status()
	if err != nil {
		t.Fatal(err)
	}
	want := app.SyncStatus{State: "not_configured", DaysSinceSync: -1, WarnDays: chart.DefaultSyncWarnDays}
	if st != want {
		t.Fatalf("status %+v, want %+v", st, want)
	}
	if _, err := a.Sync.SyncNow(); code(err) != chart.EINVALID {
		t.Fatalf("SyncNow before connecting: %v", err)
	}
	if _, err := a.Sync.Connect("x", "Front desk"); code(err) != chart.ELOCKED {
		t.Fatalf("Connect without a session: %v", err)
	}
	if _, err := a.Sync.Conflicts(); code(err) != chart.ELOCKED {
		t.Fatalf("Conflicts without a session: %v", err)
	}
	if _, err := a.Sync.PatientConflicts(string(chart.NewPatientID())); code(err) != chart.ELOCKED {
		t.Fatalf("PatientConflicts without a session: %v", err)
	}
	if _, err := a.Sync.DayReport("23/11/2026"); code(err) != chart.EINVALID {
		t.Fatalf("DayReport with a bad day: %v", err)
	}
}

func TestConnectSyncsByItselfAndReports(t *testing.T) {
	srv := servertest.Start(t)
	rec := &recorder{}
	a, _ := newSyncApp(t, rec)
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Patients.Register(chart.Patient{GivenName: "Mara", FamilyName: "Lindqvist", BirthDate: "1961-04-09", Sex: chart.SexFemale}); err != nil {
		t.Fatal(err)
	}
	if st, _ := a.Sync.Status(); st.Pending == 0 || st.Configured {
		t.Fatalf("before connecting %+v; want changes waiting", st)
	}
	if _, err := a.Sync.Connect("not a code", "Front desk"); code(err) != chart.EINVALID {
		t.Fatalf("bad code: %v", err)
	}
	if _, err := a.Sync.Connect(srv.Code(t).String(), "  "); code(err) != chart.EINVALID {
		t.Fatalf("no device name: %v", err)
	}
	st, err := a.Sync.Connect(srv.Code(t).String(), "Front desk")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Configured || st.ServerAddr != srv.Addr() {
		t.Fatalf("after Connect %+v", st)
	}
	entries, err := a.Admin.Audit(chart.AuditFilter{Action: chart.AuditPracticeSetting})
	if err != nil {
		t.Fatal(err)
	}
	var audited bool
	for _, e := range entries {
		audited = audited || e.Detail == "connected this workstation to the practice server at "+srv.Addr()
	}
	if !audited {
		t.Fatalf("connecting was not audited: %+v", entries)
	}
	st = waitStatus(t, a, "the first sync", func(s app.SyncStatus) bool { return s.State == "idle" && s.Pending == 0 })
	if !st.Online || st.LastSync == "" || st.DaysSinceSync != 0 || st.Overdue || st.LastError != "" || st.Running {
		t.Fatalf("after the first sync %+v", st)
	}
	events := rec.statuses(t)
	if len(events) == 0 || !events[len(events)-1].Configured {
		t.Fatalf("sync:status events %+v", events)
	}
	var sawSyncing bool
	for _, e := range events {
		sawSyncing = sawSyncing || e.Running
	}
	if !sawSyncing {
		t.Fatalf("no event showed the sync running: %+v", events)
	}
	rep, err := a.Sync.DayReport("")
	if err != nil || rep.Syncs != 1 || rep.Sent == 0 || rep.Failures != 0 || rep.Pending != 0 || rep.LastSync == "" ||
		rep.Day != time.Now().Format(time.DateOnly) {
		t.Fatalf("day report %+v %v", rep, err)
	}
	if rep, err := a.Sync.DayReport("2020-01-01"); err != nil || rep.Syncs != 0 || rep.LastSync == "" {
		t.Fatalf("report of a day without syncs %+v %v", rep, err)
	}

	if _, err := a.Patients.Register(chart.Patient{GivenName: "Ivo", FamilyName: "Brandt", BirthDate: "2001-02-03"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync.SyncNow(); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, a, "Sync now", func(s app.SyncStatus) bool { return s.State == "idle" && s.Pending == 0 })
	if rep, _ := a.Sync.DayReport(""); rep.Syncs != 2 {
		t.Fatalf("report after Sync now %+v", rep)
	}
	if list, err := a.Sync.Conflicts(); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("conflicts %v %v; want an empty list", list, err)
	}
	if marks, err := a.Sync.PatientConflicts(string(chart.NewPatientID())); err != nil || marks == nil || len(marks) != 0 {
		t.Fatalf("chart marks %v %v; want an empty list", marks, err)
	}
	if _, err := a.Sync.PatientConflicts("not an id"); code(err) != chart.EINVALID {
		t.Fatalf("chart marks for a malformed patient id: %v", err)
	}

	// Locked: the status stays readable and says so.
	if err := a.Session.Lock(); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, a, "locked", func(s app.SyncStatus) bool { return s.State == "locked" && s.Configured })
}

func TestConnectNeedsAnAdministrator(t *testing.T) {
	srv := servertest.Start(t)
	a, _ := newSyncApp(t, &recorder{})
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Admin.AddUser(chart.NewUser{FullName: "Nia Nurse", Username: "nia", Role: chart.RoleNurse, Passphrase: "nurse's passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session.SignIn("nia", "nurse's passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync.Connect(srv.Code(t).String(), "Car laptop"); code(err) != chart.EFORBIDDEN {
		t.Fatalf("nurse connected the workstation: %v", err)
	}
	if st, _ := a.Sync.Status(); st.Configured {
		t.Fatalf("configured after a refused Connect: %+v", st)
	}
}

func TestConnectToAServerOfAnotherPractice(t *testing.T) {
	srv := servertest.Start(t)
	srv.Enroll(t, chart.NewDeviceID(), "Someone else's desk") // binds the server to srv.Practice
	a, _ := newSyncApp(t, &recorder{})
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	_, err := a.Sync.Connect(srv.Code(t).String(), "Front desk")
	if code(err) != chart.EUNAUTHORIZED || !strings.Contains(app.FormatError(err).(string), "another practice") {
		t.Fatalf("connect to another practice's server: %v", app.FormatError(err))
	}
}

func TestJoinPracticeThenSignInOnTheNewWorkstation(t *testing.T) {
	srv := servertest.Start(t)
	a, _ := newSyncApp(t, &recorder{})
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Patients.Register(chart.Patient{GivenName: "Mara", FamilyName: "Lindqvist", BirthDate: "1961-04-09", Sex: chart.SexFemale}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync.Connect(srv.Code(t).String(), "Front desk"); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, a, "A's first sync", func(s app.SyncStatus) bool { return s.State == "idle" && s.Pending == 0 })

	rec := &recorder{}
	b, _ := newSyncApp(t, rec)
	if _, err := b.Sync.JoinPractice("garbage", "Car laptop"); code(err) != chart.EINVALID {
		t.Fatalf("join with a bad code: %v", err)
	}
	st, err := b.Sync.JoinPractice(srv.Code(t).String(), "Car laptop")
	if err != nil {
		t.Fatalf("join: %s", app.FormatError(err))
	}
	if !st.Configured || st.State != "locked" || st.LastError != "" {
		t.Fatalf("status after joining %+v", st)
	}
	var sawJoin bool
	for _, e := range rec.statuses(t) {
		sawJoin = sawJoin || (e.Running && e.Phase == "receiving")
	}
	if !sawJoin {
		t.Fatalf("no event showed the join's pull: %+v", rec.statuses(t))
	}
	if ws, err := b.Session.Status(); err != nil || !ws.NeedsFirstSignIn {
		t.Fatalf("workstation status after joining %+v %v", ws, err)
	}
	if _, err := b.Sync.JoinPractice(srv.Code(t).String(), "Car laptop"); err != nil {
		t.Fatalf("resuming a join before the first sign-in: %s", app.FormatError(err))
	}
	// The person retries the moment the refusal is shown: the retry starts
	// (it is not refused as a sign-in still under way).
	type retry struct {
		seen int // events before the retry's
		err  error
	}
	retried := make(chan retry, 1)
	firstSignIn(t, b, rec, "ada", "wrong passphrase", false)
	rec.mu.Lock()
	rec.onEmit = func(name string, data []any) {
		if p, ok := data[0].(app.FirstSignInProgress); ok && name == app.EventFirstSignIn && p.Finished && p.Error != nil {
			rec.mu.Lock()
			rec.onEmit = nil
			seen := len(rec.events)
			rec.mu.Unlock()
			retried <- retry{seen, b.Session.BeginFirstSignIn("ada", "ada's long passphrase")}
		}
	}
	rec.mu.Unlock()
	if err := b.Session.BeginFirstSignIn("ada", "wrong passphrase"); err != nil {
		t.Fatalf("begin first sign-in: %s", app.FormatError(err))
	}
	var r retry
	select {
	case r = <-retried:
	case <-time.After(30 * time.Second):
		t.Fatal("the second wrong passphrase was not refused")
	}
	if r.err != nil {
		t.Fatalf("a retry as the refusal is shown: %s", app.FormatError(r.err))
	}
	awaitFirstSignIn(t, b, rec, r.seen, "ada", true)
	if hits, err := b.Patients.Search("lindq"); err != nil || len(hits) != 1 {
		t.Fatalf("search on the joined workstation: %+v %v", hits, err)
	}
	waitStatus(t, b, "B's first sync", func(s app.SyncStatus) bool { return s.State == "idle" && s.Online })
	if _, err := b.Sync.JoinPractice(srv.Code(t).String(), "Car laptop"); code(err) != chart.EINVALID {
		t.Fatalf("join on a workstation with a practice: %v", err)
	}
}

// firstSignIn signs in on a joined workstation the way the sign-in screen
// does: BeginFirstSignIn returns at once, and the signin:first events bring
// progress, then the outcome.
func firstSignIn(t *testing.T, a *app.App, rec *recorder, user, pass string, wantOK bool) {
	t.Helper()
	seen := len(rec.list())
	if err := a.Session.BeginFirstSignIn(user, pass); err != nil {
		t.Fatalf("begin first sign-in: %s", app.FormatError(err))
	}
	awaitFirstSignIn(t, a, rec, seen, user, wantOK)
}

// awaitFirstSignIn waits for the outcome of a first sign-in begun after
// the seen-th event: the last signin:first event after it that is finished.
func awaitFirstSignIn(t *testing.T, a *app.App, rec *recorder, seen int, user string, wantOK bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var progress []app.FirstSignInProgress
	for time.Now().Before(deadline) {
		progress = progress[:0]
		for _, ev := range rec.list()[seen:] {
			payload, ok := strings.CutPrefix(ev, app.EventFirstSignIn+" ")
			if !ok {
				continue
			}
			var p []app.FirstSignInProgress
			if err := json.Unmarshal([]byte(payload), &p); err != nil || len(p) != 1 {
				t.Fatalf("event %q: %v", ev, err)
			}
			progress = append(progress, p[0])
		}
		if n := len(progress); n > 0 && progress[n-1].Finished {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	n := len(progress)
	if n == 0 || !progress[n-1].Finished {
		t.Fatalf("the first sign-in did not finish: %+v", progress)
	}
	last := progress[n-1]
	if !wantOK {
		if last.SignedIn != nil || !strings.Contains(last.Error.(string), `"unauthorized"`) {
			t.Fatalf("a wrong passphrase finished with %+v", last)
		}
		return
	}
	if last.SignedIn == nil || last.SignedIn.User.Username != user || last.Error != nil {
		t.Fatalf("first sign-in finished with %+v", last)
	}
	if n < 2 || progress[0].Total == 0 || progress[n-2].Done != progress[n-2].Total {
		t.Fatalf("progress events %+v; want a total, then all done", progress)
	}
	if cur, err := a.Session.Current(); err != nil || cur == nil || cur.User.Username != user {
		t.Fatalf("after the first sign-in the app has %+v, %v", cur, err)
	}
}
