package sqlite

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/wire"
)

var _ client.ScopedStore = (*Session)(nil)
var _ client.PendingCounter = (*Session)(nil)

// routeClinic is an office workstation A holding the whole practice and a
// nurse's laptop B, both synced: four patients with an allergy each and a
// practice-wide template.
type routeClinic struct {
	server *practiceServer
	a, b   syncingWorkstation
	pats   []chart.Patient
	docA   *Session
}

func newRouteClinic(t *testing.T) *routeClinic {
	t.Helper()
	c := &routeClinic{server: newPracticeServer(t)}
	fa := newFixture(t)
	fa.addUser(t, fa.admin, "cleo", chart.RoleClinician, clinicianPass)
	c.a = syncingWorkstation{fa, c.server.enroll(t, fa.admin)}
	c.docA = fa.signIn(t, "cleo", clinicianPass)
	for _, n := range []string{"Abernathy", "Brightwater", "Castellane", "Dunmore"} {
		p := register(t, fa.admin, samplePatient("Wilhelmina", n))
		must(c.docA.SaveAllergy(ctxb, sampleAllergy(p.ID, "Pollen of "+n)))(t)
		c.pats = append(c.pats, p)
	}
	must(c.docA.SaveTemplate(ctxb, chart.Template{Name: "Wound check", Kind: chart.NoteNursing,
		Sections: []chart.TemplateSection{{Key: "wound", Label: "Wound", Prompt: "Size, exudate, edges"}}}))(t)
	c.a.sync(t)
	fb := joinPractice(t, fa)
	c.b = syncingWorkstation{fb, c.server.enroll(t, fb.admin)}
	c.b.sync(t)
	for _, p := range c.pats {
		wantHeld(t, c.b.w, p.ID, true)
	}
	return c
}

func (c *routeClinic) ids(idx ...int) []chart.PatientID {
	var out []chart.PatientID
	for _, i := range idx {
		out = append(out, c.pats[i].ID)
	}
	return out
}

// rowsOf counts a patient's rows in a table of a workstation's database
// file. Audit entries, which sync as changes too, are not counted: each
// device writes its own.
func rowsOf(t *testing.T, w *Workstation, table string, id chart.PatientID) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(`SELECT count(*) FROM `+table+` WHERE patient_id = ? AND kind NOT IN (?, ?)`, id, kindAudit, kindAuditBatch).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantHeld(t *testing.T, w *Workstation, id chart.PatientID, held bool) {
	t.Helper()
	recs, changes := rowsOf(t, w, "records", id), rowsOf(t, w, "changes", id)
	if held && (recs == 0 || changes == 0) || !held && (recs != 0 || changes != 0) {
		t.Fatalf("patient %s: %d records, %d changes on the device; want held=%v", id, recs, changes, held)
	}
}

func scopeIDs(sc chart.SyncScope, leaving bool) []chart.PatientID {
	var out []chart.PatientID
	for _, p := range sc.Patients {
		if p.Leaving == leaving {
			out = append(out, p.ID)
		}
	}
	slices.Sort(out)
	return out
}

func sorted(ids []chart.PatientID) []chart.PatientID {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

// TestSyncScopeRoute: a laptop on a 2-patient route holds only those charts
// (and practice-wide records); a patient taken off the route with an
// unsent change stays until the push is acknowledged; a patient put back
// is backfilled with its full history.
func TestSyncScopeRoute(t *testing.T) {
	ctx := context.Background()
	c := newRouteClinic(t)
	b := c.b
	route := c.ids(0, 1)

	// B edits Castellane while still holding her; the edit is not sent yet.
	editPhone(t, b.admin, c.pats[2].ID, "+1 555 0444 444")
	sc := must(b.admin.SetSyncScope(ctx, false, route))(t)
	if sc.All || !slices.Equal(scopeIDs(sc, false), sorted(route)) || !slices.Equal(scopeIDs(sc, true), sorted(c.ids(2, 3))) {
		t.Fatalf("scope after choosing the route = %+v", sc)
	}
	for _, p := range sc.Patients {
		// Audit entries wait to be sent too, so only the edit's patient is sure.
		if p.Name == "" || p.MRN == "" || p.ID == c.pats[2].ID && p.PendingChanges == 0 {
			t.Fatalf("scope patient %+v: want a name, an MRN, and Castellane's edit pending", p)
		}
	}

	// Without a push, only the patient with nothing waiting can go.
	if n := must(b.admin.PurgeLeaving(ctx))(t); n != 1 {
		t.Fatalf("purged %d before the push, want 1 (Dunmore)", n)
	}
	wantHeld(t, b.w, c.pats[2].ID, true)
	wantHeld(t, b.w, c.pats[3].ID, false)

	// The sync pushes the edit, then Castellane goes too.
	r := b.sync(t)
	if r.Sent == 0 || r.Purged != 1 {
		t.Fatalf("route sync %+v, want the edit sent and 1 purged", r)
	}
	for i, p := range c.pats {
		wantHeld(t, b.w, p.ID, i < 2)
	}
	if n := rowsOf(t, b.w, "records", ""); n == 0 {
		t.Fatal("the practice-wide template was purged with the patients")
	}
	if hits := must(b.admin.SearchPatients(ctx, "Castellane", 10))(t); len(hits) != 0 {
		t.Fatalf("B still finds a purged patient: %+v", hits)
	}
	if _, err := b.admin.OpenPatient(ctx, c.pats[2].ID); !isCode(err, chart.ENOTFOUND) {
		t.Fatalf("opening a purged chart: %v, want not found", err)
	}
	wantAuditDetail(t, b.admin,
		"removed the chart (2 records) from this workstation: it left the sync scope; the practice server keeps it")
	// The server kept Castellane's edit: A receives it.
	c.a.sync(t)
	if p := must(c.a.admin.OpenPatient(ctx, c.pats[2].ID))(t); p.Phone != "+1 555 0444 444" {
		t.Fatalf("A's Castellane phone %q, want B's edit sent before the purge", p.Phone)
	}

	// A edits an on-route and an off-route patient; B only receives the first.
	editPhone(t, c.a.admin, c.pats[0].ID, "+1 555 0555 555")
	editPhone(t, c.a.admin, c.pats[3].ID, "+1 555 0666 666")
	c.a.sync(t)
	b.sync(t)
	wantHeld(t, b.w, c.pats[3].ID, false)
	// The removals' own audit entries were sent, and then swept too.
	for _, i := range []int{2, 3} {
		var n int
		if err := b.w.db.QueryRow(`SELECT count(*) FROM changes WHERE patient_id = ?`, c.pats[i].ID).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d change rows of removed patient %d left (%v)", n, i, err)
		}
	}
	if p := must(b.admin.OpenPatient(ctx, c.pats[0].ID))(t); p.Phone != "+1 555 0555 555" {
		t.Fatalf("B's on-route patient: phone %q, want A's edit", p.Phone)
	}

	// Dunmore goes back on the route: her whole history comes back.
	sc = must(b.admin.SetSyncScope(ctx, false, c.ids(0, 1, 3)))(t)
	if i := slices.IndexFunc(sc.Patients, func(p chart.ScopePatient) bool { return p.ID == c.pats[3].ID }); i < 0 ||
		!sc.Patients[i].Backfilling || sc.Patients[i].Leaving {
		t.Fatalf("scope after adding Dunmore back = %+v, want her backfilling", sc)
	}
	b.sync(t)
	if p := must(b.admin.OpenPatient(ctx, c.pats[3].ID))(t); p.Phone != "+1 555 0666 666" {
		t.Fatalf("B's Dunmore after backfill: phone %q", p.Phone)
	}
	if got, want := rowsOf(t, b.w, "changes", c.pats[3].ID), rowsOf(t, c.a.w, "changes", c.pats[3].ID); got != want {
		t.Fatalf("B holds %d of Dunmore's changes, A %d", got, want)
	}
	sc = must(b.admin.SyncScope(ctx))(t)
	for _, p := range sc.Patients {
		if p.Backfilling || p.Leaving {
			t.Fatalf("after the backfill: %+v", p)
		}
	}
	if r := b.sync(t); r.Requests > 2 {
		t.Fatalf("sync after the backfill %+v, want no second backfill", r)
	}
}

// TestSyncScopeBackToAll: the whole practice again brings back every
// chart, and a route chosen on a device that held everything needs no
// backfill for its members.
func TestSyncScopeBackToAll(t *testing.T) {
	ctx := context.Background()
	c := newRouteClinic(t)
	must(c.b.admin.SetSyncScope(ctx, false, c.ids(1)))(t)
	if r := c.b.sync(t); r.Purged != 3 || r.Requests > 3 {
		t.Fatalf("route sync %+v, want 3 purged and no backfill (push, pull)", r)
	}
	sc := must(c.b.admin.SetSyncScope(ctx, true, nil))(t)
	if !sc.All || len(sc.Patients) != 0 {
		t.Fatalf("scope = %+v, want the whole practice", sc)
	}
	c.b.sync(t)
	for _, p := range c.pats {
		wantHeld(t, c.b.w, p.ID, true)
		if hits := must(c.b.admin.SearchPatients(ctx, p.FamilyName, 5))(t); len(hits) != 1 {
			t.Fatalf("B finds %d %s after going back to all", len(hits), p.FamilyName)
		}
	}
}

// TestSyncScopeBadInput: unknown patients, both modes at once and roles
// are refused with nothing changed.
func TestSyncScopeBadInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	p := register(t, f.admin, samplePatient("Wilhelmina", "Abernathy"))
	f.addUser(t, f.admin, "fred", chart.RoleFrontDesk, "fred's long passphrase")
	fred := f.signIn(t, "fred", "fred's long passphrase")
	cases := map[string]error{
		"unknown patient": func() error {
			_, err := f.admin.SetSyncScope(ctx, false, []chart.PatientID{chart.NewPatientID()})
			return err
		}(),
		"not an id":      func() error { _, err := f.admin.SetSyncScope(ctx, false, []chart.PatientID{"x'; DROP"}); return err }(),
		"all and a list": func() error { _, err := f.admin.SetSyncScope(ctx, true, []chart.PatientID{p.ID}); return err }(),
		"front desk":     func() error { _, err := fred.SetSyncScope(ctx, false, []chart.PatientID{p.ID}); return err }(),
	}
	for name, err := range cases {
		var ce *chart.Error
		if !errors.As(err, &ce) || ce.Message == "" || strings.Contains(ce.Message, "sql") {
			t.Errorf("%s: %v, want a clear user-facing error", name, err)
		}
	}
	if sc := must(f.admin.SyncScope(ctx))(t); !sc.All {
		t.Fatalf("scope after refused changes = %+v", sc)
	}
	// A patient registered on a route device joins the route by itself.
	must(f.admin.SetSyncScope(ctx, false, nil))(t)
	q := register(t, f.admin, samplePatient("Wilhelmina", "Brightwater"))
	sc := must(f.admin.SyncScope(ctx))(t)
	if got := scopeIDs(sc, false); !slices.Equal(got, []chart.PatientID{q.ID}) || !slices.Equal(scopeIDs(sc, true), []chart.PatientID{p.ID}) {
		t.Fatalf("scope = %+v; want Brightwater on the route, Abernathy leaving", sc)
	}
}

// pageTransport pulls in small pages and can fail one backfill pull, as a
// connection cut between two backfill pages.
type pageTransport struct {
	client.Transport
	failBackfillPull int // fail the n-th backfill pull (1-based); 0 never
	backfillPulls    int
	backfillAfters   []int64
}

func (p *pageTransport) Pull(ctx context.Context, after int64, _ int, patients []chart.PatientID) (wire.PullResponse, error) {
	if len(patients) == 1 { // the backfill of the one newcomer
		p.backfillPulls++
		p.backfillAfters = append(p.backfillAfters, after)
		if p.backfillPulls == p.failBackfillPull {
			return wire.PullResponse{}, errors.New("connection cut")
		}
	}
	return p.Transport.Pull(ctx, after, 2, patients)
}

// TestSyncScopeBackfillResumes: a backfill cut between pages resumes from
// the last page stored, not from the beginning, and ends complete.
func TestSyncScopeBackfillResumes(t *testing.T) {
	ctx := context.Background()
	c := newRouteClinic(t)
	dunmore := c.pats[3].ID
	must(c.b.admin.SetSyncScope(ctx, false, c.ids(0, 1)))(t)
	c.b.sync(t)
	for i := range 5 {
		editPhone(t, c.a.admin, dunmore, "+1 555 0777 00"+string(rune('0'+i)))
	}
	c.a.sync(t)
	must(c.b.admin.SetSyncScope(ctx, false, c.ids(0, 1, 3)))(t)

	tr := &pageTransport{Transport: c.b.client, failBackfillPull: 3}
	if _, err := client.SyncOnce(ctx, c.b.admin, tr); err == nil || !strings.Contains(err.Error(), "connection cut") {
		t.Fatalf("cut backfill: %v", err)
	}
	var after int64
	var backfilled bool
	if err := c.b.w.db.QueryRow(`SELECT backfill_after, backfilled FROM sync_scope_patients WHERE patient_id = ?`,
		dunmore).Scan(&after, &backfilled); err != nil {
		t.Fatal(err)
	}
	if after == 0 || backfilled || after != tr.backfillAfters[2] {
		t.Fatalf("after the cut: backfill at %d (done %v); the cut pull asked after %d", after, backfilled, tr.backfillAfters[2])
	}

	tr.failBackfillPull = 0
	var got []client.Progress
	r, err := client.SyncOnceWith(ctx, c.b.admin, tr, client.Options{Progress: func(p client.Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if tr.backfillAfters[3] != after {
		t.Fatalf("resumed backfill pulled after %d, want %d (where it stopped)", tr.backfillAfters[3], after)
	}
	if p := must(c.b.admin.OpenPatient(ctx, dunmore))(t); p.Phone != "+1 555 0777 004" || p.Version != 6 {
		t.Fatalf("Dunmore after the resumed backfill: %+v (report %+v)", p, r)
	}
	if got, want := rowsOf(t, c.b.w, "changes", dunmore), rowsOf(t, c.a.w, "changes", dunmore); got != want {
		t.Fatalf("B holds %d of Dunmore's changes, A %d", got, want)
	}
	checkProgress(t, got)
}

// checkProgress: every report has a known phase and 0 <= Done <= Total
// (Total 0: unknown), and receiving ends complete.
func checkProgress(t *testing.T, got []client.Progress) {
	t.Helper()
	if len(got) == 0 {
		t.Fatal("no progress reported")
	}
	for _, p := range got {
		if p.Phase != client.PhaseSending && p.Phase != client.PhaseReceiving || p.Done < 0 || p.Total < 0 ||
			p.Total > 0 && p.Done > p.Total {
			t.Fatalf("progress %+v in %+v", p, got)
		}
	}
	if last := got[len(got)-1]; last.Phase != client.PhaseReceiving || last.Done != last.Total {
		t.Fatalf("last progress %+v, want receiving complete", last)
	}
}

// TestSyncProgressSending: the session counts its outbox, so sending
// progress has its total from the start.
func TestSyncProgressSending(t *testing.T) {
	ctx := context.Background()
	c := newRouteClinic(t)
	for i := range 3 {
		editPhone(t, c.b.admin, c.pats[i].ID, "+1 555 0888 888")
	}
	var got []client.Progress
	r, err := client.SyncOnceWith(ctx, c.b.admin, c.b.client, client.Options{Progress: func(p client.Progress) { got = append(got, p) }})
	if err != nil || r.Sent < 3 { // the edits (and apart, their audit entries)
		t.Fatalf("sync %+v, %v", r, err)
	}
	sent := r.Sent + r.AuditSent
	if got[0] != (client.Progress{Phase: client.PhaseSending, Total: sent}) ||
		!slices.Contains(got, client.Progress{Phase: client.PhaseSending, Done: sent, Total: sent}) {
		t.Fatalf("progress %+v, want sending 0/%d then %d/%d", got, sent, sent, sent)
	}
	checkProgress(t, got)
}

func isCode(err error, code string) bool {
	var ce *chart.Error
	return errors.As(err, &ce) && ce.Code == code
}
