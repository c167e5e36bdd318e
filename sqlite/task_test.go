package sqlite

import (
	"testing"

	"outpost/chart"
)

// taskClinic is two workstations of one practice with a clinician (cleo),
// a nurse (nina) and a front desk clerk (fran), each signed in on both.
type taskClinic struct {
	a, b                syncingWorkstation
	cleoA, ninaB, franA *Session
	cleo, nina, fran    chart.User
	patient             chart.Patient
}

func newTaskClinic(t *testing.T) *taskClinic {
	t.Helper()
	server := newPracticeServer(t)
	c := &taskClinic{}
	fa := newFixture(t)
	c.cleo = fa.addUser(t, fa.admin, "cleo", chart.RoleClinician, clinicianPass)
	c.nina = fa.addUser(t, fa.admin, "nina", chart.RoleNurse, nursePass)
	c.fran = fa.addUser(t, fa.admin, "fran", chart.RoleFrontDesk, deskPass)
	c.a = syncingWorkstation{fa, server.enroll(t, fa.admin)}
	fb := joinPractice(t, fa)
	c.b = syncingWorkstation{fb, server.enroll(t, fb.admin)}
	c.cleoA, c.franA = fa.signIn(t, "cleo", clinicianPass), fa.signIn(t, "fran", deskPass)
	c.ninaB = fb.signIn(t, "nina", nursePass)
	// Registered by cleo: a session's patient index holds what it wrote
	// or pulled, and this is the session that lists it.
	c.patient = register(t, c.cleoA, samplePatient("Adaeze", "Okafor"))
	return c
}

// TestTaskToColleagueAfterSync: a task written on one workstation reaches
// its assignee's inbox on another after sync, travels practice-wide (no
// patient id on the wire), and two concurrent edits of it (done on one
// side, a new due date on the other) both survive the merge.
func TestTaskToColleagueAfterSync(t *testing.T) {
	c := newTaskClinic(t)
	tk := must(c.cleoA.SaveTask(ctxb, chart.Task{Text: "  Call Mrs Okafor back about her potassium ",
		PatientID: c.patient.ID, AssignedTo: c.nina.ID, Due: "2026-11-24"}))(t)
	if tk.Text != "Call Mrs Okafor back about her potassium" || tk.Version != 1 || tk.CreatedBy != c.cleo.ID {
		t.Fatalf("saved task = %+v", tk)
	}
	var wirePatient string
	if err := c.a.w.db.QueryRow(`SELECT patient_id FROM changes WHERE kind = ?`, chart.KindTask).Scan(&wirePatient); err != nil || wirePatient != "" {
		t.Fatalf("task change patient id = %q (%v), want \"\": tasks travel practice-wide", wirePatient, err)
	}
	if n := must(c.ninaB.InboxCounts(ctxb))(t); n.Tasks != 0 {
		t.Fatalf("before sync B counts %+v, want no task", n)
	}
	c.a.sync(t)
	c.b.sync(t)
	c.ninaB = c.b.signIn(t, "nina", nursePass) // her index now holds the pulled patient
	in := must(c.ninaB.Inbox(ctxb))(t)
	if in.Counts.Tasks != 1 || len(in.Tasks) != 1 || in.Tasks[0].PatientName != "Adaeze Okafor" ||
		in.Tasks[0].CreatedBy != "Staff cleo" || in.Tasks[0].Task.Text != tk.Text {
		t.Fatalf("nina's inbox on B = %+v, want cleo's task about Adaeze Okafor", in)
	}
	if got := must(c.cleoA.SentTasks(ctxb))(t); len(got) != 1 || got[0].AssignedTo != "Staff nina" {
		t.Fatalf("cleo's sent tasks = %+v", got)
	}

	// Concurrently: nina marks it done on B, cleo moves the due date on A.
	done := must(c.ninaB.MarkTask(ctxb, chart.TaskDone{ID: tk.ID, Version: 1, Done: true}))(t)
	if !done.Done() || done.DoneBy != c.nina.ID {
		t.Fatalf("marked task = %+v", done)
	}
	moved := tk
	moved.Due = "2026-11-30"
	must(c.cleoA.SaveTask(ctxb, moved))(t)
	c.a.sync(t)
	c.b.sync(t)
	c.a.sync(t)
	for name, s := range map[string]*Session{"A": c.cleoA, "B": c.ninaB} {
		got, _, err := taskSpec.load(ctxb, s.w.db, s.key, tk.ID)
		if err != nil || !got.Done() || got.DoneBy != c.nina.ID || got.Due != "2026-11-30" {
			t.Fatalf("%s holds %+v (%v); want done by nina and due 2026-11-30", name, got, err)
		}
	}
	if n := must(c.ninaB.InboxCounts(ctxb))(t); n.Tasks != 0 {
		t.Fatalf("after done nina counts %+v", n)
	}
	entries := must(c.b.admin.Audit(ctxb, chart.AuditFilter{PatientID: c.patient.ID}))(t)
	if !hasAudit(entries, chart.KindTask, "marked done a task") || !hasAudit(entries, chart.KindTask, "listed tasks in the inbox: 1") {
		t.Fatalf("B's audit of the patient %+v lacks the task's marking and listing", entries)
	}
}

// TestInboxRoles: the front desk counts only its tasks; a clinician counts
// results to review, their own drafts (not a colleague's) and their tasks,
// overdue first.
func TestInboxRoles(t *testing.T) {
	c := newTaskClinic(t)
	p := c.patient.ID
	enc := must(c.cleoA.SaveEncounter(ctxb, sampleEncounter(p)))(t)
	must(c.cleoA.SaveNoteDraft(ctxb, sampleNote(p, enc.ID, "Cough")))(t)
	ninaA := c.a.signIn(t, "nina", nursePass)
	must(ninaA.SaveNoteDraft(ctxb, chart.Note{Meta: chart.Meta{PatientID: p}, EncounterID: enc.ID, Kind: chart.NoteNursing,
		Title: "Nursing note", Sections: []chart.NoteSection{{Key: "note", Label: "Note", Text: "Dressing changed."}}}))(t)
	must(c.cleoA.SaveResult(ctxb, chart.Result{Meta: chart.Meta{PatientID: p}, Test: chart.Coded{Display: "Potassium"}, Value: "5.9"}))(t)
	must(c.cleoA.SaveTask(ctxb, chart.Task{Text: "Book Mrs Okafor a follow-up", PatientID: p, AssignedTo: c.fran.ID}))(t)
	later := must(c.franA.SaveTask(ctxb, chart.Task{Text: "Sign the fax", AssignedTo: c.cleo.ID, Due: "2026-12-20"}))(t)
	undated := must(c.franA.SaveTask(ctxb, chart.Task{Text: "Lunch order", AssignedTo: c.cleo.ID}))(t)
	overdue := must(c.franA.SaveTask(ctxb, chart.Task{Text: "Call the lab", AssignedTo: c.cleo.ID, Due: "2026-11-01"}))(t)

	desk := must(c.franA.InboxCounts(ctxb))(t)
	if desk != (chart.InboxCounts{Tasks: 1}) {
		t.Fatalf("front desk counts %+v, want only its one task", desk)
	}
	deskInbox := must(c.franA.Inbox(ctxb))(t)
	if len(deskInbox.Notes) != 0 || len(deskInbox.Tasks) != 1 {
		t.Fatalf("front desk inbox %+v", deskInbox)
	}
	in := must(c.cleoA.Inbox(ctxb))(t)
	want := chart.InboxCounts{Results: 1, Notes: 1, Tasks: 3, Overdue: 1}
	if in.Counts != want || in.Counts.Total() != 5 {
		t.Fatalf("clinician counts %+v, want %+v", in.Counts, want)
	}
	if len(in.Notes) != 1 || in.Notes[0].Title != "Acute visit" || in.Notes[0].Patient.FamilyName != "Okafor" {
		t.Fatalf("notes to sign %+v, want cleo's own draft only", in.Notes)
	}
	order := [3]chart.RecordID{in.Tasks[0].Task.ID, in.Tasks[1].Task.ID, in.Tasks[2].Task.ID}
	if order != [3]chart.RecordID{overdue.ID, later.ID, undated.ID} {
		t.Fatalf("task order %v, want overdue, dated, undated", order)
	}
	if !in.Tasks[0].Overdue || in.Tasks[1].Overdue {
		t.Fatalf("overdue flags %+v", in.Tasks)
	}
}

// TestTaskRefusals: bad input changes nothing, and a task between other
// colleagues cannot be changed.
func TestTaskRefusals(t *testing.T) {
	c := newTaskClinic(t)
	before := tableCounts(t, c.a.w)
	_, err := c.cleoA.SaveTask(ctxb, chart.Task{Text: "   ", AssignedTo: c.nina.ID})
	wantErr(t, err, chart.EINVALID, "text")
	_, err = c.cleoA.SaveTask(ctxb, chart.Task{Text: "Call", AssignedTo: "nobody"})
	wantErr(t, err, chart.EINVALID, "assignedTo")
	_, err = c.cleoA.SaveTask(ctxb, chart.Task{Text: "Call", AssignedTo: c.nina.ID, Due: "2026-02-30"})
	wantErr(t, err, chart.EINVALID, "due")
	_, err = c.cleoA.SaveTask(ctxb, chart.Task{Text: "Call", AssignedTo: chart.UserID(chart.NewRecordID())})
	wantErr(t, err, chart.EINVALID, "assignedTo")
	if after := tableCounts(t, c.a.w); after["records"] != before["records"] || after["changes"] != before["changes"] {
		t.Fatalf("refused tasks wrote: %v -> %v", before, after)
	}
	tk := must(c.cleoA.SaveTask(ctxb, chart.Task{Text: "Order gauze", AssignedTo: c.cleo.ID}))(t)
	_, err = c.franA.MarkTask(ctxb, chart.TaskDone{ID: tk.ID, Version: tk.Version, Done: true})
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = c.cleoA.MarkTask(ctxb, chart.TaskDone{ID: tk.ID, Version: tk.Version + 1, Done: true})
	wantErr(t, err, chart.ECONFLICT, "")
}

func hasAudit(entries []chart.AuditEntry, kind, detail string) bool {
	for _, e := range entries {
		if e.RecordKind == kind && e.Detail == detail {
			return true
		}
	}
	return false
}

// TestTaskConflict: two workstations reword one task at once; the inbox
// counts the conflict for its people (the front desk included: every role
// writes tasks), and settling it writes a version both keep.
func TestTaskConflict(t *testing.T) {
	c := newTaskClinic(t)
	tk := must(c.cleoA.SaveTask(ctxb, chart.Task{Text: "Order gauze", AssignedTo: c.nina.ID}))(t)
	c.a.sync(t)
	c.b.sync(t)
	onA, onB := tk, tk
	onA.Text, onB.Text = "Order gauze and tape", "Order gauze, 10 boxes"
	must(c.cleoA.SaveTask(ctxb, onA))(t)
	must(c.ninaB.SaveTask(ctxb, onB))(t)
	c.a.sync(t)
	c.b.sync(t)
	c.a.sync(t)
	if n := must(c.cleoA.InboxCounts(ctxb))(t); n.Conflicts != 1 {
		t.Fatalf("counts %+v, want the task's conflict", n)
	}
	if n := must(c.franA.InboxCounts(ctxb))(t); n.Conflicts != 0 {
		t.Fatalf("front desk counts %+v: its inbox holds only its own tasks", n)
	}
	cf := must(c.cleoA.Conflicts(ctxb))(t)
	if len(cf) != 1 || cf[0].Kind != chart.KindTask || cf[0].Field != "text" {
		t.Fatalf("conflicts %+v, want the task's text", cf)
	}
	must(0, c.cleoA.ResolveConflict(ctxb, chart.Resolution{RecordID: cf[0].RecordID, Kind: cf[0].Kind, Field: "text",
		Choice: chart.ResolveKeepShown}))(t)
	c.a.sync(t)
	c.b.sync(t)
	for name, s := range map[string]*Session{"A": c.cleoA, "B": c.ninaB} {
		if n := must(s.InboxCounts(ctxb))(t); n.Conflicts != 0 {
			t.Fatalf("%s still counts %+v after the resolution", name, n)
		}
	}
}
