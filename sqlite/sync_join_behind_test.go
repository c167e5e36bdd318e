package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// TestJoinChartsWhileMergingBehind signs in on a freshly joined
// workstation the way the app does (SignInChartFirst): it returns before
// any chart record is merged, and while the merge behind is held between
// two of its batches a clinician opens a chart not merged yet (it shows
// every problem A wrote, conflicts kept), registers a patient and records
// vitals. Then the merge finishes: the joined chart holds what a join
// merged all at once holds (rows, conflicts, changes held back, remote
// audit entries), plus the clinician's saves.
func TestJoinChartsWhileMergingBehind(t *testing.T) {
	defer func(n int) { behindBatch = n }(behindBatch)
	behindBatch = 4 // many batches out of a small practice
	c := newSyncedClinic(t)
	perPatient := map[chart.PatientID]int{}
	patients := []chart.PatientID{c.patient.ID}
	for i := range 3 {
		patients = append(patients, register(t, c.a.admin, samplePatient("Behind", fmt.Sprint("Merger", i))).ID)
	}
	var first chart.Problem
	for i := range 30 {
		p := chart.Problem{Meta: chart.Meta{PatientID: patients[i%len(patients)]}, Status: chart.ProblemActive,
			Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"},
			Comment:   fmt.Sprint("noted ", i)}
		saved := must(c.docA.SaveProblem(ctxb, p))(t)
		perPatient[p.PatientID]++
		if i == 0 {
			first = saved
		}
	}
	c.roundTrip(t)
	makeProblemConflict(t, c, first)

	want, fj, s := joinTwiceChartFirst(t, c)
	if n := countRows(t, fj.w, `records WHERE kind = 'problem'`); n != 0 {
		t.Fatalf("the first sign-in merged %d problems; want none (they merge behind)", n)
	}
	if got := len(must(s.SearchPatients(ctxb, "Merger", 10))(t)); got != 3 {
		t.Fatalf("patient search after the first sign-in found %d; want the 3 patients at once", got)
	}

	paused, resume, merged := make(chan [2]int), make(chan struct{}), make(chan error, 1)
	go func() {
		once := false
		merged <- s.MergeBehind(context.Background(), func(done, total int) {
			if !once {
				once = true
				paused <- [2]int{done, total}
				<-resume
			}
		})
	}()
	at := <-paused
	if pending, err := fj.w.MergingBehind(ctxb); err != nil || !pending || at[0] >= at[1] {
		t.Fatalf("held after the first batch: pending %v (%v), %d of %d done; want still merging", pending, err, at[0], at[1])
	}

	p := patients[len(patients)-1] // records go in id order: this chart's are not all merged yet
	sum := must(s.ChartSummary(ctxb, p))(t)
	if len(sum.Problems) != perPatient[p] {
		t.Fatalf("chart opened mid-merge shows %d problems; want all %d of A's", len(sum.Problems), perPatient[p])
	}
	fresh := register(t, s, samplePatient("Walkin", "Duringmerge"))
	vitals := must(s.RecordVitals(ctxb, p, "", "2026-11-23T08:35", chart.VitalsEntry{HeartRate: reading(64)}))(t)
	if pending, _ := fj.w.MergingBehind(ctxb); !pending {
		t.Fatal("the merge behind finished while held")
	}
	close(resume)
	if err := <-merged; err != nil {
		t.Fatalf("MergeBehind: %v", err)
	}
	if pending, _ := fj.w.MergingBehind(ctxb); pending {
		t.Fatal("MergeBehind returned with records still waiting")
	}

	if got := readBehindChart(t, fj.w); got != want {
		t.Fatalf("merged behind, the joined chart differs from one merged at once:\nbehind %+v\nat once %+v", got, want)
	}
	if _, err := s.OpenPatient(ctxb, fresh.ID); err != nil {
		t.Fatalf("patient registered mid-merge: %v", err)
	}
	if n := countRows(t, fj.w, `records WHERE id = '`+string(vitals.ID)+`'`); n != 1 {
		t.Fatalf("vitals saved mid-merge: %d rows; want 1", n)
	}
}

// joinTwiceChartFirst joins c's practice twice: one workstation signs in
// merging everything (want is its chart), the other signs in as the app
// does (SignInChartFirst), leaving the charts to merge behind.
func joinTwiceChartFirst(t *testing.T, c *syncedClinic) (want joinedChart, fj *fixture, s *Session) {
	t.Helper()
	ref, _ := joinThroughServer(t, c.server)
	ref.signIn(t, "cleo", clinicianPass) // merges everything before it returns
	want = readBehindChart(t, ref.w)
	fj, _ = joinThroughServer(t, c.server)
	ss, err := fj.w.SignInChartFirst(ctxb, "cleo", clinicianPass, nil)
	if err != nil {
		t.Fatalf("SignInChartFirst: %v", err)
	}
	return want, fj, ss.(*Session)
}

// makeProblemConflict edits p on A and on B concurrently and syncs, so the
// practice holds a record in conflict.
func makeProblemConflict(t *testing.T, c *syncedClinic, p chart.Problem) {
	t.Helper()
	onA := must(c.docA.Problems(ctxb, p.PatientID))(t)
	onB := must(c.docB.Problems(ctxb, p.PatientID))(t)
	for _, q := range onA {
		if q.ID == p.ID {
			q.Comment = "A's words"
			must(c.docA.SaveProblem(ctxb, q))(t)
		}
	}
	for _, q := range onB {
		if q.ID == p.ID {
			q.Comment = "B's words"
			must(c.docB.SaveProblem(ctxb, q))(t)
		}
	}
	c.roundTrip(t)
}

// readBehindChart is readJoinedChart of the records other workstations
// wrote, with the remote audit entries stored.
func readBehindChart(t *testing.T, w *Workstation) joinedChart {
	t.Helper()
	j := readJoinedChart(t, w)
	var device string
	if err := w.db.QueryRowContext(ctxb, `SELECT value FROM meta WHERE key = ?`, metaDeviceID).Scan(&device); err != nil {
		t.Fatal(err)
	}
	j.records = dumpRows(t, w, `SELECT r.id, r.kind, r.patient_id, r.version, r.head_change_id, r.locked, r.to_review,
		r.sealed = `+changeSealed("c")+` FROM records r JOIN changes c ON c.change_id = r.head_change_id
		WHERE c.device_id != '`+device+`' ORDER BY r.id`)
	j.held += dumpRows(t, w, `SELECT count(*), (SELECT count(*) FROM join_hooks) FROM audit_remote`)
	return j
}

// TestJoinHooksBehindIsolateARefusal: the join's audit entries are stored
// a batch at a time without savepoints; a forged second version of one
// (tagged, so it passes the tag check, but refused by its hook) sits in a
// batch with genuine ones: it alone is held back and every genuine entry
// is stored.
func TestJoinHooksBehindIsolateARefusal(t *testing.T) {
	defer func(n int) { behindBatch = n }(behindBatch)
	behindBatch = 3
	fa := newFixture(t)
	for i := range 4 {
		register(t, fa.admin, samplePatient("Hooked", fmt.Sprint("Audit", i)))
	}
	sendAsSingles(t, fa.admin) // an older build's single audit changes: each has its own hook
	genuine := changeLog(t, fa.w, append(practiceWideKinds, kindPatient, kindAudit)...)
	audits := changeLog(t, fa.w, kindAudit)
	forged := audits[len(audits)/2]
	forged.ChangeID, forged.Version, forged.Parents = chart.NewChangeID(), 2, []chart.ChangeID{forged.ChangeID}
	forged.Auth = tagChange(fa.admin.key, &forged)

	b := &fixture{dir: t.TempDir(), clock: newTestClock()}
	b.path = fa.path + ".joined"
	b.w = openStore(t, b.path, b.clock)
	t.Cleanup(func() { b.w.Close() })
	if err := b.w.BeginJoin(ctxb, fa.admin.Practice().ID, chart.NewDeviceID()); err != nil {
		t.Fatal(err)
	}
	pulled := append(append(genuine[:len(genuine)-2:len(genuine)-2], forged), genuine[len(genuine)-2:]...)
	if _, err := b.w.ApplyJoinPull(ctxb, pulled, 9); err != nil {
		t.Fatalf("join pull: %v", err)
	}
	s := b.signIn(t, "ada", adminPass)
	if reasons := heldReasons(t, s); len(reasons) != 1 || reasons[forged.ChangeID] == "" {
		t.Fatalf("held = %v; want the forged audit entry alone", reasons)
	}
	if n := countRows(t, b.w, "audit_remote"); n != len(audits) {
		t.Fatalf("stored %d remote audit entries; want all %d genuine ones", n, len(audits))
	}
}

// TestJoinChecksChartTagsBehind: the first sign-in checks the tags of what
// it merges (patients, practice-wide records) and leaves the charts'
// changes to be checked as they merge behind. A change whose tag fails
// (content swapped after tagging) is still held back before anything
// merges it: when its chart is opened first, or by its batch; every
// change ends verified, and the chart is the one a join merged at once
// holds.
func TestJoinChecksChartTagsBehind(t *testing.T) {
	c := newSyncedClinic(t)
	other := register(t, c.a.admin, samplePatient("Tagged", "Elsewhere")).ID
	for i := range 6 {
		p := chart.Problem{Meta: chart.Meta{PatientID: []chart.PatientID{c.patient.ID, other}[i%2]}, Status: chart.ProblemActive,
			Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"},
			Comment:   fmt.Sprint("noted ", i)}
		must(c.docA.SaveProblem(ctxb, p))(t)
	}
	c.roundTrip(t)
	var x, y wire.Change // two of A's problem changes on c.patient's chart
	for _, ch := range changeLog(t, c.a.w, chart.KindProblem) {
		if ch.DeviceID == c.docA.deviceID && ch.PatientID == c.patient.ID {
			x, y = y, ch
		}
	}
	forged := x
	forged.ChangeID, forged.Sealed = chart.NewChangeID(), append([]byte(nil), y.Sealed...) // x's tag, y's content
	if _, err := c.a.client.Push(ctxb, []wire.Change{forged}); err != nil {
		t.Fatalf("push forged change: %v", err)
	}

	want, fj, s := joinTwiceChartFirst(t, c)
	if n := countRows(t, fj.w, `changes WHERE unverified = 1 AND kind IN ('patient', 'user', 'practice', 'credential', 'keybox', 'epoch')`); n != 0 {
		t.Fatalf("%d changes of patients or practice-wide records left unchecked by the first sign-in", n)
	}
	if n := countRows(t, fj.w, `changes WHERE unverified = 1 AND kind = 'problem'`); n == 0 {
		t.Fatal("the first sign-in checked the charts' changes; want them checked as they merge behind")
	}
	held := func() string { return dumpRows(t, fj.w, `SELECT change_id FROM quarantine ORDER BY change_id`) }
	if h := held(); h != "" {
		t.Fatalf("held back at the first sign-in: %s; want nothing yet", h)
	}

	sum := must(s.ChartSummary(ctxb, c.patient.ID))(t)
	if len(sum.Problems) != 3 {
		t.Fatalf("chart opened before the merge behind shows %d problems; want A's 3", len(sum.Problems))
	}
	if h := held(); h != fmt.Sprintln(forged.ChangeID) {
		t.Fatalf("held back after opening the chart: %q; want the forged change %s alone", h, forged.ChangeID)
	}
	if n := countRows(t, fj.w, `changes WHERE unverified = 1 AND kind = 'problem' AND `+"patient_id = '"+string(c.patient.ID)+"'"); n != 0 {
		t.Fatalf("%d changes of the chart opened left unchecked", n)
	}
	if err := s.MergeBehind(ctxb, nil); err != nil {
		t.Fatalf("MergeBehind: %v", err)
	}
	if n := countRows(t, fj.w, `changes WHERE unverified = 1`); n != 0 {
		t.Fatalf("%d changes left unchecked after the merge behind", n)
	}
	if got := readBehindChart(t, fj.w); got != want {
		t.Fatalf("checked behind, the joined chart differs from one merged at once:\nbehind %+v\nat once %+v", got, want)
	}
}

// TestMergeBehindListsABatchFromTheCursor: each batch of the merge behind
// is listed from the cursor through changes_behind, in its order, and
// stops at the batch's end, instead of reading and sorting every change
// after the cursor (a read of the whole change log per batch).
func TestMergeBehindListsABatchFromTheCursor(t *testing.T) {
	c := newSyncedClinic(t)
	c.roundTrip(t)
	fj, _ := joinThroughServer(t, c.server)
	ss, err := fj.w.SignInChartFirst(ctxb, "cleo", clinicianPass, nil)
	if err != nil {
		t.Fatalf("SignInChartFirst: %v", err)
	}
	query, args := ss.(*Session).behindQuery("01a24759-dbd6-77e5-8c98-deaa05046ddf problem", "", nil)
	plan := queryPlan(t, fj.w.db, query, args...)
	if !strings.Contains(plan, "USING INDEX changes_behind") || strings.Contains(plan, "TEMP B-TREE") {
		t.Fatalf("the merge behind's batch query plan:\n%s\nwant a walk of changes_behind, no sort", plan)
	}
}
