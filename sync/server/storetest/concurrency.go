package storetest

import (
	"context"
	"crypto/ed25519"
	"fmt"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server"
	"outpost/sync/wire"
)

// Concurrent pushers and pullers of one practice: every puller sees every
// change exactly once, in seq order. On PostgreSQL, seqs from a sequence
// would become visible out of commit order and a puller past seq n+1 would
// never see n; the practice's counter row, locked until commit, prevents
// that.
func testConcurrentPushersAndPullers(t *testing.T, open Opener) {
	const pushers, batches, perBatch, pullers = 4, 15, 3, 3
	ctx := context.Background()
	store := open(t)
	devices := make([]chart.DeviceID, pushers)
	for i := range devices {
		devices[i] = enrollDirect(t, store)
	}
	var pushing atomic.Int32
	pushing.Store(pushers)
	errs := make(chan error, pushers+pullers)
	var wg gosync.WaitGroup
	for _, dev := range devices {
		wg.Go(func() {
			defer pushing.Add(-1)
			for range batches {
				if _, err := store.Push(ctx, string(dev), Changes(dev, perBatch, "", 16), time.Now(), 0); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	seen := make([][]wire.Change, pullers)
	for p := range pullers {
		wg.Go(func() { seen[p], _ = pullUntilDone(ctx, store, &pushing, pushers*batches*perBatch, errs) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for p, got := range seen {
		if err := exactlyOnce(got, pushers*batches*perBatch); err != nil {
			t.Errorf("puller %d: %v", p, err)
		}
	}
}

// pullUntilDone pulls small pages while the pushers run, until it holds
// want changes after they stopped.
func pullUntilDone(ctx context.Context, store *server.Store, pushing *atomic.Int32, want int, errs chan<- error) ([]wire.Change, error) {
	var got []wire.Change
	after := int64(0)
	for {
		done := pushing.Load() == 0
		resp, err := store.PullFor(ctx, "", wire.PullRequest{After: after, Limit: 5}, server.MaxPullBytes)
		if err != nil {
			errs <- err
			return got, err
		}
		got = append(got, resp.Changes...)
		after = resp.Next
		if done && !resp.More {
			return got, nil
		}
	}
}

// exactlyOnce checks that got holds want distinct changes and no repeat.
func exactlyOnce(got []wire.Change, want int) error {
	ids := map[chart.ChangeID]bool{}
	for _, c := range got {
		if ids[c.ChangeID] {
			return fmt.Errorf("change %s pulled twice", c.ChangeID)
		}
		ids[c.ChangeID] = true
	}
	if len(ids) != want {
		return fmt.Errorf("pulled %d changes, want %d (some were skipped)", len(ids), want)
	}
	return nil
}

// enrollDirect enrols a device in the store's default practice.
func enrollDirect(t testing.TB, store *server.Store) chart.DeviceID {
	t.Helper()
	return enrollIn(t, store, "", "01a20000-0000-7000-8000-00000000000a")
}

// enrollNew enrols a device that makes a new practice.
func enrollNew(t testing.TB, store *server.Store) chart.DeviceID {
	t.Helper()
	return enrollIn(t, store, server.NewPractice, chart.NewPracticeID())
}

// enrollIn enrols a device of practice with a code for codePractice (see
// NewEnrollmentTokenFor).
func enrollIn(t testing.TB, store *server.Store, codePractice string, practice chart.PracticeID) chart.DeviceID {
	t.Helper()
	ctx := context.Background()
	tok, err := store.NewEnrollmentTokenFor(ctx, codePractice, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	code := wire.EnrollmentCode{Token: tok}
	dev := chart.NewDeviceID()
	req := wire.EnrollRequest{Code: code.TokenString(), DeviceID: dev, DeviceName: "pusher",
		PublicKey: []byte(newKey().Public().(ed25519.PublicKey)), PracticeID: practice}
	if _, err := store.Enroll(ctx, req, time.Now()); err != nil {
		t.Fatal(err)
	}
	return dev
}
