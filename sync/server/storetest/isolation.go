package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/server"
	"outpost/sync/wire"
)

// Two practices on one server: a device of one can neither read, write nor
// learn anything of the other: its pulls, seqs, heads, revocations and
// audit anchor are its own practice's; a change naming the other's change
// or record ids is its own; codes and signatures do not cross.
func testPracticesIsolated(t *testing.T, open Opener) {
	ctx := context.Background()
	s := start(t, open, server.Options{})
	devA := chart.NewDeviceID()
	a := s.Enroll(t, devA, "A")
	a2 := s.Enroll(t, chart.NewDeviceID(), "A2")
	gone := chart.NewDeviceID()
	s.Enroll(t, gone, "A gone")
	if err := s.Store.Revoke(ctx, string(gone), time.Now()); err != nil {
		t.Fatal(err)
	}
	keybox := Changes(devA, 1, "", 64)[0]
	keybox.Kind = "keybox"
	audit := Changes(devA, 1, "", 64)[0]
	audit.Kind = wire.KindAudit
	ofA := append(Changes(devA, 3, chart.NewPatientID(), 64), keybox, audit)
	if _, err := a.Push(ctx, ofA); err != nil {
		t.Fatal(err)
	}

	practiceB := chart.NewPracticeID()
	devB := chart.NewDeviceID()
	b := s.EnrollWith(t, s.CodeFor(t, server.NewPractice), practiceB, devB, "B")
	if b.PracticeID != practiceB {
		t.Fatalf("enrolled into %q, want the new practice %q", b.PracticeID, practiceB)
	}
	b.IncludeOwn = true
	resp, err := b.Pull(ctx, 0, 100, nil)
	if err != nil || len(resp.Changes) != 0 || resp.Head != 0 || resp.Next != 0 || len(resp.Revoked) != 0 {
		t.Fatalf("B's first pull: %d changes, head %d, next %d, revoked %v, %v; want nothing of A",
			len(resp.Changes), resp.Head, resp.Next, resp.Revoked, err)
	}
	if anchor, err := b.AuditAnchor(ctx); err != nil || anchor != nil {
		t.Fatalf("B's audit anchor: %v, %v; want none", anchor, err)
	}

	// B pushes changes with A's change id and A's keybox record id, newer.
	sameID := Changes(devB, 1, "", 32)[0]
	sameID.ChangeID = ofA[0].ChangeID
	newerKeybox := Changes(devB, 1, "", 32)[0]
	newerKeybox.Kind, newerKeybox.RecordID = "keybox", keybox.RecordID
	newerKeybox.HLC = clock.Timestamp{Wall: time.Now().Add(time.Hour).UnixMilli()}.String()
	acks, err := b.Push(ctx, []wire.Change{sameID, newerKeybox})
	if err != nil || acks[0].Seq != 1 || acks[1].Seq != 2 {
		t.Fatalf("B's push: %v, %v; want its own seqs 1 and 2", acks, err)
	}
	got, last := pullAll(t, a2, 100, nil)
	if len(got) != len(ofA) || last.Head != int64(len(ofA)) {
		t.Fatalf("A pulls %d changes (head %d) after B's push, want its %d", len(got), last.Head, len(ofA))
	}
	for i, c := range got {
		if c.ChangeID != ofA[i].ChangeID || c.DeviceID != devA || !bytes.Equal(c.Sealed, ofA[i].Sealed) {
			t.Fatalf("A's change %d altered or replaced by B's: %+v", i, c)
		}
	}
	mine, _ := pullAll(t, b, 100, nil)
	if len(mine) != 2 || mine[0].DeviceID != devB || mine[1].DeviceID != devB {
		t.Fatalf("B pulls %v, want its own 2 changes", ids(mine))
	}

	// Codes do not cross: A's code for B's workstation, a new-practice
	// code for A's practice id.
	if _, err := servertestClient(s.Code(t)).EnrollWith(ctx, s.Code(t), "B2", practiceB); reason(err) != wire.ReasonWrongPractice {
		t.Fatalf("B's workstation with A's code: %v", err)
	}
	newCode := s.CodeFor(t, server.NewPractice)
	if _, err := servertestClient(newCode).EnrollWith(ctx, newCode, "Intruder", s.Practice); reason(err) != wire.ReasonWrongPractice {
		t.Fatalf("a new-practice code naming A's practice: %v", err)
	}
	// A request of B's device signed for A's practice is not valid.
	b.PracticeID = s.Practice
	if _, err := b.Pull(ctx, 0, 10, nil); reason(err) != wire.ReasonBadSignature {
		t.Fatalf("B signing for A's practice: %v, want %s", err, wire.ReasonBadSignature)
	}
	// A code can be made for a practice by its id, and for none unknown.
	if _, err := s.Store.NewEnrollmentTokenFor(ctx, string(practiceB), time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("code for practice B: %v", err)
	}
	if _, err := s.Store.NewEnrollmentTokenFor(ctx, string(chart.NewPracticeID()), time.Now().Add(time.Hour)); err != server.ErrUnknownPractice {
		t.Fatalf("code for an unknown practice: %v", err)
	}
}
