package storetest

import (
	"context"
	"slices"
	"testing"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/server"
	"outpost/sync/wire"
)

// Of a replaceable kind's record, pulls give only the newest version (by
// clock, then change id), whatever order the versions arrive in, across
// pushes or within one; an older version arriving late is acknowledged
// and set aside; the same record id of another replaceable kind is
// another record.
func testSupersede(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	dev := chart.NewDeviceID()
	a := s.Enroll(t, dev, "A")
	record, other := string(chart.NewPatientID()), string(chart.NewPatientID())
	version := func(kind, rec string, wall int64) wire.Change {
		c := Changes(dev, 1, "", 16)[0]
		c.Kind, c.RecordID, c.HLC = kind, rec, clock.Timestamp{Wall: wall}.String()
		return c
	}
	tieLow, tieHigh := version("keybox", record, 3000), version("keybox", record, 3000)
	if tieLow.ChangeID > tieHigh.ChangeID {
		tieLow.ChangeID, tieHigh.ChangeID = tieHigh.ChangeID, tieLow.ChangeID
	}
	credential := version("credential", record, 1000)
	otherNewest := version("keybox", other, 5000)
	pushes := [][]wire.Change{
		{version("keybox", record, 2000), credential, Changes(dev, 1, "", 16)[0]},
		{tieHigh, version("keybox", record, 1000), tieLow},
		{otherNewest, version("keybox", other, 4000), version("keybox", record, 2500)},
	}
	var stored int
	for i, batch := range pushes {
		acks, err := a.Push(ctx, batch)
		if err != nil || len(acks) != len(batch) {
			t.Fatalf("push %d: %d acks, %v", i, len(acks), err)
		}
		stored += len(batch)
	}
	if n, _ := s.Store.ChangeCount(ctx); n != int64(stored) {
		t.Fatalf("%d changes stored, want %d (set aside, not deleted)", n, stored)
	}
	b := s.Enroll(t, chart.NewDeviceID(), "B")
	got, _ := pullAll(t, b, 100, nil)
	want := []chart.ChangeID{credential.ChangeID, pushes[0][2].ChangeID, tieHigh.ChangeID, otherNewest.ChangeID}
	if !slices.Equal(ids(got), want) {
		t.Fatalf("pulled %v, want the newest versions and the note %v", ids(got), want)
	}
}
