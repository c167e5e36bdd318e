package syncer_test

import (
	"context"
	"testing"

	"outpost/syncer"
	"outpost/syncserver/servertest"
)

// TestSyncProgress: sending progress grows batch by batch for a store that
// cannot count its outbox, and receiving progress follows the server's head,
// ending complete.
func TestSyncProgress(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	n := 2*syncer.PushBatch + 500
	a, ca := device(t, srv, n)
	b, cb := device(t, srv, 0)

	var sent []syncer.Progress
	if _, err := syncer.SyncOnceWith(ctx, a, ca, syncer.Options{Progress: func(p syncer.Progress) {
		if p.Phase == syncer.PhaseSending {
			sent = append(sent, p)
		}
	}}); err != nil {
		t.Fatal(err)
	}
	k := syncer.PushBatch
	want := []syncer.Progress{{"sending", 0, 0}, {"sending", k, k}, {"sending", 2 * k, 2 * k}, {"sending", n, n}}
	if len(sent) != len(want) {
		t.Fatalf("sending progress %+v, want %+v", sent, want)
	}
	for i := range want {
		if sent[i] != want[i] {
			t.Fatalf("sending progress %+v, want %+v", sent, want)
		}
	}

	var got []syncer.Progress
	r, err := syncer.SyncOnceWith(ctx, b, cb, syncer.Options{Progress: func(p syncer.Progress) { got = append(got, p) }})
	if err != nil || r.Received != n {
		t.Fatalf("B %+v, %v", r, err)
	}
	last := syncer.Progress{}
	for _, p := range got {
		if p.Phase == syncer.PhaseSending && p == (syncer.Progress{Phase: syncer.PhaseSending}) {
			continue // nothing to send
		}
		if p.Phase != syncer.PhaseReceiving || p.Total != 0 && (p.Total != n || p.Done < last.Done || p.Done > p.Total) {
			t.Fatalf("receiving progress %+v", got)
		}
		if p.Total != 0 {
			last = p
		}
	}
	if last != (syncer.Progress{Phase: syncer.PhaseReceiving, Done: n, Total: n}) {
		t.Fatalf("receiving progress %+v, want it to end at %d/%d", got, n, n)
	}
}
