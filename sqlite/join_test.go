package sqlite

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// joinThroughServer enrols a fresh workstation with the server, as the
// app does: the server names the practice, BeginJoin takes it, and every
// page the server holds is stored by ApplyJoinPull (in small pages, so
// the cursor moves several times). It returns the fixture (nobody signed
// in) and its client.
func joinThroughServer(t *testing.T, ps *practiceServer) (*fixture, *transport.Client) {
	t.Helper()
	ctx := context.Background()
	b, c := beginJoin(t, ps)
	var cursor int64
	for {
		page, err := c.Pull(ctx, cursor, 2, nil)
		if err != nil {
			t.Fatalf("pull: %v", err)
		}
		if _, err := b.w.ApplyJoinPull(ctx, page.Changes, page.Next); err != nil {
			t.Fatalf("ApplyJoinPull: %v", err)
		}
		// A page stored twice (a retry after a lost reply) changes nothing.
		if n, err := b.w.ApplyJoinPull(ctx, page.Changes, page.Next); err != nil || n != 0 {
			t.Fatalf("ApplyJoinPull again = %d, %v; want 0 new", n, err)
		}
		cursor = page.Next
		if !page.More {
			return b, c
		}
	}
}

// beginJoin opens a fresh workstation, enrols it with the practice server
// and begins its join: nothing is pulled yet.
func beginJoin(t *testing.T, ps *practiceServer) (*fixture, *transport.Client) {
	t.Helper()
	b := &fixture{dir: t.TempDir(), clock: newTestClock()}
	b.path = filepath.Join(b.dir, "outpost", "chart.db")
	b.w = openStore(t, b.path, b.clock)
	t.Cleanup(func() { b.w.Close() })
	dev := chart.NewDeviceID()
	c, practice := ps.enrollDevice(t, dev, "Second workstation", "")
	if err := b.w.BeginJoin(context.Background(), practice, dev); err != nil {
		t.Fatalf("BeginJoin: %v", err)
	}
	return b, c
}

// TestJoinThroughServer: a fresh workstation joins through the practice
// server and A's administrator signs in there, offline, with the same
// passphrase; the key is A's (no new practice key) and nothing on the
// wire or the server names a user or the practice in clear.
func TestJoinThroughServer(t *testing.T) {
	ctx := context.Background()
	server := newPracticeServer(t)
	fa := newFixture(t)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	fa.addUser(t, fa.admin, "quillfeather", chart.RoleNurse, "nurse passphrase 1")
	pat := register(t, fa.admin, samplePatient("Wilhelmina", "Zabriskie"))
	wantNoWireNames(t, fa.admin, "quillfeather", "Staff quillfeather", "Ada Administrator", "Outpost Valley Clinic")
	a.sync(t)

	fb, _ := joinThroughServer(t, server)
	st, err := fb.w.Status(ctx)
	if err != nil || !st.HasPractice || !st.NeedsFirstSignIn || st.PracticeName != "" {
		t.Fatalf("joined status = %+v, %v; want a practice needing a first sign-in, name unknown", st, err)
	}
	if cur := must(fb.w.SyncPullCursor(ctx))(t); cur == 0 {
		t.Fatal("join pull did not move the pull cursor")
	}

	// Wrong passphrase and unknown user: one message, no hint which.
	_, errWrong := fb.w.SignIn(ctx, "ada", "not the passphrase at all")
	_, errUnknown := fb.w.SignIn(ctx, "nobody", "not the passphrase at all")
	dw, du := wantErr(t, errWrong, chart.EUNAUTHORIZED, "passphrase"), wantErr(t, errUnknown, chart.EUNAUTHORIZED, "passphrase")
	if dw.Message != du.Message {
		t.Fatalf("wrong passphrase says %q, unknown user %q: must not differ", dw.Message, du.Message)
	}
	if n := countRows(t, fb.w, "users"); n != 0 {
		t.Fatalf("failed sign-ins materialised %d users", n)
	}

	fb.admin = fb.signIn(t, "ada", adminPass)
	if !fb.admin.key.Root().Equal(fa.admin.key.Root()) {
		t.Fatal("joining made a new practice key")
	}
	hits, err := fb.admin.SearchPatients(ctx, "Zabriskie", 10)
	if err != nil || len(hits) != 1 || hits[0].ID != pat.ID {
		t.Fatalf("B search = %+v, %v; want A's patient", hits, err)
	}
	if p, err := fb.admin.OpenPatient(ctx, pat.ID); err != nil || p.FamilyName != "Zabriskie" {
		t.Fatalf("B opens A's patient: %+v, %v", p, err)
	}
	st, err = fb.w.Status(ctx)
	if err != nil || st.NeedsFirstSignIn || st.PracticeName != "Outpost Valley Clinic" {
		t.Fatalf("status after first sign-in = %+v, %v", st, err)
	}
	if p := fb.admin.Practice(); p.Name != "Outpost Valley Clinic" || p.IdleLockMinutes != chart.DefaultIdleLockMinutes ||
		p.SyncWarnDays != chart.DefaultSyncWarnDays {
		t.Fatalf("B practice = %+v", p)
	}
	fb.signIn(t, "quillfeather", "nurse passphrase 1")

	// B made its own recovery wrap: the printed recovery key works here.
	if err := fb.w.RecoverPassphrase(ctx, fa.recovery, "quillfeather", "nurse passphrase 2"); err != nil {
		t.Fatalf("recovery on the joined workstation: %v", err)
	}
	fb.signIn(t, "quillfeather", "nurse passphrase 2")

	// A workstation with a practice cannot join one.
	wantErr(t, fa.w.BeginJoin(ctx, fa.admin.Practice().ID, chart.NewDeviceID()), chart.ECONFLICT, "")
	wantErr(t, fb.w.BeginJoin(ctx, fa.admin.Practice().ID, chart.NewDeviceID()), chart.ECONFLICT, "")
	if _, _, err := fb.w.CreatePractice(ctx, chart.NewPractice{PracticeName: "Other",
		Admin: chart.NewUser{FullName: "Other Admin", Username: "other", Passphrase: adminPass}}); err == nil {
		t.Fatal("a joined workstation created a second practice")
	}

	wantNoPlaintext(t, server.dir, []string{"quillfeather", "Staff quillfeather", "Ada Administrator",
		"Outpost Valley Clinic", "Zabriskie"})
}

// wantNoWireNames checks the changes s would push hold none of names.
func wantNoWireNames(t *testing.T, s *Session, names ...string) {
	t.Helper()
	out, err := s.Outbox(context.Background(), wire.MaxChangesPerPush)
	if err != nil {
		t.Fatal(err)
	}
	users := 0
	for _, c := range out {
		if c.Kind == kindUser {
			users++
		}
		for _, n := range names {
			if bytes.Contains(c.Sealed, []byte(n)) || c.RecordID == n {
				t.Fatalf("%s change %s holds %q in clear", c.Kind, c.ChangeID, n)
			}
		}
	}
	if users == 0 {
		t.Fatal("no user change in the outbox")
	}
}

// TestJoinFirstSignInThrottled: wrong passphrases on a joined workstation
// are counted and throttled like any sign-in, without a users row.
func TestJoinFirstSignInThrottled(t *testing.T) {
	ctx := context.Background()
	server := newPracticeServer(t)
	fa := newFixture(t)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	a.sync(t)
	fb, _ := joinThroughServer(t, server)
	for range freeAttempts {
		_, err := fb.w.SignIn(ctx, "ada", "not the passphrase at all")
		wantErr(t, err, chart.EUNAUTHORIZED, "passphrase")
	}
	_, err := fb.w.SignIn(ctx, "ada", adminPass)
	if de := wantErr(t, err, chart.EUNAUTHORIZED, "passphrase"); !bytes.Contains([]byte(de.Message), []byte("Too many")) {
		t.Fatalf("after %d failures: %q, want throttled", freeAttempts, de.Message)
	}
	fb.clock.Advance(maxLockout)
	fb.signIn(t, "ada", adminPass)
}
