package sqlite

import (
	"context"
	"fmt"
	gosync "sync"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
)

func TestConcurrentWritersEachGetAVersionAndAClockTick(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.addUser(t, f.admin, "nia", chart.RoleNurse, "nurse passphrase 55")
	other := f.signIn(t, "nia", "nurse passphrase 55")
	shared := register(t, f.admin, samplePatient("Shared", "Record"))

	var wg gosync.WaitGroup
	errs := make(chan error, 64)
	for _, s := range []*Session{f.admin, other} {
		wg.Go(func() {
			for i := range 8 {
				if _, err := s.RegisterPatient(ctx, samplePatient("Many", fmt.Sprintf("Writer%d", i))); err != nil {
					errs <- err
				}
				// Both edit the same patient from the version they saw:
				// exactly one edit per version wins, the other conflicts.
				p, err := s.OpenPatient(ctx, shared.ID)
				if err != nil {
					errs <- err
					continue
				}
				p.Phone = fmt.Sprintf("555 01%02d 000", i)
				if _, err := s.UpdatePatient(ctx, p); err != nil && chart.ErrorCode(err) != chart.ECONFLICT {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent write: %v", err)
	}
	if n := countRows(t, f.w, "records"); n != 17 {
		t.Fatalf("%d records, want 17", n)
	}
	var distinctHLC, changes, distinctVersions, sharedChanges int
	f.w.db.QueryRow(`SELECT count(DISTINCT hlc), count(*) FROM changes`).Scan(&distinctHLC, &changes)
	if distinctHLC != changes {
		t.Fatalf("%d changes share %d HLC stamps", changes, distinctHLC)
	}
	f.w.db.QueryRow(`SELECT count(DISTINCT version), count(*) FROM changes WHERE record_id = ?`, shared.ID).
		Scan(&distinctVersions, &sharedChanges)
	if distinctVersions != sharedChanges {
		t.Fatalf("shared patient: %d changes but %d distinct versions (a lost update)", sharedChanges, distinctVersions)
	}
}

func TestClockSurvivesRestartWithWallClockBehind(t *testing.T) {
	f := newFixture(t)
	register(t, f.admin, samplePatient("Before", "Restart"))
	var before string
	f.w.db.QueryRow(`SELECT value FROM meta WHERE key = 'hlc'`).Scan(&before)
	f.w.Close()

	f.clock.Advance(-2 * time.Hour) // the machine's clock was set back
	w := openStore(t, f.path, f.clock)
	defer w.Close()
	s, err := w.SignIn(context.Background(), "ada", adminPass)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterPatient(context.Background(), samplePatient("After", "Restart")); err != nil {
		t.Fatal(err)
	}
	var after string
	w.db.QueryRow(`SELECT hlc FROM changes ORDER BY seq DESC LIMIT 1`).Scan(&after)
	b, _ := clock.ParseTimestamp(before)
	a, err := clock.ParseTimestamp(after)
	if err != nil || a.Compare(b) <= 0 {
		t.Fatalf("HLC after restart %q is not after %q (%v)", after, before, err)
	}
}
