package app

import (
	"bytes"
	"context"
	"log"
	"strings"
	gosync "sync"
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

// lockedBuffer is a log destination read while a goroutine writes it.
type lockedBuffer struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestBackgroundStatusPanicIsLogged(t *testing.T) {
	var logged lockedBuffer
	a := New(panickyBackups{}, Options{Logger: log.New(&logged, "", 0)})
	a.Backups.saved(chart.BackupSettings{}, nil) // announces the status from a goroutine of its own
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(logged.String(), "no check foresaw"); {
		if time.Now().After(deadline) {
			t.Fatalf("no panic logged; log: %q", logged.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(logged.String(), "backup status: internal error: panic") {
		t.Fatalf("log %q does not say what panicked", logged.String())
	}
}
