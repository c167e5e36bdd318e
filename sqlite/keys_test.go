package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/client"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// Keys and their lifecycle: deactivating a user starts a new epoch whose
// key their material cannot open; a changed passphrase supersedes the old
// credential; usernames stay off the wire; hostile work factors and weak
// passphrases are refused.

const nursePassphrase = "nurse quietly waters the garden"

// sealedHead returns the sealed current row of record id.
func sealedHead(t *testing.T, w *Workstation, id string) []byte {
	t.Helper()
	var sealed []byte
	if err := w.db.QueryRow(`SELECT sealed FROM records WHERE id = ?`, id).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	return sealed
}

// materialOf is what a user's passphrase reaches from a copy of a store:
// their credential opened, and every key their keyboxes there give them.
func materialOf(t *testing.T, w *Workstation, user chart.UserID, pass string) *seal.Keyring {
	t.Helper()
	ctx := context.Background()
	cred, ok, err := latestCredential(ctx, w.db, user)
	if err != nil || !ok {
		t.Fatalf("credential of %s: %v %v", user, ok, err)
	}
	keys, err := openCredential(cred.Secret, pass, testWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := ringFor(ctx, w.db, keys, user, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

// TestDeactivationChangesTheKey: deactivating a nurse starts a new epoch;
// what is written afterwards is sealed under it on every workstation, and
// the nurse's passphrase, credential and keyboxes (a copy of which a former
// member may keep) open what was written before but nothing after.
func TestDeactivationChangesTheKey(t *testing.T) {
	ctx := context.Background()
	_, a, b := twoStations(t)
	fa, fb := a.fixture, b.fixture
	nurse := fa.addUser(t, fa.admin, "nell", chart.RoleNurse, nursePassphrase)
	before := register(t, fa.admin, samplePatient("Before", "Deactivation"))
	a.sync(t)
	b.sync(t)
	kept := materialOf(t, fb.w, nurse.ID, nursePassphrase) // what the nurse could have copied off B

	if _, err := fa.admin.SetUserActive(ctx, nurse.ID, false); err != nil {
		t.Fatal(err)
	}
	cur, _ := fa.admin.key.Current()
	if cur.IsRoot() {
		t.Fatal("deactivation did not start a new key epoch")
	}
	after := register(t, fa.admin, samplePatient("After", "Deactivation"))
	if seal.EpochOf(sealedHead(t, fa.w, string(after.ID))) != cur {
		t.Fatal("a record written after the deactivation is not sealed under the new epoch")
	}
	a.sync(t)
	b.sync(t)
	if got, _ := fb.admin.key.Current(); got != cur {
		t.Fatalf("B seals under %s, want the new epoch %s", got, cur)
	}
	fromB := register(t, fb.admin, samplePatient("Written", "OnB"))
	if seal.EpochOf(sealedHead(t, fb.w, string(fromB.ID))) != cur {
		t.Fatal("B's new record is not sealed under the new epoch")
	}
	b.sync(t)
	a.sync(t)
	if p, err := fa.admin.OpenPatient(ctx, fromB.ID); err != nil || p.FamilyName != "OnB" {
		t.Fatalf("A reads B's record: %+v %v", p, err)
	}

	// The nurse's material, kept from before and refreshed from a copy of
	// B's store now: the old record opens, the new ones do not.
	ad := func(p chart.Patient) []byte {
		var cid chart.ChangeID
		fb.w.db.QueryRow(`SELECT head_change_id FROM records WHERE id = ?`, string(p.ID)).Scan(&cid)
		return recordAD(kindPatient, string(p.ID), p.Version, cid)
	}
	now := materialOf(t, fb.w, nurse.ID, nursePassphrase)
	for _, ring := range []*seal.Keyring{kept, now} {
		if _, err := ring.Open(sealedHead(t, fb.w, string(before.ID)), ad(before)); err != nil {
			t.Fatalf("the nurse's material no longer opens what she could read: %v", err)
		}
		for _, p := range []chart.Patient{after, fromB} {
			if _, err := ring.Open(sealedHead(t, fb.w, string(p.ID)), ad(p)); !errors.Is(err, seal.ErrUnknownEpoch) {
				t.Fatalf("the deactivated nurse's material opens %s written after: %v", p.FamilyName, err)
			}
		}
	}
}

// TestPassphraseChangeSupersedesTheOldCredential: after a passphrase
// change the old passphrase signs in nowhere, and no workstation or server
// keeps the old credential once the new one has synced.
func TestPassphraseChangeSupersedesTheOldCredential(t *testing.T) {
	ctx := context.Background()
	server := newPracticeServer(t)
	fa := newFixture(t)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	a.sync(t)
	const newPass = "violet kettle harbour drifting"
	if err := fa.admin.ChangeOwnPassphrase(ctx, adminPass, newPass); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	fb := joinPracticeThrough(t, fa, server)
	if _, err := fb.w.SignIn(ctx, "ada", adminPass); chart.ErrorCode(err) != chart.EUNAUTHORIZED {
		t.Fatalf("the old passphrase on a new workstation: %v", err)
	}
	fb.admin = fb.signIn(t, "ada", newPass)
	if _, err := fa.w.SignIn(ctx, "ada", adminPass); chart.ErrorCode(err) != chart.EUNAUTHORIZED {
		t.Fatalf("the old passphrase on A: %v", err)
	}
	a.sync(t) // the new credential acknowledged: the old one goes from A too
	fa.admin.ChangeOwnPassphrase(ctx, newPass, newPass+" again")
	for name, n := range map[string]int{
		"A":      countKind(t, fa.w, kindCredential),
		"server": server.countKind(t, kindCredential),
	} {
		if n != 1 && !(name == "A" && n == 2) { // A keeps the unsent newest and the acknowledged one before it
			t.Fatalf("%s holds %d credential changes of one user", name, n)
		}
	}
	if got := server.sealedOfKind(t, kindCredential); len(got) != 1 {
		t.Fatalf("the server relays %d credentials of one user, want only the newest", len(got))
	}
}

// TestUsernamesStayOffTheWire: nothing a workstation sends names a user:
// no username, no login hash of one (the server could test a dictionary
// against a hash), only a one-byte bucket per credential.
func TestUsernamesStayOffTheWire(t *testing.T) {
	server := newPracticeServer(t)
	fa := newFixture(t)
	fa.addUser(t, fa.admin, "nell.nightingale", chart.RoleNurse, nursePassphrase)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	a.sync(t)
	practice := fa.admin.Practice().ID
	words := []string{"nell.nightingale", loginHash(practice, "nell.nightingale"), loginHash(practice, "ada"),
		"Staff nell.nightingale"}
	wantNoPlaintext(t, server.dir, words)
	for _, raw := range server.sealedOfKind(t, kindCredential) {
		var c credentialRecord
		if err := json.Unmarshal(raw, &c); err != nil || len(c.Bucket) != 2 {
			t.Fatalf("credential on the wire: %s (%v)", raw, err)
		}
	}
}

// TestHostileWorkFactorRefused: a credential whose wrap asks for 2^30
// scrypt work (gigabytes per attempt) is refused before any work is done.
func TestHostileWorkFactorRefused(t *testing.T) {
	ctx := context.Background()
	fa := newFixture(t)
	fb := joinPractice(t, fa)
	cred, _, err := latestCredential(ctx, fb.w.db, fa.admin.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	hostile := bytes.Replace(cred.Secret, []byte(" 10\n"), []byte(" 30\n"), 1)
	if bytes.Equal(hostile, cred.Secret) {
		t.Fatal("test fixture: no work factor 10 in the wrap")
	}
	if _, err := fb.w.db.Exec(`UPDATE users SET wrapped_key = ? WHERE id = ?`, hostile, string(fa.admin.user.ID)); err != nil {
		t.Fatal(err)
	}
	_, err = fb.w.SignIn(ctx, "ada", adminPass)
	if e := wantErr(t, err, chart.EUNAUTHORIZED, "passphrase"); !strings.Contains(e.Message, "far more work") {
		t.Fatalf("refusal says %q", e.Message)
	}
}

// TestWeakPassphrasesRefused: a passphrase an attacker would guess soon is
// refused wherever one is set, saying why; nothing is written.
func TestWeakPassphrasesRefused(t *testing.T) {
	ctx := context.Background()
	fa := newFixture(t)
	before := countRows(t, fa.w, "users")
	_, err := fa.admin.AddUser(ctx, chart.NewUser{FullName: "Pat Weak", Username: "pat", Role: chart.RoleNurse,
		Passphrase: "password1234"})
	if e := wantErr(t, err, chart.EINVALID, "passphrase"); !strings.Contains(e.Message, "too easy to guess") {
		t.Fatalf("weak passphrase refusal says %q", e.Message)
	}
	_, err = fa.admin.AddUser(ctx, chart.NewUser{FullName: "Pat Weak", Username: "patweak", Role: chart.RoleNurse,
		Passphrase: "patweak2026"})
	wantErr(t, err, chart.EINVALID, "passphrase")
	if n := countRows(t, fa.w, "users"); n != before {
		t.Fatalf("a refused user was written: %d users", n)
	}
	wantErr(t, fa.admin.ChangeOwnPassphrase(ctx, adminPass, "qwertyuiop123"), chart.EINVALID, "newPassphrase")
	f := newFixtureStore(t)
	_, _, err = f.w.CreatePractice(ctx, chart.NewPractice{PracticeName: "Riverbend Clinic",
		Admin: chart.NewUser{FullName: "Ada Admin", Username: "ada", Passphrase: "riverbend clinic"}})
	wantErr(t, err, chart.EINVALID, "admin.passphrase")
}

// TestRotateNowAndRecovery: an administrator's "rotate now" moves every
// workstation to a new key; the practice recovery key still resets a
// passphrase afterwards, and the reset user reads everything.
func TestRotateNowAndRecovery(t *testing.T) {
	ctx := context.Background()
	_, a, b := twoStations(t)
	fa, fb := a.fixture, b.fixture
	old := register(t, fa.admin, samplePatient("Old", "Key"))
	_, err := fa.admin.RotatePracticeKey(ctx, " ")
	wantErr(t, err, chart.EINVALID, "reason")
	st, err := fa.admin.RotatePracticeKey(ctx, "laptop lost on the road")
	if err != nil || st.Epochs != 2 || st.Since == nil {
		t.Fatalf("rotate = %+v, %v", st, err)
	}
	newer := register(t, fa.admin, samplePatient("New", "Key"))
	a.sync(t)
	b.sync(t)
	if got, _ := fb.admin.KeyStatus(ctx); got.Current != st.Current {
		t.Fatalf("B seals under %s, want %s", got.Current, st.Current)
	}
	fb.admin.Lock(ctx)
	if err := fb.w.RecoverPassphrase(ctx, fa.recovery, "ada", "recovered orchard lantern swimming"); err != nil {
		t.Fatal(err)
	}
	s := fb.signIn(t, "ada", "recovered orchard lantern swimming")
	for _, p := range []chart.Patient{old, newer} {
		if got, err := s.OpenPatient(ctx, p.ID); err != nil || got.FamilyName != p.FamilyName {
			t.Fatalf("after recovery B reads %+v, %v", got, err)
		}
	}
	if got, _ := s.KeyStatus(ctx); got.Current != st.Current {
		t.Fatalf("after recovery B seals under %s, want %s", got.Current, st.Current)
	}
}

// TestConcurrentRotationsConverge: two administrators rotate offline at
// the same time; after syncing every workstation adopts the same epoch,
// reads everything, and the next rotation folds the other one in.
func TestConcurrentRotationsConverge(t *testing.T) {
	ctx := context.Background()
	_, a, b := twoStations(t)
	fa, fb := a.fixture, b.fixture
	a.sync(t)
	b.sync(t)
	if _, err := fa.admin.RotatePracticeKey(ctx, "rotation on A"); err != nil {
		t.Fatal(err)
	}
	if _, err := fb.admin.RotatePracticeKey(ctx, "rotation on B"); err != nil {
		t.Fatal(err)
	}
	pa := register(t, fa.admin, samplePatient("Sealed", "OnA"))
	pb := register(t, fb.admin, samplePatient("Sealed", "OnB"))
	for range 2 {
		a.sync(t)
		b.sync(t)
	}
	sa, _ := fa.admin.KeyStatus(ctx)
	sb, _ := fb.admin.KeyStatus(ctx)
	if sa.Current != sb.Current || sa.Concurrent != 1 || sb.Concurrent != 1 {
		t.Fatalf("A %+v, B %+v: want one adopted epoch and one concurrent", sa, sb)
	}
	for _, s := range []*Session{fa.admin, fb.admin} {
		for _, p := range []chart.Patient{pa, pb} {
			if _, err := s.OpenPatient(ctx, p.ID); err != nil {
				t.Fatalf("%s unreadable: %v", p.FamilyName, err)
			}
		}
	}
	st, err := fa.admin.RotatePracticeKey(ctx, "fold the concurrent keys")
	if err != nil || st.Concurrent != 0 {
		t.Fatalf("fold = %+v, %v", st, err)
	}
	a.sync(t)
	b.sync(t)
	if got, _ := fb.admin.KeyStatus(ctx); got.Current != st.Current || got.Concurrent != 0 {
		t.Fatalf("B after the fold: %+v, want %s", got, st.Current)
	}
}

// TestForkFromAnOldKeyIsNotAdopted: someone holding only an old key (a
// former member) makes an epoch of their own and seals it to a user: the
// workstation can read with it, but never seals new records under it.
func TestForkFromAnOldKeyIsNotAdopted(t *testing.T) {
	ctx := context.Background()
	fa := newFixture(t)
	root := fa.admin.key.Root()
	if _, err := fa.admin.RotatePracticeKey(ctx, "legitimate rotation"); err != nil {
		t.Fatal(err)
	}
	legit, _ := fa.admin.key.Current()
	// The fork: a ring of the old (root) key only, a new epoch over it.
	stale := seal.NewKeyring(root)
	fork, _ := seal.NewEpochID()
	forkKey, _ := seal.NewKey()
	rec, _ := json.Marshal(epochRecord{V: 1, Epoch: fork.String(), Prior: []string{seal.EpochID{}.String()},
		Keyring: forkKey.SealKeys(stale, seal.AD(keyringADLabel, fork.String())),
		Reason:  forkKey.Seal([]byte("fork"), seal.AD(reasonADLabel, fork.String()))})
	stale.Add(fork, forkKey)
	stale.SetCurrent(fork)
	box, _ := seal.SealKeyTo(fa.admin.userKeys.BoxPublic(), forkKey, keyboxAD(fork, fa.admin.user.ID))
	kb, _ := json.Marshal(keyboxRecord{V: 1, Epoch: fork.String(), User: fa.admin.user.ID, Box: box})
	later := clock.Timestamp{Wall: fa.clock.Now().Add(1e9).UnixMilli()}.String()
	var page []wire.Change
	for _, c := range []wire.Change{
		{ChangeID: chart.NewChangeID(), RecordID: fork.String(), Kind: kindEpoch, Version: 1, Sealed: rec},
		{ChangeID: chart.NewChangeID(), RecordID: keyboxID(fork, fa.admin.user.ID), Kind: kindKeybox, Version: 1, Sealed: kb},
	} {
		c.HLC, c.DeviceID, c.UserID, c.Parents = later, chart.NewDeviceID(), fa.admin.user.ID, []chart.ChangeID{}
		c.Auth = stale.Tag(seal.AD(c.AuthParts()...))
		page = append(page, c)
	}
	if _, _, err := fa.admin.ApplyRemote(ctx, page, 1); err != nil {
		t.Fatal(err)
	}
	if _, held := fa.admin.key.Key(fork); !held {
		t.Fatal("the forked key did not reach the ring (it should be readable)")
	}
	if cur, _ := fa.admin.key.Current(); cur != legit {
		t.Fatalf("the session seals under %s, want the legitimate epoch %s", cur, legit)
	}
	p := register(t, fa.admin, samplePatient("Not", "Forked"))
	if seal.EpochOf(sealedHead(t, fa.w, string(p.ID))) == fork {
		t.Fatal("a new record was sealed under the forked key")
	}
}

// joinPracticeThrough is a fresh workstation joined through the server (no
// sign-in yet).
func joinPracticeThrough(t *testing.T, _ *fixture, ps *practiceServer) *fixture {
	t.Helper()
	f, _ := joinThroughServer(t, ps)
	return f
}

// newFixtureStore is an empty workstation store.
func newFixtureStore(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: newTestClock()}
	f.path = filepath.Join(f.dir, "outpost", "chart.db")
	f.w = openStore(t, f.path, f.clock)
	t.Cleanup(func() { f.w.Close() })
	return f
}

func countKind(t *testing.T, w *Workstation, kind string) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(`SELECT count(*) FROM changes WHERE kind = ?`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// serverDB opens the practice server's store read-only.
func (ps *practiceServer) serverDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(ps.dir, "server.db")+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (ps *practiceServer) countKind(t *testing.T, kind string) int {
	t.Helper()
	var n int
	if err := ps.serverDB(t).QueryRow(`SELECT count(*) FROM changes WHERE kind = ? AND length(sealed) > 0`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sealedOfKind is what the server would relay of kind: the sealed bytes
// of every change it holds and has not set aside.
func (ps *practiceServer) sealedOfKind(t *testing.T, kind string) [][]byte {
	t.Helper()
	rows, err := ps.serverDB(t).Query(`SELECT sealed FROM changes WHERE kind = ? AND length(sealed) > 0`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// The server sets aside older versions of the kinds the workstation
// treats as replaceable: the two lists must name the same kinds.
func TestReplaceableKindsAgree(t *testing.T) {
	if fmt.Sprint(wire.ReplaceableKinds) != fmt.Sprint([]string{kindCredential, kindKeybox}) {
		t.Fatalf("server replaceable kinds %v, workstation's %v", wire.ReplaceableKinds, []string{kindCredential, kindKeybox})
	}
}

// TestRevocationChangesTheKey: once the server says a workstation was
// revoked, the next administrator's session changes the practice key (a
// clinician's does not, but the workstation says a change is due); what
// the lost workstation holds opens nothing written afterwards.
func TestRevocationChangesTheKey(t *testing.T) {
	ctx := context.Background()
	server, a, b := twoStations(t)
	fa, fb := a.fixture, b.fixture
	fa.addUser(t, fa.admin, "cleo", chart.RoleClinician, clinicianPass)
	a.sync(t)
	b.sync(t)
	lost := materialOf(t, fb.w, fa.admin.user.ID, adminPass) // everything B's store gives its administrator
	if err := server.store.Revoke(ctx, string(fb.admin.deviceID), fa.clock.Now()); err != nil {
		t.Fatal(err)
	}

	doc := fa.signIn(t, "cleo", clinicianPass)
	if _, err := client.SyncOnce(ctx, doc, a.client); err != nil {
		t.Fatal(err)
	}
	if cur, _ := doc.key.Current(); !cur.IsRoot() {
		t.Fatal("a clinician's sync changed the practice key")
	}
	if due, err := fa.w.KeyChangeDue(ctx); err != nil || !due {
		t.Fatalf("key change due after a revocation = %v, %v", due, err)
	}
	admin := fa.signIn(t, "ada", adminPass)
	cur, _ := admin.key.Current()
	if cur.IsRoot() {
		t.Fatal("the administrator's sign-in after a revocation kept the old key")
	}
	if due, _ := fa.w.KeyChangeDue(ctx); due {
		t.Fatal("a key change is still due after the new epoch")
	}
	after := register(t, admin, samplePatient("After", "Revocation"))
	if _, err := lost.Open(sealedHead(t, fa.w, string(after.ID)), nil); !errors.Is(err, seal.ErrUnknownEpoch) {
		t.Fatalf("what the revoked workstation holds opens a record written after: %v", err)
	}
	// Another sync of the same revocation list changes nothing more.
	if _, err := client.SyncOnce(ctx, admin, a.client); err != nil {
		t.Fatal(err)
	}
	if again, _ := admin.key.Current(); again != cur {
		t.Fatal("the same revocation changed the key twice")
	}
}
