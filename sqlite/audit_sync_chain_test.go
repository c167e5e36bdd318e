package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outpost/chart"
)

// Anchors off the workstation, with real stores and the real (in-process)
// practice server: the other workstations keep each one's chain as it was
// received, and the server relays back each one's newest synced entry.

// verifyAnchored verifies w's log with the server's anchor, as the app does.
func (w syncingWorkstation) verifyAnchored(t *testing.T) chart.AuditVerification {
	t.Helper()
	ctx := context.Background()
	v, err := w.admin.VerifyAuditAnchored(ctx, w.client.FetchAuditAnchor(ctx))
	if err != nil {
		t.Fatalf("verify audit log: %v", err)
	}
	return v
}

// activity writes a few audited reads and writes, a failed sign-in (which
// waits for the key) among them.
func activity(t *testing.T, f *fixture, patient chart.Patient) {
	t.Helper()
	ctx := context.Background()
	for range 3 {
		if _, err := f.admin.OpenPatient(ctx, patient.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.w.SignIn(ctx, "ada", "not the passphrase at all"); err == nil {
		t.Fatal("wrong passphrase accepted")
	}
	if _, err := f.admin.SearchPatients(ctx, "Okafor", 5); err != nil {
		t.Fatal(err)
	}
}

// TestAuditIntactLogsVerifyAfterSyncOnSeveralWorkstations: three
// workstations, each writing entries (failed sign-ins waiting for the key,
// sync's local bookkeeping in between the synced ones, a change of the
// practice key half-way), sync in turns; each
// then finds its own log, the others' copies and the server's anchor in
// agreement, and no fork was recorded anywhere.
func TestAuditIntactLogsVerifyAfterSyncOnSeveralWorkstations(t *testing.T) {
	server, a, b := enrolledPair(t)
	fa, fb := a.fixture, b.fixture
	fc := joinPractice(t, fa)
	c := syncingWorkstation{fc, server.enroll(t, fc.admin)}
	p := register(t, fa.admin, samplePatient("Ada", "Okafor"))
	all := []syncingWorkstation{a, b, c}
	for round := range 3 {
		for _, w := range all {
			w.sync(t)
			activity(t, w.fixture, p)
			w.sync(t)
		}
		if round == 1 { // entries synced after a key change still anchor
			if _, err := fb.admin.RotatePracticeKey(context.Background(), "audit across key epochs"); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, w := range all {
		w.sync(t)
	}
	for i, w := range all {
		v := w.verifyAnchored(t)
		if !v.OK || len(v.Breaks) != 0 || v.Workstations != 2 || v.RemoteEntries < 20 || v.Pending != 0 ||
			v.Server.State != chart.AuditServerMatched || v.Server.Seq == 0 {
			t.Fatalf("workstation %d: %+v; want intact, 2 other workstations' copies, the server's anchor matched", i, v)
		}
		if n := countRows(t, w.w, "audit_forks"); n != 0 {
			t.Fatalf("workstation %d recorded %d forks of intact logs", i, n)
		}
	}
}

// copyStore copies f's database files aside (the store must be closed).
func copyStore(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), "chart.db") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot keeps a copy of f's file as it is now, as someone copying the
// file off the workstation would, and reopens the store.
func (f *fixture) snapshot(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	f.reopen(t, func() { copyStore(t, filepath.Dir(f.path), dir) })
	return dir
}

// restore puts an older copy of f's file back in place and signs in again.
func (f *fixture) restore(t *testing.T, copyDir string) {
	t.Helper()
	f.reopen(t, func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(f.path + suffix)
		}
		copyStore(t, copyDir, filepath.Dir(f.path))
	})
}

func (f *fixture) reopen(t *testing.T, meanwhile func()) {
	t.Helper()
	if err := f.w.Close(); err != nil {
		t.Fatal(err)
	}
	meanwhile()
	f.w = openStore(t, f.path, f.clock)
	f.admin = f.signIn(t, "ada", adminPass)
}

// TestAuditOlderCopyRestoredIsCaughtOffTheWorkstation: someone replaces a
// workstation's file with an older copy, which verifies on its own (every
// chain in it is genuine). The practice server's anchor catches it on that
// workstation; once it syncs again, the other workstation sees the fork.
func TestAuditOlderCopyRestoredIsCaughtOffTheWorkstation(t *testing.T) {
	_, a, b := enrolledPair(t)
	fa, fb := a.fixture, b.fixture
	p := register(t, fa.admin, samplePatient("Ada", "Okafor"))
	a.sync(t)
	b.sync(t)
	old := fa.snapshot(t)
	// Later reads of the chart that the old copy does not have.
	for range 6 {
		if _, err := fa.admin.OpenPatient(context.Background(), p.ID); err != nil {
			t.Fatal(err)
		}
	}
	a.sync(t)
	b.sync(t)
	if v := a.verifyAnchored(t); !v.OK || v.Server.State != chart.AuditServerMatched {
		t.Fatalf("before the restore: %+v; want intact and matched", v)
	}
	anchorSeq := a.verifyAnchored(t).Server.Seq

	fa.restore(t, old)
	local, err := fa.admin.VerifyAudit(context.Background())
	if err != nil || !local.OK {
		t.Fatalf("the restored copy alone: %+v, %v; want it to verify (it is genuine)", local, err)
	}
	v := a.verifyAnchored(t)
	if v.OK || v.Server.State != chart.AuditServerMismatch || len(v.Breaks) != 1 || v.Breaks[0].Kind != chart.AuditBreakServer ||
		v.Breaks[0].Seq < anchorSeq-1 {
		t.Fatalf("restored copy against the server: %+v; want a server break near entry %d", v, anchorSeq)
	}

	// A syncs the restored log: the server's anchor now follows it, but B
	// holds the entries the old copy lost and sees the fork.
	a.sync(t)
	b.sync(t)
	bv := b.verifyAnchored(t)
	fork, ok := findBreak(bv, chart.AuditBreakFork)
	if bv.OK || !ok || fork.DeviceID != fa.admin.deviceID || !strings.Contains(fork.Problem, "audit log was rewritten at entry") {
		t.Fatalf("B after A synced the restored log: %+v; want a fork of A's log", bv)
	}
	if n := countRows(t, fb.w, "audit_forks"); n == 0 {
		t.Fatal("B recorded no fork")
	}
	// A goes on past where its old log ended: still one fork, and no
	// other break made up from mixing the two branches.
	for range 12 {
		if _, err := fa.admin.OpenPatient(context.Background(), p.ID); err != nil {
			t.Fatal(err)
		}
	}
	a.sync(t)
	b.sync(t)
	if later := b.verifyAnchored(t); len(later.Breaks) != 1 || later.Breaks[0].Kind != chart.AuditBreakFork {
		t.Fatalf("B after A went on: %+v; want the one fork only", later)
	}
}

func findBreak(v chart.AuditVerification, kind chart.AuditBreakKind) (chart.AuditBreak, bool) {
	for _, b := range v.Breaks {
		if b.Kind == kind {
			return b, true
		}
	}
	return chart.AuditBreak{}, false
}

// TestAuditServerUnreachableStillVerifiesLocally: offline, the local checks
// run and the result says the server could not be asked.
func TestAuditServerUnreachableStillVerifiesLocally(t *testing.T) {
	server := newPracticeServer(t)
	fa := newFixture(t)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	a.sync(t)
	server.ts.Close()
	v := a.verifyAnchored(t)
	if !v.OK || v.Server.State != chart.AuditServerUnreachable || v.Server.Message == "" ||
		!strings.Contains(strings.Join(v.Checked, "\n"), "could not be asked") {
		t.Fatalf("offline: %+v; want intact, server unreachable, said so", v)
	}
}

// TestAuditRouteDeviceChecksWhereContiguous: a laptop on a route receives
// only some of another workstation's entries (its patients' and the
// practice-wide ones). It checks the chain where it holds it, raises no
// fork for the gaps, and the entries that arrive later, when a patient
// joins the route and is backfilled, fit in.
func TestAuditRouteDeviceChecksWhereContiguous(t *testing.T) {
	ctx := context.Background()
	c := newRouteClinic(t)
	must(c.b.admin.SetSyncScope(ctx, false, c.ids(0)))(t)
	c.b.sync(t)
	for range 3 {
		for _, i := range []int{0, 2, 1} {
			if _, err := c.docA.OpenPatient(ctx, c.pats[i].ID); err != nil {
				t.Fatal(err)
			}
		}
		c.a.sync(t)
		c.b.sync(t)
	}
	route := c.b.verifyAnchored(t)
	if !route.OK || route.Workstations != 1 {
		t.Fatalf("route device: %+v; want intact with A's copy checked", route)
	}
	must(c.b.admin.SetSyncScope(ctx, false, c.ids(0, 2)))(t)
	c.b.sync(t)
	c.b.sync(t)
	more := c.b.verifyAnchored(t)
	if !more.OK || more.RemoteEntries <= route.RemoteEntries {
		t.Fatalf("after a patient joined the route: %+v; want intact, more of A's entries held than %d", more, route.RemoteEntries)
	}
	if n := countRows(t, c.b.w, "audit_forks"); n != 0 {
		t.Fatalf("the route device recorded %d forks of an intact log", n)
	}
}

// TestAuditReceivedCopyEditedIsReported: the copy of another workstation's
// chain held here is checked too: an entry's hash changed in it shows.
func TestAuditReceivedCopyEditedIsReported(t *testing.T) {
	_, a, b := enrolledPair(t)
	fa, fb := a.fixture, b.fixture
	p := register(t, fa.admin, samplePatient("Ada", "Okafor"))
	activity(t, fa, p)
	a.sync(t)
	b.sync(t)
	var seq int64
	if err := fb.w.db.QueryRow(`SELECT max(seq) FROM audit_remote_chain WHERE device_id = ? AND hash IS NOT NULL`,
		string(fa.admin.deviceID)).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if _, err := fb.w.db.Exec(`DROP TRIGGER audit_remote_chain_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := fb.w.db.Exec(`UPDATE audit_remote_chain SET hash = zeroblob(32) WHERE device_id = ? AND seq = ?`,
		string(fa.admin.deviceID), seq); err != nil {
		t.Fatal(err)
	}
	v := b.verifyAnchored(t)
	if v.OK || len(v.Breaks) != 1 || v.Breaks[0].Kind != chart.AuditBreakChanged || v.Breaks[0].Seq != seq ||
		v.Breaks[0].DeviceID != fa.admin.deviceID {
		t.Fatalf("edited copy: %+v; want A's copy reported altered at %d", v, seq)
	}
}
