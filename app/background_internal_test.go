package app

import (
	"context"
	"io"
	"log"
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

// Work the app starts in the background survives a panic: logged, or a
// failed count tried again. On those goroutines nothing else would
// recover it (the bound method that started the work has returned), and
// the app — here the test binary — would end; each test dies with the old
// `go …` calls.

// panickyCare is a care service whose practice read panics, as the engines
// (care.DueAll raises a worker's panic again in its caller) may.
type panickyCare struct{ chart.CareService }

func (panickyCare) PracticeCare(context.Context, string, func([]chart.CareChart) []chart.CareChart) ([]chart.CareChart, error) {
	panic("an engine no check foresaw")
}

func TestRecallCountPanicIsAFailedCount(t *testing.T) {
	c := &recallCounter{user: "u1", running: true}
	c.refresh(panickyCare{}, "u1")
	if c.running || c.n != 0 || !c.at.IsZero() {
		t.Fatalf("after a panicked count: running %v, n %d, at %v; want it to be tried again", c.running, c.n, c.at)
	}
}

// panickyBackups is a workstation whose backup status panics.
type panickyBackups struct {
	chart.Workstation
	BackupStore
}

func (panickyBackups) BackupStatus(context.Context) (chart.BackupStatus, error) {
	panic("a backup status no check foresaw")
}

// logLines hands each line logged to the test.
type logLines chan string

func (l logLines) Write(p []byte) (int, error) {
	l <- string(p)
	return len(p), nil
}

func TestBackgroundStatusPanicIsLogged(t *testing.T) {
	logged := make(logLines, 10)
	a := New(panickyBackups{}, Options{Logger: log.New(logged, "", 0)})
	a.Backups.saved(chart.BackupSettings{}, nil) // announces the status from a goroutine of its own
	select {
	case line := <-logged:
		if !strings.HasPrefix(line, "backup status: internal error: panic: a backup status no check foresaw") {
			t.Fatalf("logged %q; want what panicked", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no panic logged")
	}
}

// firstSignInPanics is a joined workstation whose first sign-in hands back
// a session that panics as it begins (its practice cannot be read).
type firstSignInPanics struct{ chart.Workstation }

type practicePanics struct{ chart.Session }

func (practicePanics) Practice() chart.Practice { panic("a practice no check foresaw") }
func (practicePanics) User() chart.User         { return chart.User{Username: "ada"} }
func (practicePanics) Lock(context.Context) error {
	return nil
}

func (firstSignInPanics) SignInChartFirst(context.Context, string, string, func(int, int)) (chart.Session, error) {
	return practicePanics{}, nil
}

// eventLines hands each event emitted to the test.
type eventLines chan []any

func (e eventLines) Emit(name string, data ...any) { e <- append([]any{name}, data...) }

// A panic as the first sign-in's session begins is that sign-in's error,
// sent to the window as its outcome. Before, it was only logged, and the
// window waited for an outcome that never came: the panic (in the idle
// limit's read of the practice) also left the app's lock held, so every
// later call would have waited too.
func TestFirstSignInBeginPanicIsItsOutcome(t *testing.T) {
	events := make(eventLines, 10)
	a := New(firstSignInPanics{}, Options{Logger: log.New(io.Discard, "", 0), Events: events})
	if err := a.Session.beginFirstSignIn("ada", "ada's long passphrase"); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case ev := <-events:
			p, ok := ev[1].(FirstSignInProgress)
			if ev[0] != EventFirstSignIn || !ok || !p.Finished {
				continue
			}
			if p.SignedIn != nil || !strings.Contains(p.Error.(string), "internal") {
				t.Fatalf("outcome %+v; want the panic as its error", p)
			}
			return
		case <-time.After(30 * time.Second):
			t.Fatal("the window was never told how the first sign-in ended")
		}
	}
}
