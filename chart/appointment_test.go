package chart

import (
	"slices"
	"testing"
	"time"
)

const (
	apptDoc   UserID    = "0190f0f0-0000-7000-8000-00000000d0c0"
	apptNurse UserID    = "0190f0f0-0000-7000-8000-0000000a0a5e"
	apptPat   PatientID = "0190f0f0-0000-7000-8000-000000000a01"
	apptPat2  PatientID = "0190f0f0-0000-7000-8000-000000000a02"
)

func appt(id string, book UserID, start string, minutes int, typ AppointmentType) Appointment {
	return Appointment{Meta: Meta{ID: RecordID(id)}, Patient: apptPat, ClinicianID: book, Start: start,
		Minutes: minutes, Type: typ, Status: ApptBooked}
}

func ids(as []Appointment) []RecordID {
	var out []RecordID
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func TestAppointmentValidate(t *testing.T) {
	a := appt("", apptDoc, "2026-12-07 09:30", 15, "")
	a.Reason = "  Blood pressure check "
	if err := a.Validate(); err != nil {
		t.Fatalf("a valid booking: %v", err)
	}
	if a.Start != "2026-12-07T09:30" || a.Type != ApptOffice || a.Status != ApptBooked || a.Reason != "Blood pressure check" {
		t.Fatalf("tidied booking = %+v", a)
	}
	bad := Appointment{Start: "2026-02-30T09:00", Minutes: 2, Type: "drive-by", Status: "maybe", RouteOrder: -1}
	err := bad.Validate()
	var fields []string
	for _, f := range ErrorFields(err) {
		fields = append(fields, f.Field)
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Field)
		}
	}
	want := []string{"patient", "clinicianId", "start", "minutes", "type", "status", "routeOrder"}
	if !slices.Equal(fields, want) {
		t.Fatalf("problems on %v, want %v (%v)", fields, want, err)
	}
	long := appt("", apptDoc, "2026-12-07T09:30", MaxAppointmentMinutes+1, ApptOffice)
	if ErrorField(long.Validate()) != "minutes" {
		t.Fatal("a booking longer than a day's limit was accepted")
	}
	edge := appt("", apptDoc, "2026-12-07T09:30", MaxAppointmentMinutes, ApptOffice)
	if err := edge.Validate(); err != nil {
		t.Fatalf("a booking of exactly the limit: %v", err)
	}
}

func TestAppointmentMoves(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	a := appt("a", apptDoc, "2026-12-07T09:30", 15, ApptOffice)
	if err := a.Move(ApptCheckedIn, now, apptDoc, "Dr Who", ""); err != nil {
		t.Fatal(err)
	}
	if err := a.Move(ApptCheckedIn, now, apptDoc, "Dr Who", ""); ErrorCode(err) != EINVALID {
		t.Fatalf("checking in twice: %v", err)
	}
	if err := a.Move(ApptNoShow, now, apptDoc, "Dr Who", ""); ErrorCode(err) != ECONFLICT {
		t.Fatalf("a checked-in patient marked no-show: %v", err)
	}
	if err := a.Move(ApptCompleted, now.Add(time.Hour), apptDoc, "Dr Who", "left"); err != nil {
		t.Fatal(err)
	}
	if err := a.Move(ApptBooked, now, apptDoc, "Dr Who", ""); ErrorCode(err) != ECONFLICT {
		t.Fatalf("a checked-out booking reopened: %v", err)
	}
	if len(a.History) != 2 || a.History[1].Status != ApptCompleted || a.History[1].Note != "left" || a.History[0].ByName != "Dr Who" {
		t.Fatalf("history = %+v", a.History)
	}
}

func TestOverlaps(t *testing.T) {
	appts := []Appointment{
		appt("a", apptDoc, "2026-12-07T09:00", 30, ApptOffice),
		appt("b", apptDoc, "2026-12-07T09:15", 15, ApptOffice),   // inside a
		appt("c", apptDoc, "2026-12-07T09:30", 15, ApptOffice),   // starts as a ends: no overlap
		appt("d", apptNurse, "2026-12-07T09:00", 30, ApptOffice), // another book
		appt("e", apptDoc, "2026-12-07T09:00", 30, ApptOffice),   // cancelled below
	}
	appts[4].Status = ApptCancelled
	got := Overlaps(appts)
	if !slices.Equal(got["a"], []RecordID{"b"}) || !slices.Equal(got["b"], []RecordID{"a"}) || len(got) != 2 {
		t.Fatalf("overlaps = %v, want a and b only", got)
	}
}

func TestNurseDayAndRoute(t *testing.T) {
	appts := []Appointment{
		appt("v1", apptNurse, "2026-12-07T09:00", 45, ApptHomeVisit),
		appt("v2", apptNurse, "2026-12-07T11:00", 45, ApptHomeVisit),
		appt("v3", apptNurse, "2026-12-07T13:00", 45, ApptHomeVisit),
		appt("o1", apptNurse, "2026-12-07T15:00", 15, ApptOffice),    // not a home visit
		appt("v4", apptNurse, "2026-12-08T09:00", 45, ApptHomeVisit), // next day
		appt("v5", apptNurse, "2026-12-09T09:00", 45, ApptHomeVisit), // outside a 2-day route
		appt("v6", apptDoc, "2026-12-07T09:00", 45, ApptHomeVisit),   // another book
	}
	appts[1].RouteOrder, appts[2].RouteOrder = 2, 1
	appts[4].Patient = apptPat2
	day := NurseDay(appts, apptNurse, "2026-12-07")
	if got := ids(day); !slices.Equal(got, []RecordID{"v3", "v2", "v1"}) {
		t.Fatalf("nurse's day = %v, want the placed visits first, then by time", got)
	}
	re, err := Reorder(day, []RecordID{"v1", "v3", "v2"})
	if err != nil || !slices.Equal(ids(re), []RecordID{"v1", "v3", "v2"}) || re[0].RouteOrder != 1 || re[2].RouteOrder != 3 {
		t.Fatalf("reordered = %+v, %v", re, err)
	}
	if _, err := Reorder(day, []RecordID{"v1", "v3"}); ErrorCode(err) != ECONFLICT {
		t.Fatalf("a reorder missing a visit: %v", err)
	}
	if got := RoutePatients(appts, apptNurse, "2026-12-07", 2); !slices.Equal(got, []PatientID{apptPat, apptPat2}) {
		t.Fatalf("route patients = %v", got)
	}
	if got := RoutePatients(appts, apptNurse, "2026-12-09", 1); !slices.Equal(got, []PatientID{apptPat}) {
		t.Fatalf("route patients of the 9th = %v", got)
	}
	appts[5].Status = ApptCancelled
	if got := RoutePatients(appts, apptNurse, "2026-12-09", 1); len(got) != 0 {
		t.Fatalf("a cancelled visit keeps its patient on the route: %v", got)
	}
}

func TestCallListWeekAndPatient(t *testing.T) {
	appts := []Appointment{
		appt("late", apptDoc, "2026-12-08T16:00", 15, ApptOffice),
		appt("early", apptNurse, "2026-12-08T08:00", 15, ApptTelephone),
		appt("gone", apptDoc, "2026-12-08T10:00", 15, ApptOffice),
		appt("today", apptDoc, "2026-12-07T10:00", 15, ApptOffice),
	}
	appts[2].Status = ApptCancelled
	if got := ids(CallList(appts, "2026-12-08")); !slices.Equal(got, []RecordID{"early", "late"}) {
		t.Fatalf("call list = %v", got)
	}
	for day, want := range map[string]string{"2026-12-07": "2026-12-07", "2026-12-13": "2026-12-07", "2026-12-14": "2026-12-14"} {
		if w, _ := WeekStart(day); w != want {
			t.Errorf("WeekStart(%s) = %s, want %s", day, w, want)
		}
	}
	if week := InDays(appts, apptDoc, "2026-12-07", 7); len(week) != 3 {
		t.Fatalf("the doctor's week holds %d bookings, want 3", len(week))
	}
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.Local)
	up, past := PatientAppointments(appts, apptPat, now)
	if len(up) != 2 || up[0].ID != "gone" || len(past) != 2 || past[0].ID != "early" {
		t.Fatalf("upcoming %v, past %v", up, past)
	}
}
