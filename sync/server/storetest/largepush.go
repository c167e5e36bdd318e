package storetest

import (
	"context"
	"slices"
	"testing"

	"outpost/chart"
	"outpost/sync/server"
)

// A push larger than one insert statement (several hundred changes, some
// repeated within the batch) takes dense seqs in batch order, stores each
// change once, and is charged once.
func testLargePush(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	dev := chart.NewDeviceID()
	a := s.Enroll(t, dev, "A")
	if _, err := a.Push(ctx, Changes(dev, 3, "", 8)); err != nil {
		t.Fatal(err)
	}
	unique := Changes(dev, 700, chart.NewPatientID(), 24)
	batch := slices.Concat(unique[:300], unique[250:260], unique[300:], unique[:1])
	acks, err := a.Push(ctx, batch)
	if err != nil || len(acks) != len(batch) {
		t.Fatalf("push of %d: %d acks, %v", len(batch), len(acks), err)
	}
	seqOf := map[chart.ChangeID]int64{}
	for i, ack := range acks {
		if ack.ChangeID != batch[i].ChangeID {
			t.Fatalf("ack %d names %s, want %s", i, ack.ChangeID, batch[i].ChangeID)
		}
		if prev, ok := seqOf[ack.ChangeID]; ok && prev != ack.Seq {
			t.Fatalf("change %s acknowledged as %d and %d", ack.ChangeID, prev, ack.Seq)
		}
		seqOf[ack.ChangeID] = ack.Seq
	}
	for i, c := range unique {
		if want := int64(4 + i); seqOf[c.ChangeID] != want {
			t.Fatalf("change %d took seq %d, want %d", i, seqOf[c.ChangeID], want)
		}
	}
	if n, _ := s.Store.ChangeCount(ctx); n != 703 {
		t.Fatalf("%d changes stored, want 703", n)
	}
	stored, err := s.Store.StoredBytes(ctx, string(dev))
	if want := int64(3*(8+server.ChangeOverhead) + 700*(24+server.ChangeOverhead)); err != nil || stored != want {
		t.Fatalf("device charged %d bytes (%v), want %d", stored, err, want)
	}
	b := s.Enroll(t, chart.NewDeviceID(), "B")
	got, last := pullAll(t, b, 500, nil)
	if len(got) != 703 || !slices.Equal(ids(got[3:]), ids(unique)) || last.Head != 703 {
		t.Fatalf("pulled %d changes (head %d), want 703 in push order", len(got), last.Head)
	}
}
