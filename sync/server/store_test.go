package server_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/server"
	"outpost/sync/server/storetest"
	"outpost/sync/wire"
)

// An enrolment code is refused from the instant it expires, even when the
// expiry and the attempt differ only in their fractional seconds.
func TestEnrollmentCodeExpiresToTheNanosecond(t *testing.T) {
	ctx := context.Background()
	store, err := server.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	expires := time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)
	tok, err := store.NewEnrollmentToken(ctx, expires)
	if err != nil {
		t.Fatal(err)
	}
	code := wire.EnrollmentCode{Token: tok}
	req := wire.EnrollRequest{Code: code.TokenString(), DeviceID: chart.NewDeviceID(), DeviceName: "A", PublicKey: make([]byte, 32),
		PracticeID: chart.NewPracticeID()}
	if _, err := store.Enroll(ctx, req, expires.Add(500*time.Millisecond)); err != server.ErrBadCode {
		t.Fatalf("half a second after expiry: %v", err)
	}
	if _, err := store.Enroll(ctx, req, expires.Add(-time.Nanosecond)); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
}

// The server id is made once; the practice id is the one the first
// enrolment bound, and both survive a reopen.
func TestStoreSurvivesReopenWithItsIdentity(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	a, err := server.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p0, s1, err := a.Identity(ctx)
	if err != nil || p0 != "" || !chart.ValidID(s1) {
		t.Fatalf("new store identity = %q/%q, %v; want unbound with a server id", p0, s1, err)
	}
	practice := chart.NewPracticeID()
	tok, err := a.NewEnrollmentToken(ctx, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	req := wire.EnrollRequest{Code: wire.EnrollmentCode{Token: tok}.TokenString(), DeviceID: chart.NewDeviceID(),
		DeviceName: "A", PublicKey: make([]byte, 32), PracticeID: practice}
	if _, err := a.Enroll(ctx, req, time.Now()); err != nil {
		t.Fatal(err)
	}
	a.Close()
	b, err := server.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p2, s2, _ := b.Identity(ctx)
	if p2 != string(practice) || s1 != s2 {
		t.Fatalf("identity across reopen: %s/%s, want %s/%s", p2, s2, practice, s1)
	}
}

// A store made before practice binding minted a practice id no workstation
// knows; the upgrade drops it while no workstation is enrolled, and keeps
// it once one is (the devices enrolled under it must keep working).
func TestUpgradeUnbindsAStoreNoWorkstationUsed(t *testing.T) {
	ctx := context.Background()
	for _, enrolled := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "s.db")
		s, err := server.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		// The schema before 0002 as far as it matters here, and before
		// 0011 (practices), which carries the practice id over.
		old := `INSERT INTO meta (key, value) VALUES ('practice_id', '01a20000-0000-7000-8000-000000000001');
			DELETE FROM schema_migrations WHERE version IN ('0002_unbound_practice', '0011_practices');
			DROP INDEX devices_by_practice; ALTER TABLE devices DROP COLUMN practice;
			ALTER TABLE enrol_codes DROP COLUMN practice; DROP TABLE practices;`
		if enrolled {
			old += `INSERT INTO devices (id, name, public_key, enrolled_at) VALUES ('01a20000-0000-7000-8000-000000000002', 'A', x'00', '2026-01-01T00:00:00.000000000Z');`
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(old); err != nil {
			t.Fatal(err)
		}
		db.Close()
		s, err = server.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := s.Identity(ctx)
		s.Close()
		if want := map[bool]string{false: "", true: "01a20000-0000-7000-8000-000000000001"}[enrolled]; err != nil || p != want {
			t.Fatalf("enrolled=%v: practice after upgrade %q (%v), want %q", enrolled, p, err, want)
		}
	}
}

// A filtered pull that reaches the end moves its cursor to the head, even
// when none of the changes it skipped were for its patients: a nurse's
// route device does not re-scan the whole practice on every sync.
func TestFilteredPullMovesPastOtherPatients(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := f.enroll(t)
	other, mine := chart.NewPatientID(), chart.NewPatientID()
	if _, err := c.Push(ctx, storetest.Changes(c.DeviceID, 5, other, 64)); err != nil {
		t.Fatal(err)
	}
	page, err := c.Pull(ctx, 0, 100, []chart.PatientID{mine})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != 0 || page.More || page.Next != 5 || page.Head != 5 {
		t.Fatalf("filtered pull = %d changes, next %d, head %d, more %v; want none, next 5, head 5",
			len(page.Changes), page.Next, page.Head, page.More)
	}
	if _, err := c.Push(ctx, storetest.Changes(c.DeviceID, 2, mine, 64)); err != nil {
		t.Fatal(err)
	}
	page, err = c.Pull(ctx, 5, 100, []chart.PatientID{mine})
	if err != nil || len(page.Changes) != 2 || page.Next != 7 {
		t.Fatalf("next filtered pull = %d changes, next %d, %v; want 2, next 7", len(page.Changes), page.Next, err)
	}
}

// A device's pull leaves out its own changes (it holds them), unless it
// asks for them; another device gets everything.
func TestPullLeavesOutTheDevicesOwnChanges(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a, b := f.enroll(t), f.enroll(t)
	if _, err := a.Push(ctx, storetest.Changes(a.DeviceID, 4, chart.NewPatientID(), 64)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Push(ctx, storetest.Changes(b.DeviceID, 2, chart.NewPatientID(), 64)); err != nil {
		t.Fatal(err)
	}
	a.IncludeOwn = false
	page, err := a.Pull(ctx, 0, 100, nil)
	if err != nil || len(page.Changes) != 2 || page.Next != 6 || page.More {
		t.Fatalf("A's pull = %d changes, next %d, more %v, %v; want B's 2 and next 6", len(page.Changes), page.Next, page.More, err)
	}
	for _, c := range page.Changes {
		if c.DeviceID == a.DeviceID {
			t.Fatalf("A got its own change %s back", c.ChangeID)
		}
	}
	a.IncludeOwn = true
	if page, err = a.Pull(ctx, 0, 100, nil); err != nil || len(page.Changes) != 6 {
		t.Fatalf("A's pull with its own = %d changes, %v; want 6", len(page.Changes), err)
	}
}
