package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
)

// practicePair is two workstations of one practice on one server.
func practicePair(t *testing.T) (a, b syncingWorkstation) {
	t.Helper()
	server := newPracticeServer(t)
	fa := newFixture(t)
	a = syncingWorkstation{fa, server.enroll(t, fa.admin)}
	fb := joinPractice(t, fa)
	b = syncingWorkstation{fb, server.enroll(t, fb.admin)}
	return a, b
}

func syncBoth(t *testing.T, a, b syncingWorkstation) {
	t.Helper()
	a.sync(t)
	b.sync(t)
	a.sync(t)
}

func signInFails(t *testing.T, f *fixture, user, pass, code, message string) {
	t.Helper()
	_, err := f.w.SignIn(context.Background(), user, pass)
	if de := wantErr(t, err, code, ""); message != "" && de.Message != message {
		t.Fatalf("SignIn(%s) message %q, want %q", user, de.Message, message)
	}
}

// TestUsersSync: a user added on A signs in on B after a sync; a
// passphrase change on A makes the new one work on B and the old one
// fail; a deactivation on A is refused on B.
func TestUsersSync(t *testing.T) {
	ctx := context.Background()
	a, b := practicePair(t)
	nell := a.addUser(t, a.admin, "nell", chart.RoleNurse, "nurse passphrase 1")
	syncBoth(t, a, b)
	b.signIn(t, "nell", "nurse passphrase 1")

	if err := a.admin.ResetPassphrase(ctx, nell.ID, "nurse passphrase 2"); err != nil {
		t.Fatal(err)
	}
	syncBoth(t, a, b)
	signInFails(t, b.fixture, "nell", "nurse passphrase 1", chart.EUNAUTHORIZED, "That passphrase is not right. Check Caps Lock and try again.")
	sn := b.signIn(t, "nell", "nurse passphrase 2")

	// Her own change on B reaches A.
	if err := sn.ChangeOwnPassphrase(ctx, "nurse passphrase 2", "nurse passphrase 3"); err != nil {
		t.Fatal(err)
	}
	syncBoth(t, a, b)
	signInFails(t, a.fixture, "nell", "nurse passphrase 2", chart.EUNAUTHORIZED, "")
	a.signIn(t, "nell", "nurse passphrase 3")

	if _, err := a.admin.SetUserActive(ctx, nell.ID, false); err != nil {
		t.Fatal(err)
	}
	syncBoth(t, a, b)
	signInFails(t, b.fixture, "nell", "nurse passphrase 3", chart.EUNAUTHORIZED, "This account is deactivated; ask your practice administrator.")
	users := must(b.admin.Users(ctx))(t)
	if len(users) != 2 {
		t.Fatalf("B users = %+v, want ada and nell", users)
	}
	for _, u := range users {
		if u.ID == nell.ID && (u.Active || u.FullName != "Staff nell" || u.Role != chart.RoleNurse) {
			t.Fatalf("B's nell = %+v", u)
		}
	}
}

// TestPracticeSettingsSync: settings changed on A show on B, in the
// session already open there; concurrent changes converge.
func TestPracticeSettingsSync(t *testing.T) {
	ctx := context.Background()
	a, b := practicePair(t)
	must(a.admin.SetIdleLockMinutes(ctx, 25))(t)
	must(a.admin.SetSyncWarnDays(ctx, 7))(t)
	must(a.admin.SetPracticeUnits(ctx, chart.PracticeUnits{Weight: chart.UnitPound, Height: chart.UnitInch,
		Temperature: chart.UnitFahrenheit}))(t)
	syncBoth(t, a, b)
	if p := b.admin.Practice(); p.IdleLockMinutes != 25 || p.SyncWarnDays != 7 || p.Name != "Outpost Valley Clinic" {
		t.Fatalf("B's open session shows %+v, want idle 25, warn 7", p)
	}
	if u := must(b.admin.PracticeUnits(ctx))(t); u.Weight != chart.UnitPound || u.Temperature != chart.UnitFahrenheit {
		t.Fatalf("B units = %+v", u)
	}
	if p := b.signIn(t, "ada", adminPass).Practice(); p.IdleLockMinutes != 25 || p.SyncWarnDays != 7 {
		t.Fatalf("B after signing in again: %+v", p)
	}

	// Both change the idle lock offline: one value wins on both.
	must(a.admin.SetIdleLockMinutes(ctx, 20))(t)
	must(b.admin.SetIdleLockMinutes(ctx, 30))(t)
	syncBoth(t, a, b)
	pa, pb := a.admin.Practice(), b.admin.Practice()
	if pa.IdleLockMinutes != pb.IdleLockMinutes || pa.IdleLockMinutes != 20 && pa.IdleLockMinutes != 30 {
		t.Fatalf("idle lock A %d B %d: did not converge", pa.IdleLockMinutes, pb.IdleLockMinutes)
	}

	_, err := a.admin.SetSyncWarnDays(ctx, chart.MaxSyncWarnDays+1)
	wantErr(t, err, chart.EINVALID, "syncWarnDays")
	nurse := a.addUser(t, a.admin, "nell", chart.RoleNurse, "nurse passphrase 1")
	_, err = a.signIn(t, nurse.Username, "nurse passphrase 1").SetSyncWarnDays(ctx, 5)
	wantErr(t, err, chart.EFORBIDDEN, "")
	wantAuditDetailAny(t, a.admin, "sync warning set to 7 days")
}

func wantAuditDetailAny(t *testing.T, s *Session, detail string) {
	t.Helper()
	entries := must(s.Audit(context.Background(), chart.AuditFilter{Action: chart.AuditPracticeSetting}))(t)
	for _, e := range entries {
		if e.Detail == detail {
			return
		}
	}
	t.Fatalf("no audit entry %q", detail)
}

// TestUsernameClash: two workstations offline each add "sam"; both users
// are kept, the later one is sam-2 on both, and each signs in with their
// own passphrase.
func TestUsernameClash(t *testing.T) {
	ctx := context.Background()
	a, b := practicePair(t)
	first := a.addUser(t, a.admin, "sam", chart.RoleNurse, "first sam passphrase")
	b.clock.Advance(1e9) // B's sam is made later
	second := b.addUser(t, b.admin, "sam", chart.RoleClinician, "second sam passphrase")
	syncBoth(t, a, b)
	for who, f := range map[string]*fixture{"A": a.fixture, "B": b.fixture} {
		users := must(f.admin.Users(ctx))(t)
		names := map[chart.UserID]string{}
		for _, u := range users {
			names[u.ID] = u.Username
		}
		if names[first.ID] != "sam" || names[second.ID] != "sam-2" {
			t.Fatalf("%s usernames %v; want the earlier sam kept and the later sam-2", who, names)
		}
		f.signIn(t, "sam", "first sam passphrase")
		f.signIn(t, "sam-2", "second sam passphrase")
	}
	// A later change of the renamed user keeps its practice-wide name.
	if err := a.admin.ResetPassphrase(ctx, second.ID, "second sam passphrase 2"); err != nil {
		t.Fatal(err)
	}
	syncBoth(t, a, b)
	b.signIn(t, "sam-2", "second sam passphrase 2")
}

// TestBackfillPracticeWide: a workstation made before users and settings
// synced writes them to the change log at the next sign-in, once.
func TestBackfillPracticeWide(t *testing.T) {
	f := newFixture(t)
	f.addUser(t, f.admin, "nell", chart.RoleNurse, "nurse passphrase 1")
	if _, err := f.w.db.Exec(`DELETE FROM changes WHERE kind IN ('user', 'practice')`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.w.db.Exec(`DELETE FROM meta WHERE key = ?`, metaBackfilled); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := f.w.db.QueryRow(`SELECT count(*) FROM changes WHERE kind IN ('user', 'practice')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.signIn(t, "nell", "nurse passphrase 1")
	if n := count(); n != 3 {
		t.Fatalf("backfill wrote %d changes, want 3 (practice, ada, nell)", n)
	}
	f.signIn(t, "ada", adminPass)
	if n := count(); n != 3 {
		t.Fatalf("second sign-in wrote more: %d", n)
	}
	// What it wrote is a practice another workstation can join.
	g := joinPractice(t, f)
	if g.admin.Practice().Name != "Outpost Valley Clinic" {
		t.Fatalf("joined practice = %+v", g.admin.Practice())
	}
	g.signIn(t, "nell", "nurse passphrase 1")
}
