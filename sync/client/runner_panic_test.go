package client_test

import (
	"context"
	"io"
	"log"
	"strings"
	"sync/atomic"
	"testing"

	"outpost/sync/client"
	"outpost/sync/server/servertest"
)

// A panic in a sync (here the store's, as an apply no check foresaw would
// raise) is a failed sync, shown and tried again; a panic in the status
// callback is logged. On the runner's goroutines nothing else would
// recover them, and the app (the test binary) would end.
func TestRunnerPanicIsAFailedSyncTriedAgain(t *testing.T) {
	srv := servertest.Start(t)
	a := newStation(t)
	a.register(t, "Okafor")
	a.enroll(t, srv)
	var syncs, callbacks atomic.Int64
	cfg := quiet
	cfg.Identity, cfg.State, cfg.Logger = a.ws, a.ws, log.New(io.Discard, "", 0)
	cfg.Store = func() client.Store {
		if syncs.Add(1) == 1 {
			panic("a store no check foresaw")
		}
		return a.store()
	}
	cfg.OnStatus = func(client.Status) {
		callbacks.Add(1)
		panic("a status callback no check foresaw")
	}
	r := client.NewRunner(cfg)
	t.Cleanup(func() {
		if err := r.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	r.Start()
	st := waitFor(t, r, "a failed sync", func(s client.Status) bool { return s.State == client.StateError })
	if !strings.Contains(st.LastError, "try again") || st.Running() {
		t.Fatalf("status after the panic %+v; want the generic failure", st)
	}
	r.Trigger()
	waitFor(t, r, "the sync tried again", func(s client.Status) bool { return s.State == client.StateIdle && s.Pending == 0 })
	if callbacks.Load() == 0 {
		t.Fatal("the status callback never ran")
	}
}
