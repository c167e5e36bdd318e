package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
)

// TestScheduleDayThroughTheApp drives the bound Schedule on a real store:
// the front desk books two patients in one slot (flagged), a home visit,
// checks a patient in, exports and prints tomorrow's call list without a
// reason on it, and the nurse prints her day's home-visit sheet with the
// booked time and address.
func TestScheduleDayThroughTheApp(t *testing.T) {
	a, doc := practiceApp(t, app.Options{Events: &recorder{}})
	nurse := addUser(t, a, "Nell Nurse", "nell", chart.RoleNurse)
	addUser(t, a, "Fran Desk", "fran", chart.RoleFrontDesk)
	signIn(t, a, "fran")
	reg := func(given, family string) chart.Patient {
		p, err := a.Patients.Register(chart.Patient{GivenName: given, FamilyName: family, BirthDate: "1950-02-03",
			Sex: chart.SexFemale, Phone: "+1 555 0101 222",
			Address: chart.Address{Line1: "9 Ridge Road", City: "Hillside", Directions: "Gate after the cattle grid"}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1, p2 := reg("Mara", "Lindqvist"), reg("Olwen", "Treharne")
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	book := func(p chart.Patient, who chart.UserID, at string, typ chart.AppointmentType) chart.Appointment {
		ap, err := a.Schedule.Save(chart.Appointment{Patient: p.ID, ClinicianID: who, Start: tomorrow + "T" + at,
			Minutes: 20, Type: typ, Reason: "Wound review"})
		if err != nil {
			t.Fatal(err)
		}
		return ap
	}
	first, second := book(p1, doc.ID, "09:00", chart.ApptOffice), book(p2, doc.ID, "09:10", chart.ApptOffice)
	book(p1, nurse.ID, "13:00", chart.ApptHomeVisit)
	day, err := a.Schedule.Day(string(doc.ID), tomorrow)
	if err != nil {
		t.Fatal(err)
	}
	if len(day.Appointments) != 2 || len(day.Overlaps[first.ID]) != 1 || day.Overlaps[first.ID][0] != second.ID {
		t.Fatalf("the doctor's day %+v: want the double booking flagged", day)
	}
	week, err := a.Schedule.Week("", tomorrow)
	if err != nil || week.Days != 7 || len(week.Appointments) != 3 {
		t.Fatalf("the week = %+v, %v", week, err)
	}
	if _, err := a.Schedule.Week("", "2026-02-30"); code(err) != chart.EINVALID {
		t.Fatalf("a week of no real day: %v, want a field error", err)
	}
	if _, err := a.Schedule.Move(string(second.ID), second.Version, string(chart.ApptCheckedIn), ""); err != nil {
		t.Fatal(err)
	}

	folder := t.TempDir()
	path, err := a.Schedule.ExportCallList(tomorrow, folder)
	if err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile(path)
	if err != nil || filepath.Base(path) != "call-list-"+tomorrow+".csv" {
		t.Fatalf("call list at %s: %v", path, err)
	}
	text := string(csv)
	if strings.Count(text, "\n") != 3 || !strings.Contains(text, "Mara Lindqvist,+1 555 0101 222") ||
		strings.Contains(text, "Olwen") || strings.Contains(text, "Wound") {
		t.Fatalf("call list CSV (the checked-in patient and any reason must be left out):\n%s", text)
	}
	if pr, err := a.Schedule.PrintCallList(tomorrow); err != nil || len(pr.PDF) == 0 {
		t.Fatalf("call list printout: %v", err)
	}
	if _, err := a.Schedule.PrintNurseDay(string(nurse.ID), tomorrow); chart.ErrorCode(err) != chart.EFORBIDDEN {
		t.Fatalf("the front desk printed a home-visit sheet (clinical content): %v", err)
	}

	signIn(t, a, "nell")
	pr, err := a.Schedule.PrintNurseDay(string(nurse.ID), tomorrow)
	if err != nil {
		t.Fatal(err)
	}
	sheet := filepath.Join(t.TempDir(), pr.FileName)
	if err := os.WriteFile(sheet, pr.PDF, 0o600); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, sheet); text != "" {
		for _, w := range []string{"Visit 1 of 1", tomorrow + " 13:00 for 20 min", "9 Ridge Road, Hillside", "Gate after the cattle grid", "Lindqvist"} {
			if !strings.Contains(text, w) {
				t.Errorf("the home-visit sheet lacks %q:\n%s", w, text)
			}
		}
	}
	mine, err := a.Schedule.ForPatient(string(p1.ID))
	if err != nil || len(mine.Upcoming) != 2 || mine.Upcoming[0].Reason != "Wound review" {
		t.Fatalf("the patient's appointments = %+v, %v", mine, err)
	}
}
