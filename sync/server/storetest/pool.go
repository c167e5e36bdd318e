package storetest

import (
	"context"
	"testing"
	"time"

	"outpost/sync/server"
	"outpost/sync/wire"
)

// Reads give their connection back: a device pulling and joining many
// more times than a process has PostgreSQL connections is never left
// waiting for one.
func testConnectionsReturned(t *testing.T, open Opener) {
	store := open(t)
	dev := string(enrollDirect(t, store))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := range 3 * server.MaxPostgresConns {
		if _, err := store.PullFor(ctx, dev, wire.PullRequest{Limit: 10}, server.MaxPullBytes); err != nil {
			t.Fatalf("pull %d: %v", i, err)
		}
		if _, err := store.JoinHeads(ctx, dev, wire.JoinHeadsRequest{Limit: 10}, server.MaxPullBytes); err != nil {
			t.Fatalf("join %d: %v", i, err)
		}
	}
}
