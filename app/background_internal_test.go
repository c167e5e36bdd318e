package app

import (
	"context"
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
