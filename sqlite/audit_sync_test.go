package sqlite

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// practiceAudit is B's administrator's practice-wide trail.
func practiceAudit(t *testing.T, s *Session, f chart.AuditFilter) []chart.AuditEntry {
	t.Helper()
	f.AllDevices = true
	entries, err := s.Audit(context.Background(), f)
	if err != nil {
		t.Fatalf("practice-wide audit: %v", err)
	}
	return entries
}

func findAudit(entries []chart.AuditEntry, match func(chart.AuditEntry) bool) (chart.AuditEntry, bool) {
	for _, e := range entries {
		if match(e) {
			return e, true
		}
	}
	return chart.AuditEntry{}, false
}

// TestAuditSyncsPracticeWide: A's chart reads, searches and a failed
// sign-in reach B's administrator, attributed to A's user and device, with
// the sealed details readable on B and absent from the server's files.
func TestAuditSyncsPracticeWide(t *testing.T) {
	ctx := context.Background()
	server := newPracticeServer(t)
	fa := newFixture(t)
	cleo := fa.addUser(t, fa.admin, "cleo", chart.RoleClinician, clinicianPass)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	fb := joinPractice(t, fa)
	b := syncingWorkstation{fb, server.enroll(t, fb.admin)}

	// A failed sign-in has no key to seal with: it waits for the next one.
	queued := countRows(t, fa.w, "audit_sync_queue")
	if _, err := fa.w.SignIn(ctx, "cleo", "not the passphrase at all"); err == nil {
		t.Fatal("wrong passphrase accepted")
	}
	if n := countRows(t, fa.w, "audit_sync_queue") - queued; n != 1 {
		t.Fatalf("queued %d entries with a failed sign-in, want 1", n)
	}
	doc := fa.signIn(t, "cleo", clinicianPass)
	var unkeyed int
	if err := fa.w.db.QueryRow(`SELECT count(*) FROM audit_log WHERE mac IS NULL`).Scan(&unkeyed); err != nil || unkeyed != 0 {
		t.Fatalf("%d entries still wait for the key after a sign-in, %v", unkeyed, err)
	}
	p := register(t, doc, samplePatient("Wilhelmina", "Quennell"))
	if _, err := doc.OpenPatient(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := doc.SearchPatients(ctx, "Xylophant", 10); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	if n := countRows(t, fa.w, "audit_sync_queue"); n != 0 {
		t.Fatalf("%d entries still queued after a push", n)
	}
	b.sync(t)

	trail := practiceAudit(t, b.admin, chart.AuditFilter{})
	open, ok := findAudit(trail, func(e chart.AuditEntry) bool {
		return e.Action == chart.AuditChartOpen && e.PatientID == p.ID
	})
	if !ok || open.UserID != cleo.ID || open.Username != "cleo" || open.DeviceID != fa.admin.deviceID ||
		!open.Remote || open.Detail != "opened chart" || open.Hash == "" {
		t.Fatalf("A's chart read on B = %+v (found %v); want cleo on A's device, remote, detail opened chart", open, ok)
	}
	if _, ok := findAudit(trail, func(e chart.AuditEntry) bool {
		return e.Action == chart.AuditSearch && strings.Contains(e.Detail, "Xylophant") && e.UserID == cleo.ID
	}); !ok {
		t.Fatal("A's search is not in B's practice-wide trail with its detail")
	}
	if _, ok := findAudit(trail, func(e chart.AuditEntry) bool {
		return e.Action == chart.AuditSignInFailed && e.Username == "cleo" && e.DeviceID == fa.admin.deviceID
	}); !ok {
		t.Fatal("A's failed sign-in did not travel after the next sign-in")
	}
	for i := 1; i < len(trail); i++ {
		if trail[i].At.After(trail[i-1].At) {
			t.Fatalf("trail not newest first at %d: %v after %v", i, trail[i].At, trail[i-1].At)
		}
	}
	// B's own view stays this workstation's log; A's entries are only in
	// the practice-wide one. Sending (and the queue) left A's chain intact.
	local, err := b.admin.Audit(ctx, chart.AuditFilter{PatientID: p.ID})
	if err != nil || len(local) != 0 {
		t.Fatalf("B's local log for A's patient = %d entries, %v; want none", len(local), err)
	}
	if v, err := a.admin.VerifyAudit(ctx); err != nil || !v.OK {
		t.Fatalf("A's chain after its entries were sent: %+v, %v", v, err)
	}
	byPatient := practiceAudit(t, b.admin, chart.AuditFilter{PatientID: p.ID, Action: chart.AuditChartOpen})
	if len(byPatient) != 1 || byPatient[0].RecordKind != kindPatient || byPatient[0].RecordID != string(p.ID) {
		t.Fatalf("practice-wide trail filtered by patient = %+v", byPatient)
	}
	wantNoPlaintext(t, server.dir, []string{"Xylophant", "opened chart", "not the passphrase", "signed in"})
}

// TestAuditSyncSettles: applying received entries is itself audited only
// locally, so two workstations syncing in turn run out of things to send.
func TestAuditSyncSettles(t *testing.T) {
	_, a, b := enrolledPair(t)
	register(t, a.admin, samplePatient("Wilhelmina", "Zabriskie"))
	for range 2 {
		a.sync(t)
		b.sync(t)
	}
	wantReport(t, "A settled", a.sync(t), 0, 0, 1)
	wantReport(t, "B settled", b.sync(t), 0, 0, 1)
}

// TestAuditPracticeTrailPages: pages by cursor cover every entry once.
func TestAuditPracticeTrailPages(t *testing.T) {
	ctx := context.Background()
	_, a, b := enrolledPair(t)
	fa, fb := a.fixture, b.fixture
	for i := range 7 {
		fa.clock.Advance(1)
		fb.clock.Advance(1)
		if _, err := a.admin.SearchPatients(ctx, strings.Repeat("a", i+1), 5); err != nil {
			t.Fatal(err)
		}
		if _, err := b.admin.SearchPatients(ctx, strings.Repeat("b", i+1), 5); err != nil {
			t.Fatal(err)
		}
	}
	a.sync(t)
	b.sync(t)
	all := practiceAudit(t, b.admin, chart.AuditFilter{Action: chart.AuditSearch})
	if len(all) != 14 {
		t.Fatalf("practice-wide searches = %d, want 14", len(all))
	}
	var paged []chart.AuditEntry
	f := chart.AuditFilter{Action: chart.AuditSearch, Limit: 3}
	for {
		page := practiceAudit(t, b.admin, f)
		paged = append(paged, page...)
		if len(page) < 3 {
			break
		}
		f.Before = page[len(page)-1].Cursor
	}
	if len(paged) != len(all) {
		t.Fatalf("paging gave %d entries, want %d", len(paged), len(all))
	}
	for i := range all {
		if paged[i].Cursor != all[i].Cursor {
			t.Fatalf("page entry %d = %s, want %s", i, paged[i].Cursor, all[i].Cursor)
		}
	}
	_, err := b.admin.Audit(ctx, chart.AuditFilter{AllDevices: true, Before: "not a cursor"})
	wantErr(t, err, chart.EINVALID, "before")
}

// TestAuditForgedSecondVersionRefused: a change that claims to be a second
// version of an audit record, or a copy of one under the same record id, is
// refused: held back (quarantine), never shown, and the page still applies.
func TestAuditForgedSecondVersionRefused(t *testing.T) {
	ctx := context.Background()
	fa := newFixture(t)
	fb := joinPractice(t, fa)
	if _, err := fa.admin.SearchPatients(ctx, "Original", 5); err != nil {
		t.Fatal(err)
	}
	var orig wire.Change
	for _, c := range sendAsSingles(t, fa.admin) { // as an older build sent it
		if c.Kind == kindAudit && strings.Contains(openAuditChange(t, fa.admin, c).Detail, "Original") {
			orig = c
		}
	}
	if orig.ChangeID == "" {
		t.Fatal("the search's audit change is not in A's outbox")
	}

	// Forged by a holder of the key: same record id, new content.
	e := openAuditChange(t, fa.admin, orig)
	e.Detail = "searched patients for \"Rewritten\": 0 results"
	second := forgeAuditChange(t, fa.admin, orig, e, 2, []chart.ChangeID{orig.ChangeID})
	copyV1 := forgeAuditChange(t, fa.admin, orig, e, 1, nil)
	before := countRows(t, fb.w, "changes")
	applied, _, err := fb.admin.ApplyRemote(ctx, []wire.Change{orig, second, copyV1}, 3)
	if err != nil || applied != 0 {
		t.Fatalf("apply = %d chart changes, %v; want 0 (audit entries are not counted)", applied, err)
	}
	if n := countRows(t, fb.w, "changes") - before; n != 1 {
		t.Fatalf("change log grew by %d, want 1", n)
	}
	if n := countRows(t, fb.w, "quarantine"); n != 2 {
		t.Fatalf("%d changes held back, want the 2 forged ones", n)
	}
	trail := practiceAudit(t, fb.admin, chart.AuditFilter{Action: chart.AuditSearch})
	if len(trail) != 1 || !strings.Contains(trail[0].Detail, "Original") {
		t.Fatalf("B shows %+v; want only the original entry", trail)
	}

	// Not sealed for its own id: refused too, nothing shown.
	moved := orig
	moved.ChangeID, moved.RecordID = chart.NewChangeID(), string(chart.NewRecordID())
	received := countRows(t, fb.w, "audit_remote")
	if _, _, err := fb.admin.ApplyRemote(ctx, []wire.Change{moved}, 4); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, fb.w, "audit_remote"); n != received {
		t.Fatalf("an entry sealed for another record was shown: %d received entries, want %d", n, received)
	}
	if _, ok := findAudit(practiceAudit(t, fb.admin, chart.AuditFilter{}), func(e chart.AuditEntry) bool {
		return e.Remote && strings.Contains(e.Detail, "Rewritten")
	}); ok {
		t.Fatal("a forged audit entry is shown")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func openAuditChange(t *testing.T, s *Session, c wire.Change) chart.AuditEntry {
	t.Helper()
	e, why := openRemoteAudit(s, &c)
	if why != "" && why != "a second version of an audit record" {
		t.Fatalf("open audit change: %s", why)
	}
	return e.AuditEntry
}

func forgeAuditChange(t *testing.T, s *Session, orig wire.Change, e chart.AuditEntry, version int64, parents []chart.ChangeID) wire.Change {
	t.Helper()
	c := orig
	c.ChangeID, c.Version, c.Parents = chart.NewChangeID(), version, parents
	pt := mustJSON(t, e)
	c.Sealed = s.key.Seal(pt, auditChangeAD(c.RecordID, c.ChangeID))
	c.Auth = tagChange(s.key, &c) // forged by a holder of the key: its tag holds
	return c
}
