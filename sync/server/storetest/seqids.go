package storetest

import (
	"context"
	"testing"

	"outpost/chart"
	"outpost/sync/server"
)

// A pull reply names the changes at its after and next seqs (the
// workstation's check against a store brought back from a copy): whatever
// the patient filter or author, within the asking device's practice only,
// and none for seq 0 or a seq the store never reached.
func testSeqIDs(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	dev := chart.NewDeviceID()
	a := s.Enroll(t, dev, "A")
	pushed := Changes(dev, 3, chart.NewPatientID(), 50)
	if _, err := a.Push(ctx, pushed); err != nil {
		t.Fatal(err)
	}
	b := s.Enroll(t, chart.NewDeviceID(), "B")
	for _, tc := range []struct {
		after    int64
		limit    int
		patients []chart.PatientID
		want     wireIDs
	}{
		{after: 0, limit: 2, want: wireIDs{"", pushed[1].ChangeID}},
		{after: 2, limit: 2, want: wireIDs{pushed[1].ChangeID, pushed[2].ChangeID}},
		{after: 1, limit: 2, patients: []chart.PatientID{}, want: wireIDs{pushed[0].ChangeID, pushed[2].ChangeID}},
		{after: 3, limit: 2, want: wireIDs{pushed[2].ChangeID, pushed[2].ChangeID}},
		{after: 40, limit: 2, want: wireIDs{"", pushed[2].ChangeID}}, // past the head: Next is the head
	} {
		page, err := b.Pull(ctx, tc.after, tc.limit, tc.patients)
		if err != nil {
			t.Fatal(err)
		}
		if got := (wireIDs{page.AfterID, page.NextID}); got != tc.want {
			t.Errorf("pull after %d (patients %v): ids at after and next %v, want %v", tc.after, tc.patients, got, tc.want)
		}
	}
	// A's own changes are left out of its pull, not out of the ids.
	if page, err := a.Pull(ctx, 1, 10, nil); err != nil || page.AfterID != pushed[0].ChangeID || page.NextID != pushed[2].ChangeID {
		t.Fatalf("own pull after 1: %+v, %v", page, err)
	}
	// Another practice's seq 1 is its own change, not this practice's.
	other := chart.NewDeviceID()
	o := s.EnrollWith(t, s.CodeFor(t, server.NewPractice), chart.NewPracticeID(), other, "O")
	mine := Changes(other, 1, "", 50)
	if _, err := o.Push(ctx, mine); err != nil {
		t.Fatal(err)
	}
	got, err := s.Store.ChangeIDsAt(ctx, string(other), 0, 1, 2)
	if err != nil || len(got) != 1 || got[1] != mine[0].ChangeID {
		t.Fatalf("ids at 0, 1, 2 in the other practice: %v, %v; want only seq 1: %s", got, err, mine[0].ChangeID)
	}
}

// wireIDs are a pull reply's AfterID and NextID.
type wireIDs struct{ after, next chart.ChangeID }
