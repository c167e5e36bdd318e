package server_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"testing"
	"time"

	"outpost/sync/server"
	"outpost/sync/transport"
)

// While the memory for request bodies is taken, a request waits briefly,
// then is refused as busy with Retry-After (the workstation retries later
// and tells nobody to act); once the memory is free, requests pass again.
func TestRequestsBeyondTheBodyMemoryAreRefusedAsBusy(t *testing.T) {
	f := newFixtureWith(t, server.Options{BodyMemory: 3 << 20, BusyWait: 300 * time.Millisecond})
	c := f.enroll(t)
	ctx := context.Background()
	if _, err := c.Pull(ctx, 0, 10, nil); err != nil {
		t.Fatal(err)
	}
	// A push announcing 1 MiB (all of the 1 MiB body budget) that never
	// sends it: the budget stays taken until the connection closes.
	conn, err := tls.Dial("tcp", f.ts.Listener.Addr().String(), &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nOutpost-Protocol: 1\r\nOutpost-Device: %s\r\nContent-Length: %d\r\n\r\n0123",
		c.DeviceID, 1<<20)
	time.Sleep(200 * time.Millisecond) // the server has reserved and is reading

	_, err = c.Pull(ctx, 0, 10, nil)
	var he *transport.Error
	if !errors.As(err, &he) || !he.Busy || !he.Temporary || he.Status != 503 || he.RetryAfter != 2*time.Second {
		t.Fatalf("pull while the body memory is taken: got %#v, want busy with Retry-After 2s", err)
	}
	conn.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := c.Pull(ctx, 0, 10, nil)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the budget was not released when the slow request went away: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
