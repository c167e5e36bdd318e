package server_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server"
	"outpost/sync/wire"
)

// newLedger starts the request ledger of a server process started at start
// over f's store.
func newLedger(t *testing.T, f *fixture, start time.Time) *server.MemoryLedger {
	t.Helper()
	l, err := server.NewMemoryLedger(context.Background(), f.store, start)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestNoncesAreRefusedThenForgotten(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Now()
	l := newLedger(t, f, start)
	dev := string(chart.NewDeviceID())
	at := start.Add(server.RestartMargin)
	if err := l.Admit(ctx, dev, "n1", at, at); err != nil {
		t.Fatal(err)
	}
	if err := l.Admit(ctx, dev, "n1", at, at.Add(9*time.Minute)); !errors.Is(err, server.ErrReplay) {
		t.Fatalf("a nonce seen 9 minutes ago: got %v, want a replay", err)
	}
	if err := l.Admit(ctx, string(chart.NewDeviceID()), "n1", at, at); err != nil {
		t.Fatalf("another device's equal nonce: %v", err)
	}
	if err := l.Admit(ctx, dev, "n2", at.Add(-time.Millisecond), at); !errors.Is(err, server.ErrRestarted) {
		t.Fatalf("a request signed before the ledger started: got %v", err)
	}
	// Two windows later every generation has turned over.
	later := at.Add(wire.ReplayWindow + time.Second)
	l.Admit(ctx, dev, "n3", later, later)
	latest := later.Add(wire.ReplayWindow + time.Second)
	if err := l.Admit(ctx, dev, "n1", latest, latest); err != nil {
		t.Fatalf("an expired nonce should be forgotten: %v", err)
	}
}

// A request stamped ahead of the server's clock stays refused after a
// restart (a new ledger over the same store), while its timestamp is
// still acceptable.
func TestNoncesAheadOfTheClockSurviveARestart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Now()
	before := newLedger(t, f, start)
	dev := string(chart.NewDeviceID())
	now := start.Add(time.Minute)
	ahead := now.Add(3 * time.Minute) // a workstation clock 3 minutes fast
	if err := before.Admit(ctx, dev, "fast", ahead, now); err != nil {
		t.Fatal(err)
	}
	if err := before.Admit(ctx, dev, "right", now, now); err != nil {
		t.Fatal(err)
	}
	restart := now.Add(time.Second)
	after := newLedger(t, f, restart)
	replayAt := restart.Add(time.Minute)
	if err := after.Admit(ctx, dev, "fast", ahead, replayAt); !errors.Is(err, server.ErrReplay) {
		t.Fatalf("the fast clock's request replayed after a restart: got %v, want a replay", err)
	}
	if err := after.Admit(ctx, dev, "right", now, replayAt); !errors.Is(err, server.ErrRestarted) {
		t.Fatalf("the request signed before the restart: got %v, want refused as signed before the restart", err)
	}
}

// After a clean stop, a request stamped slightly ahead of the clock (not
// kept when admitted) is kept by Close, and the next process refuses
// nothing else.
func TestNoncesSurviveACleanStop(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Now()
	before := newLedger(t, f, start)
	dev := string(chart.NewDeviceID())
	now := time.Now()
	ahead := now.Add(time.Second + server.RestartMargin/2)
	if err := before.Admit(ctx, dev, "fast", ahead, now); err != nil {
		t.Fatal(err)
	}
	if err := before.Close(ctx); err != nil {
		t.Fatal(err)
	}
	restart := time.Now()
	after := newLedger(t, f, restart)
	if err := after.Admit(ctx, dev, "fast", ahead, restart); !errors.Is(err, server.ErrReplay) {
		t.Fatalf("the fast clock's request replayed after a clean restart: got %v, want a replay", err)
	}
	if err := after.Admit(ctx, dev, "new", restart, restart); err != nil {
		t.Fatalf("a request signed at the clean restart: %v", err)
	}
}
