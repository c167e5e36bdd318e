package sqlite

import (
	"context"
	"slices"
	"testing"

	"outpost/chart"
	"outpost/sync/apply"
	"outpost/sync/wire"
)

// The join's tail asks only what its pages stored (sync_join_tail.go).
// Four records are stored twice, each second change on a later page: one
// with two parentless heads (no history to fetch: not listed, where the
// scan of the whole log lists it and the join asked the server for it),
// one whose second head names a held parent, one whose second head names a
// parent not held (listed, and that head becomes a base), and one whose
// second head names a held-back parent (listed, not a base: it waits).
// Then a change stored outside the notes makes the tail scan the log, as a
// join resumed after a restart does, and it still finds a record stored
// twice.
func TestJoinTailAsksOnlyWhatItsPagesStored(t *testing.T) {
	ctx := context.Background()
	fa := newFixture(t)
	for i := range 6 {
		register(t, fa.admin, samplePatient("Tail", string(rune('A'+i))))
	}
	genuine := changeLog(t, fa.w, append(practiceWideKinds, kindPatient)...)
	var patients []wire.Change
	for _, c := range genuine {
		if c.Kind == kindPatient {
			patients = append(patients, c)
		}
	}
	if len(patients) < 5 {
		t.Fatalf("%d patient changes; want 5", len(patients))
	}
	again := func(c wire.Change, parents ...chart.ChangeID) wire.Change {
		c.ChangeID, c.Parents, c.Version = chart.NewChangeID(), parents, c.Version+1
		return c
	}
	roots, held, missing, waiting := patients[0], patients[1], patients[2], patients[3]
	heldBack := chart.NewChangeID()
	second := []wire.Change{
		again(roots),
		again(held, held.ChangeID),
		again(missing, chart.NewChangeID()),
		again(waiting, heldBack),
	}

	b := newFixtureStore(t)
	if err := b.w.BeginJoin(ctx, fa.admin.Practice().ID, chart.NewDeviceID()); err != nil {
		t.Fatal(err)
	}
	if err := b.w.BeginJoinHeads(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	if err := b.w.write(ctx, func(tx *tx) error {
		c := again(patients[4])
		c.ChangeID = heldBack
		return quarantine(ctx, tx, &c, apply.Hold(apply.ReasonKey, "held back for the test"))
	}); err != nil {
		t.Fatal(err)
	}
	for _, page := range [][]wire.Change{genuine, second, genuine} { // the last: all held already
		if _, err := b.w.ApplyJoinPull(ctx, page, 0); err != nil {
			t.Fatalf("ApplyJoinPull: %v", err)
		}
	}
	got := must(b.w.RecordsWithSeveralHeads(ctx, "", 200))(t)
	want := []string{held.RecordID, missing.RecordID, waiting.RecordID}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("records with several heads: %v; want %v (not %s, whose heads have no parents)", got, want, roots.RecordID)
	}
	if page := must(b.w.RecordsWithSeveralHeads(ctx, want[0], 1))(t); !slices.Equal(page, want[1:2]) {
		t.Fatalf("the page after %s: %v; want %v", want[0], page, want[1:2])
	}
	scanned := must(severalHeadsAfter(ctx, b.w.db, "", 200))(t)
	for _, id := range append(want, roots.RecordID) {
		if !slices.Contains(scanned, id) {
			t.Fatalf("the scan lists %v; want %s among them", scanned, id)
		}
	}
	if err := b.w.FinishJoinHeads(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	bases := must(queryStrings(ctx, b.w.db, `SELECT change_id FROM change_bases`))(t)
	if !slices.Equal(bases, []string{string(second[2].ChangeID)}) {
		t.Fatalf("bases %v; want only the head whose parent is not held, %s", bases, second[2].ChangeID)
	}

	// A change the notes never saw: the tail scans the whole log.
	b.w.joinTail.Store(newJoinTail())
	b.w.joinTail.Load().note(nil, 0)
	if err := b.w.write(ctx, func(tx *tx) error {
		c := again(patients[5], patients[5].ChangeID)
		_, err := insertRemoteChanges(ctx, tx, []*wire.Change{&c}, true)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := must(b.w.RecordsWithSeveralHeads(ctx, "", 200))(t); !slices.Contains(got, patients[5].RecordID) {
		t.Fatalf("with a change stored outside the notes: %v; want %s among them", got, patients[5].RecordID)
	}
}
