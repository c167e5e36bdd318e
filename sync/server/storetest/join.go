package storetest

import (
	"context"
	"slices"
	"testing"

	"outpost/chart"
	"outpost/sync/server"
	"outpost/sync/wire"
)

// A join from heads lists, as of its first page's head, every change no
// later change of its record names as a parent, page by page; a change
// pushed after that snapshot neither shows nor hides a head; a record's
// history comes whole on request; another practice's join sees none of it.
func testJoinHeads(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	dev := chart.NewDeviceID()
	c := s.Enroll(t, dev, "A")
	cs := Changes(dev, 6, "", 8)
	a, b, d, x, y, z := &cs[0], &cs[1], &cs[2], &cs[3], &cs[4], &cs[5]
	b.RecordID, d.RecordID = a.RecordID, a.RecordID // a <- b, a <- d: two heads
	b.Parents, d.Parents = []chart.ChangeID{a.ChangeID}, []chart.ChangeID{a.ChangeID}
	z.RecordID, z.Parents = y.RecordID, []chart.ChangeID{y.ChangeID} // y <- z: one head
	if _, err := c.Push(ctx, cs); err != nil {
		t.Fatal(err)
	}
	first, err := c.JoinHeads(ctx, 0, 0, 2, nil)
	if err != nil || first.Head != 6 || !first.More {
		t.Fatalf("first page: head %d more %v (%v); want 6, true", first.Head, first.More, err)
	}
	late := Changes(dev, 1, "", 8)[0] // after the snapshot: z's successor
	late.RecordID, late.Parents = y.RecordID, []chart.ChangeID{z.ChangeID}
	if _, err := c.Push(ctx, []wire.Change{late}); err != nil {
		t.Fatal(err)
	}
	got := ids(first.Changes)
	for page := first; page.More; {
		if page, err = c.JoinHeads(ctx, page.Next, first.Head, 2, nil); err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(page.Changes)...)
		if !page.More && (page.Next != 6 || page.Head != 6) {
			t.Fatalf("last page: next %d head %d, want 6 and 6", page.Next, page.Head)
		}
	}
	if want := ids([]wire.Change{*b, *d, *x, *z}); !slices.Equal(got, want) {
		t.Fatalf("heads %v, want %v", got, want)
	}
	if _, err := c.JoinHeads(ctx, 7, first.Head, 2, nil); err == nil {
		t.Fatal("a heads page starting past its snapshot was accepted")
	}
	hist, err := c.JoinHeads(ctx, 0, first.Head, 100, []string{a.RecordID})
	if err != nil || !slices.Equal(ids(hist.Changes), ids([]wire.Change{*a, *b, *d})) {
		t.Fatalf("history of a's record: %v (%v), want a, b, d", ids(hist.Changes), err)
	}
	other := s.EnrollWith(t, s.CodeFor(t, server.NewPractice), chart.NewPracticeID(), chart.NewDeviceID(), "Other")
	theirs, err := other.JoinHeads(ctx, 0, 0, 100, nil)
	if err != nil || len(theirs.Changes) != 0 || theirs.Head != 0 {
		t.Fatalf("another practice's join: %d changes, head %d (%v); want none", len(theirs.Changes), theirs.Head, err)
	}
	if hist, err := other.JoinHeads(ctx, 0, 7, 100, []string{a.RecordID}); err == nil && len(hist.Changes) != 0 {
		t.Fatalf("another practice read %d changes of a record by naming it", len(hist.Changes))
	}
}
