package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
)

// TestCloseWaitsForTheFrontendToLock: closing with someone signed in keeps
// the window open and asks the frontend to save and lock; the window closes
// once it has locked, and then lets the close through.
func TestCloseWaitsForTheFrontendToLock(t *testing.T) {
	a, rec, quit := closingApp(t, time.Minute)
	if !a.BeforeClose(context.Background()) {
		t.Fatal("the window closed before the frontend locked")
	}
	if ev := rec.list(); len(ev) != 1 || !strings.HasPrefix(ev[0], app.EventClosing) {
		t.Fatalf("events = %v, want one %s", ev, app.EventClosing)
	}
	// The frontend's answer: its last draft save, then the lock.
	if _, err := a.Patients.Register(chart.Patient{GivenName: "Mara", FamilyName: "Lindqvist", BirthDate: "1961-04-09",
		Sex: chart.SexFemale}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-quit:
		t.Fatal("the window closed before the lock")
	case <-time.After(50 * time.Millisecond):
	}
	if err := a.Session.Lock(); err != nil {
		t.Fatal(err)
	}
	wantClosed(t, a, quit, "after the lock")
}

// TestCloseDoesNotWaitForeverForTheFrontend: a frontend that never locks
// does not keep the window open.
func TestCloseDoesNotWaitForeverForTheFrontend(t *testing.T) {
	a, _, quit := closingApp(t, 50*time.Millisecond)
	wantClosed(t, a, quit, "after the grace period")
}

// wantClosed waits for the window to be closed, and for the close that
// follows (Wails asks BeforeClose again) to go through.
func wantClosed(t *testing.T, a *app.App, quit chan struct{}, when string) {
	t.Helper()
	select {
	case <-quit:
	case <-time.After(10 * time.Second):
		t.Fatalf("the window did not close %s", when)
	}
	if a.BeforeClose(context.Background()) {
		t.Fatalf("the close %s was held up", when)
	}
}

// closingApp is an app whose window was just asked to close with the
// practice's administrator signed in (nobody signed in closes at once).
func closingApp(t *testing.T, grace time.Duration) (*app.App, *recorder, chan struct{}) {
	t.Helper()
	rec := &recorder{}
	quit := make(chan struct{}, 2)
	a := newApp(t, app.Options{Events: rec, Quit: func() { quit <- struct{}{} }, CloseGrace: grace})
	a.Startup(context.Background())
	if a.BeforeClose(context.Background()) {
		t.Fatal("closing with nobody signed in was held up")
	}
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	if !a.BeforeClose(context.Background()) {
		t.Fatal("closing with someone signed in did not ask the frontend first")
	}
	return a, rec, quit
}

// TestLockDoesNotRaceSavesInFlight: saves running while the session locks
// either finish and are kept, or are refused as locked; none is reported
// saved and then missing, none fails otherwise.
func TestLockDoesNotRaceSavesInFlight(t *testing.T) {
	a := newApp(t, app.Options{Events: &recorder{}})
	a.Startup(context.Background())
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	const n = 24
	var wg sync.WaitGroup
	saved := make([]chart.PatientID, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := a.Patients.Register(chart.Patient{GivenName: "Mara", FamilyName: fmt.Sprintf("Racer%02d", i),
				BirthDate: "1961-04-09", Sex: chart.SexFemale})
			saved[i], errs[i] = p.ID, err
		}()
		if i == n/2 {
			if err := a.Session.Lock(); err != nil {
				t.Fatal(err)
			}
		}
	}
	wg.Wait()
	if _, err := a.Session.SignIn("ada", "ada's long passphrase"); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		switch {
		case errs[i] == nil:
			if got, err := a.Patients.Open(string(saved[i])); err != nil || got.FamilyName != fmt.Sprintf("Racer%02d", i) {
				t.Fatalf("save %d was reported saved but reads back as %+v, %v", i, got, err)
			}
		case code(errs[i]) != chart.ELOCKED:
			t.Fatalf("save %d failed with %v, want saved or locked", i, errs[i])
		}
	}
}
