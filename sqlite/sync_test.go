package sqlite

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/clock"
	"outpost/sync/server"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// practiceServer is a real practice server over TLS, in process.
type practiceServer struct {
	dir   string
	store *server.Store
	ts    *httptest.Server
}

func newPracticeServer(t testing.TB) *practiceServer {
	t.Helper()
	dir := t.TempDir()
	store, err := server.Open(context.Background(), filepath.Join(dir, "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	// The server signs for its certificate's fingerprint, known once serving.
	var handler http.Handler
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	fp := sha256.Sum256(ts.Certificate().Raw)
	srv, err := server.NewServer(context.Background(), store, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{Fingerprint: fp[:]})
	if err != nil {
		t.Fatal(err)
	}
	handler = srv.Handler()
	return &practiceServer{dir: dir, store: store, ts: ts}
}

// enroll registers the session's device with the server, as an
// administrator's enrolment code would.
func (ps *practiceServer) enroll(t testing.TB, s *Session) *transport.Client {
	t.Helper()
	c, _ := ps.enrollDevice(t, s.deviceID, "Workstation", s.Practice().ID)
	return c
}

// enrollDevice enrols device dev naming practice ("" to join) and returns
// its client and the practice the server belongs to.
func (ps *practiceServer) enrollDevice(t testing.TB, dev chart.DeviceID, name string, practice chart.PracticeID) (*transport.Client, chart.PracticeID) {
	t.Helper()
	tok, err := ps.store.NewEnrollmentToken(context.Background(), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	code := wire.EnrollmentCode{Addr: ps.ts.Listener.Addr().String(), Fingerprint: sha256.Sum256(ps.ts.Certificate().Raw), Token: tok}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := transport.NewClient(code, dev, priv)
	resp, err := c.EnrollWith(context.Background(), code, name, practice)
	if err != nil {
		t.Fatalf("enrol: %v", err)
	}
	return c, resp.PracticeID
}

// joinPractice makes a fresh workstation a member of a's practice the way
// the app does, through BeginJoin, ApplyJoinPull and a first sign-in. The
// pulled page is a's users and practice settings only (as if a had pushed
// them to the server): the records come through the tests' own syncs. The
// pull cursor stays at 0, so the first real pull fetches the users and
// settings again and skips them. join_test.go joins through the server.
func joinPractice(t testing.TB, a *fixture) *fixture {
	t.Helper()
	ctx := context.Background()
	b := &fixture{dir: t.TempDir(), clock: newTestClock()}
	b.path = filepath.Join(b.dir, "outpost", "chart.db")
	b.w = openStore(t, b.path, b.clock)
	t.Cleanup(func() { b.w.Close() })
	if err := b.w.BeginJoin(ctx, a.admin.Practice().ID, chart.NewDeviceID()); err != nil {
		t.Fatalf("BeginJoin: %v", err)
	}
	if _, err := b.w.ApplyJoinPull(ctx, changeLog(t, a.w, practiceWideKinds...), 0); err != nil {
		t.Fatalf("ApplyJoinPull: %v", err)
	}
	b.admin = b.signIn(t, "ada", adminPass)
	return b
}

// changeLog returns the changes of kinds w holds, oldest first, as they
// travel (tagged, under the signed-in session's key where w let go of the
// tag once the server had the change).
func changeLog(t testing.TB, w *Workstation, kinds ...string) []wire.Change {
	t.Helper()
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = k
	}
	out, err := wireChanges(context.Background(), w.db, `SELECT `+changeWireColumns+` FROM changes WHERE kind IN (?`+
		strings.Repeat(", ?", len(kinds)-1)+`) ORDER BY seq`, args...)
	if err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	s := w.current
	w.mu.Unlock()
	for i := range out {
		if len(out[i].Auth) == 0 && s != nil { // an acknowledged own change let go of its tag (MarkAcked):
			out[i].Auth = tagChange(s.key, &out[i]) // as the server's copy carries it
		}
	}
	return out
}

// enrolledPair is a practice server with two enrolled workstations: a, the
// practice's first, and b, joined to it.
func enrolledPair(t *testing.T) (server *practiceServer, a, b syncingWorkstation) {
	t.Helper()
	server = newPracticeServer(t)
	fa := newFixture(t)
	a = syncingWorkstation{fa, server.enroll(t, fa.admin)}
	fb := joinPractice(t, fa)
	return server, a, syncingWorkstation{fb, server.enroll(t, fb.admin)}
}

type syncingWorkstation struct {
	*fixture
	client *transport.Client
}

func (w syncingWorkstation) sync(t *testing.T) client.Report {
	t.Helper()
	r, err := client.SyncOnce(context.Background(), w.admin, w.client)
	if err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	return r
}

func wantReport(t *testing.T, who string, got client.Report, sent, received, requests int) {
	t.Helper()
	if got.Sent != sent || got.Received != received || got.Requests != requests {
		t.Fatalf("%s: sync report %+v, want sent %d received %d requests %d", who, got, sent, received, requests)
	}
}

func TestSyncTwoWorkstations(t *testing.T) {
	ctx := context.Background()
	server, a, b := twoStations(t)

	names := []string{"Zabriskie", "Quennell", "Okonkwo-Vance"}
	var pats []chart.Patient
	for _, n := range names {
		pats = append(pats, register(t, a.admin, samplePatient("Wilhelmina", n)))
	}
	// Besides the 3 patients, A sends the practice settings, its
	// administrator and their credential and keybox (practice-wide
	// records); B already holds those.
	wantReport(t, "A first sync", a.sync(t), 7, 0, 2)
	// B pushes its own audit entries (its sign-in), then pulls.
	wantReport(t, "B first sync", b.sync(t), 0, 3, 2)
	for _, n := range names {
		hits, err := b.admin.SearchPatients(ctx, n, 10)
		if err != nil || len(hits) != 1 || hits[0].FamilyName != n {
			t.Fatalf("B search %q = %+v, %v; want the patient registered on A", n, hits, err)
		}
	}
	wantAuditDetail(t, b.admin, "applied 3 changes and ")

	// Both edit the same phone while offline.
	editPhone(t, a.admin, pats[0].ID, "+1 555 0111 111")
	editPhone(t, b.admin, pats[0].ID, "+1 555 0222 222")
	winner := laterHead(t, a, b, pats[0].ID)
	wantReport(t, "A sends its edit", a.sync(t), 1, 0, 2)
	rb := b.sync(t)
	wantReport(t, "B sends and merges", rb, 1, 1, 2)
	ra := a.sync(t)
	wantReport(t, "A merges", ra, 0, 1, 1)
	if rb.Conflicts != 1 || ra.Conflicts != 1 {
		t.Fatalf("conflicts reported B %d A %d, want 1 each (the phone)", rb.Conflicts, ra.Conflicts)
	}
	for who, s := range map[string]*Session{"A": a.admin, "B": b.admin} {
		p, err := s.OpenPatient(ctx, pats[0].ID)
		if err != nil || p.Phone != winner {
			t.Fatalf("%s phone = %q (%v), want the later edit %q", who, p.Phone, err, winner)
		}
		hits, err := s.SearchPatients(ctx, names[0], 10)
		if err != nil || len(hits) != 1 || hits[0].Phone != winner {
			t.Fatalf("%s index after merge = %+v, %v; want phone %q", who, hits, err, winner)
		}
		if n := countRows(t, s.w, "record_conflicts"); n != 1 {
			t.Fatalf("%s keeps %d conflicted records, want 1", who, n)
		}
	}

	// Nothing new to either: each sends only the audit entries of the reads
	// above, and the pull brings no chart change.
	wantReport(t, "A again", a.sync(t), 0, 0, 2)
	wantReport(t, "B again", b.sync(t), 0, 0, 2)

	// A later edit on one side fast-forwards the other, with no conflict.
	editPhone(t, a.admin, pats[1].ID, "+1 555 0333 333")
	wantReport(t, "A sends a plain edit", a.sync(t), 1, 0, 2)
	if r := b.sync(t); r.Received != 1 || r.Conflicts != 0 {
		t.Fatalf("B fast-forward report %+v, want 1 received, no conflict", r)
	}
	if p, err := b.admin.OpenPatient(ctx, pats[1].ID); err != nil || p.Phone != "+1 555 0333 333" || p.Version != 2 {
		t.Fatalf("B after fast-forward: %+v, %v", p, err)
	}
	a.sync(t)

	// What sync stored opens again from disk at the next sign-in.
	again := b.signIn(t, "ada", adminPass)
	if p, err := again.OpenPatient(ctx, pats[0].ID); err != nil || p.Phone != winner {
		t.Fatalf("B after signing in again: phone %q, %v; want %q", p.Phone, err, winner)
	}
	all, err := server.store.Pull(ctx, wire.PullRequest{Limit: wire.MaxPullLimit}, 1<<30)
	if err != nil || all.More {
		t.Fatalf("read the server's changes: more %v, %v", all.More, err)
	}
	kinds := map[string]int{}
	for _, c := range all.Changes {
		kinds[c.Kind]++
	}
	if kinds[kindPatient] != 6 {
		t.Fatalf("server holds %d patient changes, want 6 (3 registrations, 3 edits); all: %v", kinds[kindPatient], kinds)
	}
	wantNoPlaintext(t, server.dir, append(names, "Wilhelmina", "0111 111", "0222 222", "0333 333"))
}

func editPhone(t *testing.T, s *Session, id chart.PatientID, phone string) {
	t.Helper()
	p, err := s.OpenPatient(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	p.Phone = phone
	if _, err := s.UpdatePatient(context.Background(), p); err != nil {
		t.Fatalf("UpdatePatient: %v", err)
	}
}

// laterHead returns the phone of whichever workstation's current version
// has the later clock (then change id): the merge's deterministic winner.
func laterHead(t *testing.T, a, b syncingWorkstation, id chart.PatientID) string {
	t.Helper()
	type head struct {
		stamp clock.Timestamp
		cid   chart.ChangeID
		phone string
	}
	read := func(s *Session) head {
		r, err := loadRecord(context.Background(), s.w.db, kindPatient, string(id))
		if err != nil {
			t.Fatal(err)
		}
		var stamp string
		if err := s.w.db.QueryRow(`SELECT hlc FROM changes WHERE change_id = ?`, r.head).Scan(&stamp); err != nil {
			t.Fatal(err)
		}
		ts, err := clock.ParseTimestamp(stamp)
		if err != nil {
			t.Fatal(err)
		}
		p, err := openPatient(s.key, r.id, r.version, r.head, r.sealed)
		if err != nil {
			t.Fatal(err)
		}
		return head{ts, r.head, p.Phone}
	}
	ha, hb := read(a.admin), read(b.admin)
	if c := ha.stamp.Compare(hb.stamp); c > 0 || c == 0 && ha.cid > hb.cid {
		return ha.phone
	}
	return hb.phone
}

// wantAuditDetail finds an audit entry of s's user whose detail starts
// with detail.
func wantAuditDetail(t *testing.T, s *Session, detail string) {
	t.Helper()
	entries, err := s.Audit(context.Background(), chart.AuditFilter{Action: chart.AuditUpdate})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Detail, detail) && e.UserID == s.user.ID {
			return
		}
	}
	t.Fatalf("no audit entry %q among %+v", detail, entries)
}

// wantNoPlaintext scans every file the server wrote for the given words.
func wantNoPlaintext(t *testing.T, dir string, words []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("server files: %v %v", files, err)
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range words {
			if bytes.Contains(body, []byte(w)) {
				t.Fatalf("server file %s holds %q in plaintext", filepath.Base(f), w)
			}
		}
	}
}

// TestApplyRemoteHoldsBackABadChange: a page with one change that does not
// verify applies the rest, moves the cursor and holds the bad one back;
// the good page applies once however often it comes.
func TestApplyRemoteHoldsBackABadChange(t *testing.T) {
	ctx := context.Background()
	fa := newFixture(t)
	fb := joinPractice(t, fa)
	p := register(t, fa.admin, samplePatient("Wilhelmina", "Zabriskie"))
	out, err := fa.admin.Outbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var page []wire.Change
	for _, c := range out {
		if c.RecordID == string(p.ID) {
			page = append(page, c)
		}
	}
	if len(page) != 1 {
		t.Fatalf("outbox holds %d changes of the new patient, want 1", len(page))
	}

	bad := page[0]
	bad.ChangeID, bad.Sealed = chart.NewChangeID(), []byte("not sealed under this change")
	before := countRows(t, fb.w, "changes")
	applied, _, err := fb.admin.ApplyRemote(ctx, []wire.Change{bad, page[0]}, 7)
	if err != nil || applied != 1 {
		t.Fatalf("apply = %d, %v; want the good change applied", applied, err)
	}
	if n := countRows(t, fb.w, "changes"); n != before+1 {
		t.Fatalf("change log holds %d changes, want %d", n, before+1)
	}
	if n := countRows(t, fb.w, "quarantine"); n != 1 {
		t.Fatalf("%d changes held back, want 1", n)
	}
	if cur, err := fb.admin.PullCursor(ctx); err != nil || cur != 7 {
		t.Fatalf("cursor = %d, %v; want 7", cur, err)
	}
	for i := range 2 {
		applied, conflicts, err := fb.admin.ApplyRemote(ctx, page, 8)
		if err != nil || applied != 0 || conflicts != 0 {
			t.Fatalf("apply again #%d = %d applied %d conflicts, %v; want 0, 0", i+1, applied, conflicts, err)
		}
	}
	if got, err := fb.admin.OpenPatient(ctx, p.ID); err != nil || got.FamilyName != "Zabriskie" {
		t.Fatalf("B shows %q, %v; want the pulled patient", got.FamilyName, err)
	}
}

func TestOutboxAckAndLock(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, n := range []string{"One", "Two", "Three"} {
		register(t, f.admin, samplePatient("Wilhelmina", n))
	}
	all, err := f.admin.Outbox(ctx, 100)
	if err != nil || len(all) < 3 {
		t.Fatalf("outbox = %d, %v", len(all), err)
	}
	out, err := f.admin.Outbox(ctx, 2)
	if err != nil || len(out) != 2 || out[0].ChangeID != all[0].ChangeID {
		t.Fatalf("outbox(2) = %d, %v; want the oldest 2", len(out), err)
	}
	if err := f.admin.MarkAcked(ctx, []wire.Ack{{ChangeID: out[0].ChangeID, Seq: 1}}); err != nil {
		t.Fatal(err)
	}
	rest, err := f.admin.Outbox(ctx, 100)
	if err != nil || len(rest) != len(all)-1 || rest[0].ChangeID != out[1].ChangeID {
		t.Fatalf("after one ack the outbox holds %d starting %s, want %d starting %s",
			len(rest), rest[0].ChangeID, len(all)-1, out[1].ChangeID)
	}
	if err := f.admin.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = f.admin.Outbox(ctx, 10)
	wantErr(t, err, chart.ELOCKED, "")
	_, _, err = f.admin.ApplyRemote(ctx, nil, 3)
	wantErr(t, err, chart.ELOCKED, "")
}

// practiceWideKinds are what a joining workstation needs to sign in: the
// practice, its users, their credentials and keys.
var practiceWideKinds = []string{kindPractice, kindUser, kindCredential, kindKeybox, kindEpoch, kindDevice}

// twoStations is a practice with two workstations syncing through one
// server: A made the practice, B joined it.
func twoStations(t *testing.T) (*practiceServer, syncingWorkstation, syncingWorkstation) {
	t.Helper()
	server := newPracticeServer(t)
	fa := newFixture(t)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	fb := joinPractice(t, fa)
	return server, a, syncingWorkstation{fb, server.enroll(t, fb.admin)}
}
