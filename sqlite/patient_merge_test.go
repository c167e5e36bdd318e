package sqlite

import (
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/client"
)

// syncAs syncs workstation w under session s, so s's patient index sees
// what the pull brought (each session builds its own at sign-in).
func syncAs(t *testing.T, w syncingWorkstation, s *Session) {
	t.Helper()
	if _, err := client.SyncOnce(ctxb, s, w.client); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
}

func allergyNames(sum chart.ChartSummary) string {
	var out []string
	for _, a := range sum.Allergies {
		out = append(out, a.Substance.Display)
	}
	return strings.Join(out, ", ")
}

func listedWith(t *testing.T, s *Session, query string, inactive bool) map[chart.PatientID]chart.PatientSummary {
	t.Helper()
	out := map[chart.PatientID]chart.PatientSummary{}
	for _, p := range must(s.FindPatientsWith(ctxb, query, 50, inactive))(t).Patients {
		out[p.ID] = p
	}
	return out
}

// TestMergePatientsSyncsAndUndoes merges a duplicate into the survivor on A
// while B, offline, charts an allergy on the duplicate and edits its
// phone. After syncing, both workstations show one chart holding every
// allergy (the offline one too), the duplicate retired with B's phone
// (field-level merge) and out of the list, the signed note unchanged.
// Undoing the merge on B splits the charts again on A.
func TestMergePatientsSyncsAndUndoes(t *testing.T) {
	c := newSyncedClinic(t)
	survivor := c.patient
	dupIn := samplePatient("Ottoline", "Vexworthy")
	dupIn.Phone = "+1 555 0199 321"
	dup := register(t, c.a.admin, dupIn)
	must(c.docA.SaveAllergy(ctxb, sampleAllergy(survivor.ID, "Quillwort")))(t)
	must(c.docA.SaveAllergy(ctxb, sampleAllergy(dup.ID, "Marrowfat peas")))(t)
	enc := must(c.docA.SaveEncounter(ctxb, sampleEncounter(dup.ID)))(t)
	note := must(c.docA.SaveNoteDraft(ctxb, sampleNote(dup.ID, enc.ID, "Jangling knees")))(t)
	note = must(c.docA.SignNote(ctxb, note.ID, note.Version))(t)
	syncAs(t, c.a, c.docA)
	syncAs(t, c.b, c.docB)

	// B, offline: an allergy on the duplicate and a new phone for it.
	must(c.docB.SaveAllergy(ctxb, sampleAllergy(dup.ID, "Gorse honey")))(t)
	onB := must(c.docB.OpenPatient(ctxb, dup.ID))(t)
	onB.Phone = "+1 555 0123 999"
	must(c.docB.UpdatePatient(ctxb, onB))(t)

	preview := must(c.a.admin.PreviewMerge(ctxb, survivor.ID, dup.ID))(t)
	if preview.Reason != "same name and date of birth" || preview.Retired.Records != 3 || preview.Survivor.Records != 1 {
		t.Fatalf("preview %+v: want the reason and 3 records (allergy, visit, note) on the duplicate, 1 on the survivor", preview)
	}
	retired := must(c.a.admin.MergePatients(ctxb, survivor.ID, dup.ID))(t)
	if retired.Merged == nil || retired.Merged.Into != survivor.ID {
		t.Fatalf("retired record %+v, want a pointer to %s", retired.Merged, survivor.ID)
	}
	syncAs(t, c.a, c.docA)
	syncAs(t, c.b, c.docB)
	syncAs(t, c.a, c.docA)
	docA := c.a.signIn(t, "cleo", clinicianPass) // a session whose index holds A's own merge

	for _, s := range []*Session{docA, c.docB} {
		sum := must(s.ChartSummary(ctxb, survivor.ID))(t)
		if got := allergyNames(sum); got != "Quillwort, Marrowfat peas, Gorse honey" {
			t.Errorf("survivor's allergies = %q, want all three (the offline one too)", got)
		}
		if recs := must(s.PatientRecords(ctxb, survivor.ID, "merge test"))(t); len(recs.Allergies) != 3 || len(recs.Notes) != 1 {
			t.Errorf("the survivor's export holds %d allergies and %d notes, want 3 and the signed note", len(recs.Allergies), len(recs.Notes))
		}
		if !timelineHas(sum.Timeline, note.ID, "signed") {
			t.Errorf("survivor's timeline lacks the duplicate's signed note")
		}
		n := must(s.Note(ctxb, note.ID))(t)
		if !n.Signed() || n.PatientID != dup.ID || n.Version != note.Version {
			t.Errorf("signed note after merge = v%d of %s signed %v; want it untouched", n.Version, n.PatientID, n.Signed())
		}
		p := must(s.OpenPatient(ctxb, dup.ID))(t)
		if p.Merged == nil || p.Merged.Into != survivor.ID || p.Phone != "+1 555 0123 999" {
			t.Errorf("duplicate = merged %+v phone %q; want retired with B's phone", p.Merged, p.Phone)
		}
		if l := listedWith(t, s, "Vexworthy", false); len(l) != 1 {
			t.Errorf("patient list %v: want only the survivor", l)
		}
		if l := listedWith(t, s, "Vexworthy", true); l[dup.ID].MergedInto != survivor.ID {
			t.Errorf("with inactive: %v, want the duplicate shown as merged", l)
		}
	}
	wantAuditDetail(t, c.a.admin, "merged this record into the chart of Ottoline Vexworthy")
	wantAuditDetail(t, c.a.admin, "merged the record of Ottoline Vexworthy (MRN "+dup.MRN+") into this chart")

	// Undo on B, an administrator there; A sees two charts again.
	must(c.b.admin.UndoMerge(ctxb, dup.ID))(t)
	c.b.sync(t)
	syncAs(t, c.a, docA)
	if got := allergyNames(must(docA.ChartSummary(ctxb, survivor.ID))(t)); got != "Quillwort" {
		t.Errorf("after undo the survivor's allergies = %q, want only its own", got)
	}
	if got := allergyNames(must(docA.ChartSummary(ctxb, dup.ID))(t)); got != "Marrowfat peas, Gorse honey" {
		t.Errorf("after undo the duplicate's allergies = %q", got)
	}
	if l := listedWith(t, docA, "Vexworthy", false); len(l) != 2 {
		t.Errorf("after undo the list holds %d, want both patients", len(l))
	}
	wantNoPlaintext(t, c.server.dir, []string{"Vexworthy", "Marrowfat", "Gorse", "Jangling"})
}

// TestMergePatientsRefuses: only an administrator merges; a patient cannot
// be merged into itself, into a retired record, or twice; undoing a merge
// that is not there says so. Nothing is written by a refusal.
func TestMergePatientsRefuses(t *testing.T) {
	c := newSyncedClinic(t)
	a, admin := c.patient, c.a.admin
	b := register(t, admin, samplePatient("Ottilie", "Vexworthy"))
	d := register(t, admin, samplePatient("Otto", "Vexworthy"))
	_, err := c.docA.MergePatients(ctxb, a.ID, b.ID)
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = admin.MergePatients(ctxb, a.ID, a.ID)
	wantErr(t, err, chart.EINVALID, "")
	_, err = admin.UndoMerge(ctxb, b.ID)
	wantErr(t, err, chart.ECONFLICT, "")
	must(admin.MergePatients(ctxb, a.ID, b.ID))(t)
	_, err = admin.MergePatients(ctxb, d.ID, b.ID)
	wantErr(t, err, chart.ECONFLICT, "")
	_, err = admin.MergePatients(ctxb, b.ID, d.ID)
	wantErr(t, err, chart.ECONFLICT, "")
	if p := must(admin.OpenPatient(ctxb, b.ID))(t); p.Version != 2 || p.Merged.Into != a.ID {
		t.Fatalf("after refusals b = v%d merged %+v, want v2 into a", p.Version, p.Merged)
	}
	// An edit of the demographics keeps the pointer even when the form
	// sends none.
	p := must(admin.OpenPatient(ctxb, b.ID))(t)
	p.Merged, p.Email = nil, "ottilie@example.org"
	if p = must(admin.UpdatePatient(ctxb, p))(t); p.Merged == nil {
		t.Fatal("an edit without the pointer undid the merge")
	}
}

// TestTodaysPatientsLeaveOutInactiveAndFollowMerges: a patient made
// inactive leaves the day's list; a visit charted today on a record
// retired by a merge shows under its survivor.
func TestTodaysPatientsLeaveOutInactiveAndFollowMerges(t *testing.T) {
	c := newClinic(t)
	gone := register(t, c.admin, samplePatient("Ivo", "Inactive"))
	survivor := register(t, c.admin, samplePatient("Sam", "Survivor"))
	dup := register(t, c.admin, samplePatient("Sam", "Survivor"))
	c.doc = c.signIn(t, "cleo", clinicianPass)
	for _, id := range []chart.PatientID{gone.ID, dup.ID} {
		e := sampleEncounter(id)
		e.Start = c.clock.Now().Format("2006-01-02T15:04")
		must(c.doc.SaveEncounter(ctxb, e))(t)
	}
	gone.Inactive = true
	must(c.admin.UpdatePatient(ctxb, gone))(t)
	must(c.admin.MergePatients(ctxb, survivor.ID, dup.ID))(t)
	c.doc = c.signIn(t, "cleo", clinicianPass)
	list := must(c.doc.TodaysPatients(ctxb))(t)
	if len(list) != 1 || list[0].Patient.ID != survivor.ID || len(list[0].Visits) != 1 {
		t.Fatalf("today = %+v, want only the survivor with the retired record's visit", list)
	}
}

// TestConcurrentMergesIntoTwoChartsConflict: two administrators, offline,
// merge one duplicate into two different charts. After syncing both
// workstations show the same survivor (the later merge) and keep the other
// merge as a conflict on the pointer, for someone to settle; neither
// merge is silently dropped.
func TestConcurrentMergesIntoTwoChartsConflict(t *testing.T) {
	c := newSyncedClinic(t)
	one := c.patient
	two := register(t, c.a.admin, samplePatient("Ottoline", "Vexworthy"))
	dup := register(t, c.a.admin, samplePatient("Ottoline", "Vexworthy"))
	c.roundTrip(t)
	must(c.a.admin.MergePatients(ctxb, one.ID, dup.ID))(t)
	c.b.clock.Advance(time.Minute) // B's merge is the later one
	must(c.b.admin.MergePatients(ctxb, two.ID, dup.ID))(t)
	c.roundTrip(t)
	for _, s := range []*Session{c.a.admin, c.b.admin} {
		p := must(s.OpenPatient(ctxb, dup.ID))(t)
		if p.Merged == nil || p.Merged.Into != two.ID {
			t.Fatalf("duplicate merged %+v, want into the later survivor %s", p.Merged, two.ID)
		}
		found := false
		for _, cf := range conflictsOf(t, s) {
			found = found || cf.RecordID == string(dup.ID) && cf.Field == "merged" && len(cf.Others) == 1
		}
		if !found {
			t.Fatalf("no conflict kept on the merge pointer: %+v", conflictsOf(t, s))
		}
		if ids := s.chartOf(two.ID); len(ids) != 2 || len(s.chartOf(one.ID)) != 1 {
			t.Fatalf("chartOf(two) = %v, chartOf(one) = %v: the shown merge decides the union", ids, s.chartOf(one.ID))
		}
	}
}
