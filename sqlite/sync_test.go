package sqlite

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	hlc "outpost/sync"
	"outpost/sync/httpsync"
	"outpost/syncer"
	"outpost/syncserver"
)

// practiceServer is a real practice server over TLS, in process.
type practiceServer struct {
	dir   string
	store *syncserver.Store
	ts    *httptest.Server
}

func newPracticeServer(t *testing.T) *practiceServer {
	t.Helper()
	dir := t.TempDir()
	store, err := syncserver.Open(context.Background(), filepath.Join(dir, "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ts := httptest.NewUnstartedServer(syncserver.NewServer(store, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	return &practiceServer{dir: dir, store: store, ts: ts}
}

// enroll registers the session's device with the server, as an
// administrator's enrolment code would.
func (ps *practiceServer) enroll(t *testing.T, s *Session) *httpsync.Client {
	t.Helper()
	tok, err := ps.store.NewEnrollmentToken(context.Background(), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	code := hlc.EnrollmentCode{Addr: ps.ts.Listener.Addr().String(), Fingerprint: sha256.Sum256(ps.ts.Certificate().Raw), Token: tok}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := httpsync.NewClient(code, s.deviceID, priv)
	if _, err := c.Enroll(context.Background(), code, "Workstation"); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	return c
}

// joinPractice makes a fresh workstation a member of a's practice by
// copying the practice settings and user rows (with their wrapped data
// keys), under a new device id. A real join step must do the same over a
// trusted channel; see the sync report.
func joinPractice(t *testing.T, a *fixture) *fixture {
	t.Helper()
	b := &fixture{dir: t.TempDir(), clock: newTestClock()}
	b.path = filepath.Join(b.dir, "outpost", "chart.db")
	b.w = openStore(t, b.path, b.clock)
	t.Cleanup(func() { b.w.Close() })
	copyRows(t, a.w, b.w, "meta", `key NOT IN ('device_id', 'hlc', 'sync_pull_cursor')`)
	copyRows(t, a.w, b.w, "users", "1")
	if _, err := b.w.db.Exec(`INSERT INTO meta (key, value) VALUES ('device_id', ?)`, string(chart.NewDeviceID())); err != nil {
		t.Fatal(err)
	}
	b.admin = b.signIn(t, "ada", adminPass)
	return b
}

func copyRows(t *testing.T, from, to *Workstation, table, where string) {
	t.Helper()
	rows, err := from.db.Query(`SELECT * FROM ` + table + ` WHERE ` + where)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	insert := fmt.Sprintf(`INSERT INTO %s (%s) VALUES (?%s)`, table, strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1))
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if _, err := to.db.Exec(insert, vals...); err != nil {
			t.Fatalf("copy %s: %v", table, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

type syncingWorkstation struct {
	*fixture
	client *httpsync.Client
}

func (w syncingWorkstation) sync(t *testing.T) syncer.Report {
	t.Helper()
	r, err := syncer.SyncOnce(context.Background(), w.admin, w.client)
	if err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	return r
}

func wantReport(t *testing.T, who string, got syncer.Report, sent, received, requests int) {
	t.Helper()
	if got.Sent != sent || got.Received != received || got.Requests != requests {
		t.Fatalf("%s: sync report %+v, want sent %d received %d requests %d", who, got, sent, received, requests)
	}
}

func TestSyncTwoWorkstations(t *testing.T) {
	ctx := context.Background()
	server := newPracticeServer(t)
	fa := newFixture(t)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	fb := joinPractice(t, fa)
	b := syncingWorkstation{fb, server.enroll(t, fb.admin)}

	names := []string{"Zabriskie", "Quennell", "Okonkwo-Vance"}
	var pats []chart.Patient
	for _, n := range names {
		pats = append(pats, register(t, a.admin, samplePatient("Wilhelmina", n)))
	}
	wantReport(t, "A first sync", a.sync(t), 3, 0, 2)
	wantReport(t, "B first sync", b.sync(t), 0, 3, 1)
	for _, n := range names {
		hits, err := b.admin.SearchPatients(ctx, n, 10)
		if err != nil || len(hits) != 1 || hits[0].FamilyName != n {
			t.Fatalf("B search %q = %+v, %v; want the patient registered on A", n, hits, err)
		}
	}
	wantAuditDetail(t, b.admin, "applied 3 changes from the practice server")

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

	wantReport(t, "A again", a.sync(t), 0, 0, 1)
	wantReport(t, "B again", b.sync(t), 0, 0, 1)

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
	if n, err := server.store.ChangeCount(ctx); err != nil || n != 6 {
		t.Fatalf("server holds %d changes (%v), want 6 (3 registrations, 3 edits)", n, err)
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
		stamp hlc.Timestamp
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
		ts, err := hlc.ParseTimestamp(stamp)
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

func wantAuditDetail(t *testing.T, s *Session, detail string) {
	t.Helper()
	entries, err := s.Audit(context.Background(), chart.AuditFilter{Action: chart.AuditUpdate})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Detail == detail && e.UserID == s.user.ID {
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

// TestApplyRemoteAllOrNothing: a page with one bad change stores nothing
// and keeps the cursor; the good page applies once however often it comes.
func TestApplyRemoteAllOrNothing(t *testing.T) {
	ctx := context.Background()
	fa := newFixture(t)
	fb := joinPractice(t, fa)
	register(t, fa.admin, samplePatient("Wilhelmina", "Zabriskie"))
	page, err := fa.admin.Outbox(ctx, 10)
	if err != nil || len(page) != 1 {
		t.Fatalf("outbox = %d changes, %v; want 1", len(page), err)
	}

	bad := page[0]
	bad.ChangeID, bad.Sealed = chart.NewChangeID(), []byte("not sealed under this change")
	before := countRows(t, fb.w, "changes")
	if _, _, err := fb.admin.ApplyRemote(ctx, []hlc.Change{page[0], bad}, 7); err == nil {
		t.Fatal("a page with a change that fails its integrity check was applied")
	}
	if n := countRows(t, fb.w, "changes"); n != before {
		t.Fatalf("failed page left %d changes, want %d", n, before)
	}
	if cur, err := fb.admin.PullCursor(ctx); err != nil || cur != 0 {
		t.Fatalf("cursor after a failed page = %d, %v; want 0", cur, err)
	}

	for i, want := range []int{1, 0} {
		applied, conflicts, err := fb.admin.ApplyRemote(ctx, page, 7)
		if err != nil || applied != want || conflicts != 0 {
			t.Fatalf("apply #%d = %d applied %d conflicts, %v; want %d, 0", i+1, applied, conflicts, err, want)
		}
	}
	if cur, err := fb.admin.PullCursor(ctx); err != nil || cur != 7 {
		t.Fatalf("cursor = %d, %v; want 7", cur, err)
	}
	if out, err := fb.admin.Outbox(ctx, 10); err != nil || len(out) != 0 {
		t.Fatalf("B's outbox holds %d pulled changes (%v), want none", len(out), err)
	}
	if applied, _, err := fa.admin.ApplyRemote(ctx, page, 1); err != nil || applied != 0 {
		t.Fatalf("A applied its own change back: %d, %v", applied, err)
	}
}

func TestOutboxAckAndLock(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, n := range []string{"One", "Two", "Three"} {
		register(t, f.admin, samplePatient("Wilhelmina", n))
	}
	out, err := f.admin.Outbox(ctx, 2)
	if err != nil || len(out) != 2 {
		t.Fatalf("outbox(2) = %d, %v", len(out), err)
	}
	if err := f.admin.MarkAcked(ctx, []hlc.Ack{{ChangeID: out[0].ChangeID, Seq: 1}}); err != nil {
		t.Fatal(err)
	}
	rest, err := f.admin.Outbox(ctx, 10)
	if err != nil || len(rest) != 2 || rest[0].ChangeID != out[1].ChangeID {
		t.Fatalf("after one ack the outbox starts %v (%d), want %s first of 2", rest, len(rest), out[1].ChangeID)
	}
	if err := f.admin.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = f.admin.Outbox(ctx, 10)
	wantErr(t, err, chart.ELOCKED, "")
	_, _, err = f.admin.ApplyRemote(ctx, nil, 3)
	wantErr(t, err, chart.ELOCKED, "")
}
