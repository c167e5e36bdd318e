package client_test

import (
	"context"
	"io"
	"log"
	"path/filepath"
	"runtime"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sqlite"
	"outpost/sync/client"
	"outpost/sync/server"
	"outpost/sync/server/servertest"
	"outpost/sync/transport"
)

// The runner is tested over the real SQLite workstation and a real
// practice server over TLS: what the desktop app runs.

// station is one workstation with a practice and a settable session.
type station struct {
	ws *sqlite.Workstation
	mu gosync.Mutex
	s  chart.Session
}

func newStation(t *testing.T) *station {
	t.Helper()
	ctx := context.Background()
	ws, err := sqlite.OpenWorkstation(ctx, filepath.Join(t.TempDir(), "chart.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	s, _, err := ws.CreatePractice(ctx, chart.NewPractice{PracticeName: "Hillside Clinic",
		Admin: chart.NewUser{FullName: "Ada Admin", Username: "ada", Passphrase: "ada's long passphrase"}})
	if err != nil {
		t.Fatal(err)
	}
	return &station{ws: ws, s: s}
}

// store is the runner's view of the session: nil while locked.
func (st *station) store() client.Store {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.s == nil {
		return nil
	}
	return st.s.(client.Store)
}

func (st *station) setSession(s chart.Session) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s = s
}

func (st *station) register(t *testing.T, family string) {
	t.Helper()
	st.mu.Lock()
	s := st.s
	st.mu.Unlock()
	if _, err := s.RegisterPatient(context.Background(), chart.Patient{GivenName: "Mara", FamilyName: family,
		BirthDate: "1961-04-09", Sex: chart.SexFemale}); err != nil {
		t.Fatal(err)
	}
}

// pending is how many changes wait to be sent (a registration writes more
// than one record).
func (st *station) pending(t *testing.T) int {
	t.Helper()
	n, err := st.ws.PendingChanges(context.Background())
	if err != nil || n == 0 {
		t.Fatalf("pending changes: %d %v", n, err)
	}
	return n
}

// enroll enrols the workstation's own device id and saves the identity.
func (st *station) enroll(t *testing.T, srv *servertest.Server) *transport.Client {
	t.Helper()
	ctx := context.Background()
	dev, err := st.ws.DeviceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := srv.EnrollAs(t, st.s.Practice().ID, dev, "Front desk")
	if err := st.ws.SaveSyncIdentity(ctx, servertest.Identity(c, srv.Addr())); err != nil {
		t.Fatal(err)
	}
	return c
}

func (st *station) runner(t *testing.T, cfg client.RunnerConfig) *client.Runner {
	t.Helper()
	cfg.Identity, cfg.State, cfg.Store = st.ws, st.ws, st.store
	cfg.Logger = log.New(io.Discard, "", 0)
	r := client.NewRunner(cfg)
	t.Cleanup(func() {
		if err := r.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return r
}

// waitFor polls the runner's status until cond holds. The deadline only
// guards against a hang; nothing here measures speed.
func waitFor(t *testing.T, r *client.Runner, what string, cond func(client.Status) bool) client.Status {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := r.Status()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s; status %+v", what, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// quiet: no sync comes by itself after the first, only from Trigger.
var quiet = client.RunnerConfig{Interval: time.Hour, MinBackoff: time.Hour, MaxBackoff: time.Hour}

func TestRunnerSyncsAtStartAndRecordsTheRun(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	a := newStation(t)
	a.register(t, "Lindqvist")
	a.enroll(t, srv)
	waiting, err := a.ws.PendingChanges(ctx)
	if err != nil || waiting == 0 {
		t.Fatalf("pending before sync: %d %v", waiting, err)
	}
	var mu gosync.Mutex
	var states []string
	cfg := quiet
	cfg.OnStatus = func(s client.Status) {
		mu.Lock()
		defer mu.Unlock()
		if len(states) == 0 || states[len(states)-1] != s.State {
			states = append(states, s.State)
		}
	}
	r := a.runner(t, cfg)
	r.Start()
	st := waitFor(t, r, "the first sync", func(s client.Status) bool { return s.State == client.StateIdle })
	if !st.Online || st.Pending != 0 || st.LastSync.IsZero() || st.LastError != "" || st.LastReport.Sent != waiting ||
		st.ServerAddr != srv.Addr() || !st.Configured || st.Running() {
		t.Fatalf("status after sync %+v; want online, %d sent, nothing pending", st, waiting)
	}
	if n, err := srv.Store.ChangeCount(ctx); err != nil || n != int64(waiting+st.LastReport.AuditSent) {
		t.Fatalf("server holds %d changes (%v), want %d and %d audit entries", n, err, waiting, st.LastReport.AuditSent)
	}
	runs, err := a.ws.SyncRuns(ctx, time.Time{})
	if err != nil || len(runs) != 1 || runs[0].Sent != waiting || runs[0].Error != "" || runs[0].Requests < 2 {
		t.Fatalf("recorded runs %+v %v", runs, err)
	}
	// OnStatus runs on its own goroutine: the callback may see "idle" a
	// moment after Status does.
	seen := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(states, ",")
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.HasSuffix(seen(), "idle") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if got := seen(); !strings.HasPrefix(got, "syncing") || !strings.HasSuffix(got, "idle") {
		t.Fatalf("states seen %q, want syncing ... idle", got)
	}
}

func TestRunnerWaitsForEnrolmentAndSignInThenTrigger(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	a := newStation(t)
	a.register(t, "Brandt")
	r := a.runner(t, quiet)
	r.Start()
	waitFor(t, r, "not configured", func(s client.Status) bool { return s.State == client.StateNotConfigured && s.Pending > 0 })

	a.enroll(t, srv)
	sess := a.s
	a.setSession(nil) // locked
	r.Trigger()
	st := waitFor(t, r, "locked", func(s client.Status) bool { return s.State == client.StateLocked })
	if !st.Configured || st.ServerAddr != srv.Addr() {
		t.Fatalf("locked status %+v", st)
	}
	if runs, _ := a.ws.SyncRuns(ctx, time.Time{}); len(runs) != 0 {
		t.Fatalf("a sync ran while locked: %+v", runs)
	}

	a.setSession(sess) // signed in again
	r.Trigger()
	st = waitFor(t, r, "synced", func(s client.Status) bool { return s.State == client.StateIdle })
	if st.Pending != 0 || st.LastReport.Sent == 0 {
		t.Fatalf("after Trigger %+v", st)
	}
	a.register(t, "Okafor")
	want := a.pending(t)
	r.Trigger()
	waitFor(t, r, "second sync", func(s client.Status) bool { return s.State == client.StateIdle && s.LastReport.Sent == want })
}

func TestRunnerGoesOfflineAndResumesByItself(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	a := newStation(t)
	a.enroll(t, srv)
	r := a.runner(t, client.RunnerConfig{Interval: 10 * time.Millisecond, MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond})
	r.Start()
	waitFor(t, r, "first sync", func(s client.Status) bool { return s.State == client.StateIdle })

	srv.Stop()
	a.register(t, "Haddad")
	st := waitFor(t, r, "offline", func(s client.Status) bool { return s.State == client.StateOffline })
	if st.Online || st.Pending == 0 || !strings.Contains(st.LastError, "could not be reached") {
		t.Fatalf("offline status %+v", st)
	}

	srv.Restart(t)
	st = waitFor(t, r, "back online", func(s client.Status) bool { return s.State == client.StateIdle && s.Pending == 0 })
	if !st.Online || st.LastError != "" {
		t.Fatalf("status after the server came back %+v", st)
	}
	runs, err := a.ws.SyncRuns(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var failed int
	for _, run := range runs {
		if run.Error != "" {
			failed++
		}
	}
	if failed == 0 || runs[len(runs)-1].Error != "" {
		t.Fatalf("runs %+v: want failures recorded, the last one a success", runs)
	}
}

// A push over the device's quota on the server stops with the server's
// message for the administrator; the changes stay pending.
func TestRunnerShowsTheQuotaRefusal(t *testing.T) {
	srv := servertest.StartWith(t, server.Options{DeviceQuota: 1024})
	a := newStation(t)
	a.enroll(t, srv)
	pending := a.pending(t)
	r := a.runner(t, quiet)
	r.Start()
	st := waitFor(t, r, "refusal", func(s client.Status) bool { return s.State == client.StateError })
	if !strings.Contains(st.LastError, "full for this workstation") || !strings.Contains(st.LastError, "-device-quota") ||
		st.Pending != pending {
		t.Fatalf("status after a quota refusal %+v (pending before %d)", st, pending)
	}
}

func TestRunnerReportsARefusal(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	a := newStation(t)
	c := a.enroll(t, srv)
	if err := srv.Store.Revoke(ctx, string(c.DeviceID), time.Now()); err != nil {
		t.Fatal(err)
	}
	r := a.runner(t, quiet)
	r.Start()
	st := waitFor(t, r, "refusal", func(s client.Status) bool { return s.State == client.StateError })
	if !st.Online || !strings.Contains(st.LastError, "revoked") {
		t.Fatalf("status after a refusal %+v", st)
	}
	runs, err := a.ws.SyncRuns(ctx, time.Time{})
	if err != nil || len(runs) != 1 || !strings.Contains(runs[0].Error, "revoked") {
		t.Fatalf("runs %+v %v", runs, err)
	}
}

func TestRunnerCallbackNeverBlocksTheLoopAndStopLeavesNothing(t *testing.T) {
	srv := servertest.Start(t)
	a := newStation(t)
	a.enroll(t, srv)
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	cfg := quiet
	cfg.OnStatus = func(client.Status) {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-release
	}
	cfg.Identity, cfg.State, cfg.Store = a.ws, a.ws, a.store
	cfg.Logger = log.New(io.Discard, "", 0)
	r := client.NewRunner(cfg)
	r.Start()
	<-entered // the callback is now stuck
	waitFor(t, r, "a sync despite the stuck callback", func(s client.Status) bool { return s.State == client.StateIdle })
	a.register(t, "Novak")
	want := a.pending(t)
	r.Trigger()
	waitFor(t, r, "a triggered sync despite the stuck callback", func(s client.Status) bool { return s.LastReport.Sent == want })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := r.Stop(ctx); err == nil {
		t.Fatal("Stop returned while the status callback was still running")
	}
	close(release)
	if err := r.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1<<20)
	if stacks := string(buf[:runtime.Stack(buf, true)]); strings.Contains(stacks, "client.(*Runner)") {
		t.Fatalf("runner goroutines left after Stop:\n%s", stacks)
	}
}
