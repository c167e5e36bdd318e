package sqlite

import (
	"slices"

	"testing"

	"outpost/chart"
)

func booking(p chart.PatientID, book chart.UserID, start string, typ chart.AppointmentType) chart.Appointment {
	return chart.Appointment{Patient: p, ClinicianID: book, Start: start, Minutes: 30, Type: typ, Reason: "Ankle ulcer dressing"}
}

// TestAppointmentBook books, reschedules, checks in and out, cancels and
// marks a no-show, as the front desk does, and checks what each role sees
// and that every step is attributed and audited.
func TestAppointmentBook(t *testing.T) {
	c := newClinic(t)
	p, doc, nurse := c.patient.ID, c.doc.User().ID, c.nurse.User().ID
	office := must(c.desk.SaveAppointment(ctxb, booking(p, doc, "2026-11-24 09:00", chart.ApptOffice)))(t)
	if office.Reason != "" || office.PatientName != "Mara Clinicday" || office.ClinicianName != "Staff cleo" ||
		office.Status != chart.ApptBooked || len(office.History) != 1 || office.History[0].ByName != "Staff desk" {
		t.Fatalf("the desk's booking = %+v (the desk must not see the reason it typed back)", office)
	}
	visit := must(c.desk.SaveAppointment(ctxb, booking(p, nurse, "2026-11-24T10:00", chart.ApptHomeVisit)))(t)
	if visit.Address != "1 Main Street, Elko" {
		t.Fatalf("home visit address = %q, want the patient's", visit.Address)
	}

	// Rescheduled by the desk, who never saw the reason: the reason stays.
	office.Start = "2026-11-24T09:30"
	office = must(c.desk.SaveAppointment(ctxb, office))(t)
	docView := must(c.doc.Appointments(ctxb, doc, "2026-11-24", 1))(t)
	if len(docView) != 1 || docView[0].Start != "2026-11-24T09:30" || docView[0].Reason != "Ankle ulcer dressing" {
		t.Fatalf("the doctor's day = %+v", docView)
	}
	for _, a := range must(c.desk.Appointments(ctxb, "", "2026-11-24", 1))(t) {
		if a.Reason != "" {
			t.Fatalf("the desk sees a reason: %+v", a)
		}
	}

	office = must(c.desk.MoveAppointment(ctxb, office.ID, office.Version, chart.ApptCheckedIn, ""))(t)
	office = must(c.desk.MoveAppointment(ctxb, office.ID, office.Version, chart.ApptCompleted, ""))(t)
	if _, err := c.desk.MoveAppointment(ctxb, office.ID, office.Version, chart.ApptCancelled, ""); chart.ErrorCode(err) != chart.ECONFLICT {
		t.Fatalf("cancelling a checked-out booking: %v", err)
	}
	if _, err := c.desk.MoveAppointment(ctxb, office.ID, office.Version-1, chart.ApptBooked, ""); chart.ErrorCode(err) != chart.ECONFLICT {
		t.Fatalf("a move from a stale version: %v", err)
	}
	if got := office.History; len(got) != 3 || got[1].Status != chart.ApptCheckedIn || got[2].Status != chart.ApptCompleted {
		t.Fatalf("history = %+v", got)
	}
	visit = must(c.nurse.MoveAppointment(ctxb, visit.ID, visit.Version, chart.ApptNoShow, "not home"))(t)
	walkIn := must(c.desk.SaveAppointment(ctxb, booking(p, doc, "2026-11-23T08:50", chart.ApptWalkIn)))(t)
	if walkIn.Status != chart.ApptCheckedIn {
		t.Fatalf("a walk-in is %s, want checked in", walkIn.Status)
	}

	up, past := must2(c.doc.PatientAppointments(ctxb, p))(t)
	if len(up) != 2 || up[0].ID != office.ID || len(past) != 1 || past[0].ID != walkIn.ID {
		t.Fatalf("upcoming %v, past %v", ids(up), ids(past))
	}
	if n := auditCount(t, c.w, chart.AuditCreate, p, chart.KindAppointment); n != 3 {
		t.Fatalf("%d bookings audited, want 3", n)
	}
	if n := auditCount(t, c.w, chart.AuditUpdate, p, chart.KindAppointment); n != 4 {
		t.Fatalf("%d booking edits audited, want 4 (reschedule, check-in, check-out, no-show)", n)
	}
	if n := auditCount(t, c.w, chart.AuditChartOpen, p, chart.KindAppointment); n != 1 {
		t.Fatalf("%d reads of the patient's appointments audited, want 1", n)
	}
	if _, err := c.admin.Appointments(ctxb, "", "2026-11-24", 1); chart.ErrorCode(err) != chart.EFORBIDDEN {
		t.Fatalf("the administrator reads the book: %v", err)
	}
}

func TestAppointmentBadInput(t *testing.T) {
	c := newClinic(t)
	before := tableCounts(t, c.w)
	bad := booking(c.patient.ID, c.doc.User().ID, "tomorrow", chart.ApptOffice)
	wantErr(t, errOf(c.desk.SaveAppointment(ctxb, bad)), chart.EINVALID, "start")
	bad = booking(c.patient.ID, chart.UserID(chart.NewRecordID()), "2026-11-24T09:00", chart.ApptOffice)
	wantErr(t, errOf(c.desk.SaveAppointment(ctxb, bad)), chart.EINVALID, "clinicianId")
	bad = booking(chart.PatientID(chart.NewRecordID()), c.doc.User().ID, "2026-11-24T09:00", chart.ApptOffice)
	wantErr(t, errOf(c.desk.SaveAppointment(ctxb, bad)), chart.ENOTFOUND, "")
	if after := tableCounts(t, c.w); after["records"] != before["records"] || after["changes"] != before["changes"] {
		t.Fatalf("refused bookings changed the store: %v → %v", before, after)
	}
}

// TestNurseDayCallList reorders a nurse's home visits and lists the next
// day's calls with the patients' phone numbers.
func TestNurseDayCallList(t *testing.T) {
	c := newClinic(t)
	nurse := c.nurse.User().ID
	other := register(t, c.desk, samplePatient("Oswin", "Farhouse"))
	v1 := must(c.desk.SaveAppointment(ctxb, booking(c.patient.ID, nurse, "2026-11-24T09:00", chart.ApptHomeVisit)))(t)
	v2 := must(c.desk.SaveAppointment(ctxb, booking(other.ID, nurse, "2026-11-24T11:00", chart.ApptHomeVisit)))(t)
	must(c.desk.SaveAppointment(ctxb, booking(other.ID, c.doc.User().ID, "2026-11-25T11:00", chart.ApptOffice)))(t)
	got := must(c.nurse.ReorderNurseDay(ctxb, nurse, "2026-11-24", []chart.RecordID{v2.ID, v1.ID}))(t)
	if !slices.Equal(ids(got), []chart.RecordID{v2.ID, v1.ID}) {
		t.Fatalf("reordered day = %v", ids(got))
	}
	all := must(c.nurse.Appointments(ctxb, nurse, "2026-11-24", 1))(t)
	if day := chart.NurseDay(all, nurse, "2026-11-24"); !slices.Equal(ids(day), []chart.RecordID{v2.ID, v1.ID}) {
		t.Fatalf("the stored day = %v", ids(day))
	}
	if _, err := c.nurse.ReorderNurseDay(ctxb, nurse, "2026-11-24", []chart.RecordID{v1.ID}); chart.ErrorCode(err) != chart.ECONFLICT {
		t.Fatalf("a reorder that forgets a visit: %v", err)
	}
	calls := must(c.desk.CallList(ctxb, "2026-11-24"))(t)
	if len(calls) != 2 || calls[0].Appointment.ID != v1.ID || calls[0].Phone != "+1 555 0100 000" || calls[0].MRN == "" {
		t.Fatalf("call list = %+v", calls)
	}
}

func ids(as []chart.Appointment) []chart.RecordID {
	var out []chart.RecordID
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func errOf[A any](_ A, err error) error { return err }
