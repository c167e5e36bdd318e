package sqlite

import (
	"testing"

	"outpost/chart"
)

// TestSyncDoubleBooking books one slot of the same book on two
// workstations while each is offline: after syncing through the practice
// server both bookings are on both workstations and the overlap flags them
// for someone to resolve. A reschedule on A and a check-in on B of the
// same booking merge field by field; two different new times are a kept
// conflict, never a silent loss. The server sees none of it in clear.
func TestSyncDoubleBooking(t *testing.T) {
	c := newSyncedClinic(t)
	c.roundTrip(t) // B learns the patient
	doc := c.docA.User().ID
	slot := booking(c.patient.ID, doc, "2026-11-24T09:00", chart.ApptOffice)
	slot.Reason = "Quibblesome knee"
	onA := must(c.docA.SaveAppointment(ctxb, slot))(t)
	onB := must(c.docB.SaveAppointment(ctxb, slot))(t)
	c.roundTrip(t)
	for who, s := range map[string]*Session{"A": c.docA, "B": c.docB} {
		day := must(s.Appointments(ctxb, doc, "2026-11-24", 1))(t)
		over := chart.Overlaps(day)
		if len(day) != 2 || len(over[onA.ID]) != 1 || over[onA.ID][0] != onB.ID {
			t.Fatalf("%s's day %v, overlaps %v: want both bookings, flagged", who, ids(day), over)
		}
	}

	// Different fields of one booking merge.
	onB = must(c.docB.Appointments(ctxb, doc, "2026-11-24", 1))(t)[0]
	moved := onB
	moved.Start = "2026-11-24T10:00"
	must(c.docA.SaveAppointment(ctxb, moved))(t)
	must(c.docB.MoveAppointment(ctxb, onB.ID, onB.Version, chart.ApptCheckedIn, ""))(t)
	c.roundTrip(t)
	for who, s := range map[string]*Session{"A": c.docA, "B": c.docB} {
		a := findAppt(t, s, doc, onB.ID)
		if a.Start != "2026-11-24T10:00" || a.Status != chart.ApptCheckedIn || len(a.History) != 2 {
			t.Fatalf("%s after the merge: %+v", who, a)
		}
		if cs := sealedConflicts(t, s, chart.KindAppointment, string(a.ID)); len(cs) != 0 {
			t.Fatalf("%s keeps conflicts %+v for edits of different fields", who, cs)
		}
	}

	// The same field changed two ways: one wins, the other is kept.
	a, b := findAppt(t, c.docA, doc, onA.ID), findAppt(t, c.docB, doc, onA.ID)
	a.Start, b.Start = "2026-11-24T11:00", "2026-11-24T12:00"
	must(c.docA.SaveAppointment(ctxb, a))(t)
	must(c.docB.SaveAppointment(ctxb, b))(t)
	c.roundTrip(t)
	for who, s := range map[string]*Session{"A": c.docA, "B": c.docB} {
		if cs := sealedConflicts(t, s, chart.KindAppointment, string(onA.ID)); len(cs) == 0 {
			t.Fatalf("%s dropped one of two new times without keeping a conflict", who)
		}
	}
	// Someone resolves it on A, taking the other time; B follows.
	must(0, c.docA.ResolveConflict(ctxb, chart.Resolution{RecordID: string(onA.ID), Kind: chart.KindAppointment,
		Field: "start", Choice: chart.ResolveTakeOther}))(t)
	c.roundTrip(t)
	wantA := findAppt(t, c.docA, doc, onA.ID).Start
	for who, s := range map[string]*Session{"A": c.docA, "B": c.docB} {
		got := findAppt(t, s, doc, onA.ID)
		if cs := sealedConflicts(t, s, chart.KindAppointment, string(onA.ID)); len(cs) != 0 || got.Start != wantA {
			t.Fatalf("%s after the resolution: start %s (A has %s), conflicts %+v", who, got.Start, wantA, cs)
		}
	}
	// Moved to another day on A: B's day index, built before, is stale for
	// it and must not hide it from the new day nor keep it on the old.
	moved = findAppt(t, c.docA, doc, onA.ID)
	moved.Start = "2026-11-26T08:00"
	must(c.docA.SaveAppointment(ctxb, moved))(t)
	c.roundTrip(t)
	if got := must(c.docB.Appointments(ctxb, doc, "2026-11-26", 1))(t); len(got) != 1 || got[0].ID != onA.ID {
		t.Fatalf("B's 26th = %v, want the booking moved there on A", ids(got))
	}
	if got := must(c.docB.Appointments(ctxb, doc, "2026-11-24", 1))(t); len(got) != 1 {
		t.Fatalf("B's 24th = %v, want only the other booking", ids(got))
	}
	wantNoPlaintext(t, c.server.dir, []string{"Quibblesome", "Vexworthy", "Ottoline"})
}

func findAppt(t *testing.T, s *Session, book chart.UserID, id chart.RecordID) chart.Appointment {
	t.Helper()
	for _, a := range must(s.Appointments(ctxb, book, "2026-11-24", 1))(t) {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("booking %s is not in the book", id)
	return chart.Appointment{}
}
