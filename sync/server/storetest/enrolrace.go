package storetest

import (
	"context"
	"errors"
	"net/http"
	gosync "sync"
	"testing"

	"outpost/chart"
	"outpost/sync/server"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// Workstations enrolling at once with `-practice new` codes that name the
// same practice id (and, once, a code for the server's first practice, not
// bound yet): one makes the practice, every other is refused as of
// another practice (a clear refusal, never a server error), and the
// refused codes stay usable. On PostgreSQL the losers used to meet the
// practice id's unique constraint and get a 500.
func testEnrolmentRace(t *testing.T, open Opener) {
	const rounds, racers = 8, 4
	ctx := context.Background()
	s := start(t, open, server.Options{})
	for round := range rounds {
		practice := chart.NewPracticeID()
		codes := make([]wire.EnrollmentCode, racers)
		for i := range codes {
			codes[i] = s.CodeFor(t, server.NewPractice)
		}
		if round == 0 { // the first practice, not bound yet, races them too
			codes[0] = s.Code(t)
		}
		errs := make([]error, racers)
		var wg gosync.WaitGroup
		for i, code := range codes {
			wg.Go(func() { _, errs[i] = servertestClient(code).EnrollWith(ctx, code, "Racer", practice) })
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case reason(err) != wire.ReasonWrongPractice:
				t.Fatalf("round %d, racer %d: %v, want success or %s", round, i, err, wire.ReasonWrongPractice)
			default: // a refused enrolment leaves its code usable
				fresh := chart.NewPracticeID()
				if _, err := servertestClient(codes[i]).EnrollWith(ctx, codes[i], "Again", fresh); err != nil {
					t.Fatalf("round %d: a refused racer's code no longer enrols: %v", round, err)
				}
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d enrolments made practice %s, want 1", round, won, practice)
		}
	}
}

// Workstations enrolling at once under one device id and key, or one key
// under new ids (a copied workstation, a retried enrolment racing its
// first try): one is enrolled and every other gets a clear refusal, never
// a server error. On PostgreSQL the others used to pass the check for a
// taken id or key together, meet the devices table's unique constraints
// and get a 500.
func testSameDeviceRace(t *testing.T, open Opener) {
	const rounds, racers = 8, 4
	ctx := context.Background()
	s := start(t, open, server.Options{})
	practice := chart.NewPracticeID()
	for round := range rounds {
		id, key := chart.NewDeviceID(), newKey()
		clients := make([]*transport.Client, racers)
		codes := make([]wire.EnrollmentCode, racers)
		for i := range clients {
			codes[i] = s.Code(t)
			if round%2 == 1 { // the same key under new ids
				id = chart.NewDeviceID()
			}
			clients[i] = transport.NewClient(codes[i], id, key)
		}
		errs := make([]error, racers)
		var wg gosync.WaitGroup
		for i, c := range clients {
			wg.Go(func() { _, errs[i] = c.EnrollWith(ctx, codes[i], "Copy", practice) })
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			var e *transport.Error
			switch {
			case err == nil:
				won++
			case !errors.As(err, &e) || e.Status != http.StatusConflict && e.Reason != wire.ReasonKeyInUse:
				t.Fatalf("round %d, racer %d: %v, want success, the id taken (409) or %s", round, i, err, wire.ReasonKeyInUse)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d enrolments of one workstation succeeded, want 1", round, won)
		}
	}
}
