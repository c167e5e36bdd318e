package sqlite

import (
	"reflect"
	"testing"

	"outpost/chart"
)

// The first sign-in after a join builds its index from the patients its
// merge just wrote, opening none of them a second time; a patient edited
// on two workstations at once (two heads: the merge reseals it) is opened.
// The index is the one opening every record gives. On the code before,
// every patient was opened again. The index snapshot is written after it
// as before.
func TestJoinFirstSignInIndexesWhatItMerged(t *testing.T) {
	c, ids := newClinicWithPatients(t, 6, "Joiner")
	editPhone(t, c.a.admin, ids[1], "555 0101")
	onB := must(c.b.admin.OpenPatient(ctxb, ids[1]))(t)
	onB.PreferredName = "Twice"
	must(c.b.admin.UpdatePatient(ctxb, onB))(t)
	c.roundTrip(t)

	fj, _ := joinThroughServer(t, c.server)
	s := fj.signIn(t, "ada", adminPass)
	if s.indexOpened != 1 {
		t.Fatalf("the first sign-in opened %d patient records for its index; want 1 (the one merged from two heads)", s.indexOpened)
	}
	want, unreadable, err := loadPatients(ctxb, fj.w.db, s.key)
	if err != nil || len(unreadable) > 0 {
		t.Fatalf("loadPatients: %v (unreadable %v)", err, unreadable)
	}
	if len(want) != len(ids) || s.index.Len() != len(want) {
		t.Fatalf("%d patients in the index, %d in the records; want %d", s.index.Len(), len(want), len(ids))
	}
	opened := chart.NewPatientIndex(want)
	for _, p := range want {
		got, ok := s.index.Summary(p.ID)
		wantSummary, _ := opened.Summary(p.ID)
		if !ok || !reflect.DeepEqual(got, wantSummary) {
			t.Fatalf("patient %s in the index:\n got %+v\nwant %+v", p.ID, got, wantSummary)
		}
	}
	merged, _ := s.index.Summary(ids[1])
	if merged.Phone != "555 0101" || merged.PreferredName != "Twice" {
		t.Fatalf("the patient edited on both workstations shows %+v; want both edits", merged)
	}
	// The snapshot is still written after it, so the next sign-in opens none.
	fj.w.background.Wait()
	if b := wantIndexFromRecords(t, fj.w, s.key); b.opened != 0 || b.stale {
		t.Fatalf("after the first sign-in's snapshot: opened %d (stale %v), want none", b.opened, b.stale)
	}
}
