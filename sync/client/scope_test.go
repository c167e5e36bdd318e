package client_test

import (
	"context"
	"testing"

	"outpost/sync/client"
	"outpost/sync/server/servertest"
)

// TestSyncProgress: sending progress grows batch by batch for a store that
// cannot count its outbox, and receiving progress follows the server's head,
// ending complete.
func TestSyncProgress(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	n := 2*client.PushBatch + 500
	a, ca := device(t, srv, n)
	b, cb := device(t, srv, 0)

	var sent []client.Progress
	if _, err := client.SyncOnceWith(ctx, a, ca, client.Options{Progress: func(p client.Progress) {
		if p.Phase == client.PhaseSending {
			sent = append(sent, p)
		}
	}}); err != nil {
		t.Fatal(err)
	}
	k := client.PushBatch
	want := []client.Progress{{"sending", 0, 0}, {"sending", k, k}, {"sending", 2 * k, 2 * k}, {"sending", n, n}}
	if len(sent) != len(want) {
		t.Fatalf("sending progress %+v, want %+v", sent, want)
	}
	for i := range want {
		if sent[i] != want[i] {
			t.Fatalf("sending progress %+v, want %+v", sent, want)
		}
	}

	var got []client.Progress
	r, err := client.SyncOnceWith(ctx, b, cb, client.Options{Progress: func(p client.Progress) { got = append(got, p) }})
	if err != nil || r.Received != n {
		t.Fatalf("B %+v, %v", r, err)
	}
	last := client.Progress{}
	for _, p := range got {
		if p.Phase == client.PhaseSending && p == (client.Progress{Phase: client.PhaseSending}) {
			continue // nothing to send
		}
		if p.Phase != client.PhaseReceiving || p.Total != 0 && (p.Total != n || p.Done < last.Done || p.Done > p.Total) {
			t.Fatalf("receiving progress %+v", got)
		}
		if p.Total != 0 {
			last = p
		}
	}
	if last != (client.Progress{Phase: client.PhaseReceiving, Done: n, Total: n}) {
		t.Fatalf("receiving progress %+v, want it to end at %d/%d", got, n, n)
	}
}
