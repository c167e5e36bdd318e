package app

import (
	"context"
	"fmt"
	"time"

	"outpost/chart"
	"outpost/printout"
)

// Schedule is bound to the frontend: the appointment book. The front desk
// books and checks in; what it reads carries no clinical content (the
// store leaves a booking's reason out for it).
type Schedule struct{ a *App }

// ScheduleView is the bookings of some days, with the double bookings:
// Overlaps maps a booking's id to the ids it shares its time with.
type ScheduleView struct {
	From         string                              `json:"from"`
	Days         int                                 `json:"days"`
	Appointments []chart.Appointment                 `json:"appointments"`
	Overlaps     map[chart.RecordID][]chart.RecordID `json:"overlaps"`
}

// PatientAppointments are one patient's bookings.
type PatientAppointments struct {
	Upcoming []chart.Appointment `json:"upcoming"`
	Past     []chart.Appointment `json:"past"`
}

// Books lists the clinicians and nurses who have an appointment book.
func (sc *Schedule) Books() ([]chart.Book, error) {
	return list(get(sc.a, chart.ScheduleService.Books))
}

// Day is one day of a book ("" for every book), day "YYYY-MM-DD".
func (sc *Schedule) Day(book, day string) (ScheduleView, error) {
	return scheduleView(sc.a, book, day, 1, func(day string) (string, error) { return day, nil })
}

// Week is the week (Monday to Sunday) holding day, in a book ("" for every
// book).
// The week's Monday is found inside the call, so a bad day is refused like
// any other bad input: after startup, for a signed-in user.
func (sc *Schedule) Week(book, day string) (ScheduleView, error) {
	return scheduleView(sc.a, book, day, 7, chart.WeekStart)
}

// scheduleView reads days days of book from first(day).
func scheduleView(a *App, book, day string, days int, first func(string) (string, error)) (ScheduleView, error) {
	return callAs(a, scheduleWhat, func(ctx context.Context, s chart.ScheduleService) (ScheduleView, error) {
		from, err := first(day)
		if err != nil {
			return ScheduleView{}, err
		}
		return readView(ctx, s, book, from, days)
	})
}

func readView(ctx context.Context, s chart.ScheduleService, book, from string, days int) (ScheduleView, error) {
	var id chart.UserID
	if book != "" {
		var err error
		if id, err = userID(book); err != nil {
			return ScheduleView{}, err
		}
	}
	if _, err := time.Parse(time.DateOnly, from); err != nil {
		return ScheduleView{}, chart.FieldError("day", "The day must be a real date, written YYYY-MM-DD.")
	}
	appts, err := s.Appointments(ctx, id, from, days)
	if err != nil {
		return ScheduleView{}, err
	}
	return ScheduleView{From: from, Days: days, Appointments: nonNil(appts), Overlaps: chart.Overlaps(appts)}, nil
}

// Save books an appointment (no id), a walk-in (type walk-in: booked and
// checked in at once), or reschedules one (its id and version).
func (sc *Schedule) Save(a chart.Appointment) (chart.Appointment, error) {
	return with(sc.a, a, chart.ScheduleService.SaveAppointment)
}

// Move checks a patient in ("checked-in") or out ("completed"), cancels
// ("cancelled"), marks a no-show ("no-show"), or puts the booking back
// ("booked").
func (sc *Schedule) Move(id string, version int64, status, note string) (chart.Appointment, error) {
	return onRecord(sc.a, id, func(s chart.ScheduleService, ctx context.Context, rid chart.RecordID) (chart.Appointment, error) {
		return s.MoveAppointment(ctx, rid, version, chart.AppointmentStatus(status), note)
	})
}

// NurseDay is a nurse's home visits of day, in her order.
func (sc *Schedule) NurseDay(nurse, day string) ([]chart.Appointment, error) {
	return list(onUser(sc.a, nurse, func(s chart.ScheduleService, ctx context.Context, id chart.UserID) ([]chart.Appointment, error) {
		return nurseDay(ctx, s, id, day)
	}))
}

func nurseDay(ctx context.Context, s chart.ScheduleService, nurse chart.UserID, day string) ([]chart.Appointment, error) {
	v, err := readView(ctx, s, string(nurse), day, 1)
	if err != nil {
		return nil, err
	}
	return chart.NurseDay(v.Appointments, nurse, day), nil
}

// ReorderNurseDay puts the nurse's visits of day in the order of ids.
func (sc *Schedule) ReorderNurseDay(nurse, day string, ids []string) ([]chart.Appointment, error) {
	return list(onUser(sc.a, nurse, func(s chart.ScheduleService, ctx context.Context, id chart.UserID) ([]chart.Appointment, error) {
		rids := make([]chart.RecordID, len(ids))
		for i, v := range ids {
			var err error
			if rids[i], err = recordID(v); err != nil {
				return nil, err
			}
		}
		return s.ReorderNurseDay(ctx, id, day, rids)
	}))
}

// ForPatient is a patient's upcoming and past appointments.
func (sc *Schedule) ForPatient(patient string) (PatientAppointments, error) {
	return onPatient(sc.a, patient, func(s chart.ScheduleService, ctx context.Context, id chart.PatientID) (PatientAppointments, error) {
		up, past, err := s.PatientAppointments(ctx, id)
		return PatientAppointments{Upcoming: nonNil(up), Past: nonNil(past)}, err
	})
}

// CallList is the bookings of day still to remind, with phone numbers.
func (sc *Schedule) CallList(day string) ([]chart.CallListEntry, error) {
	return list(with(sc.a, day, chart.ScheduleService.CallList))
}

// PrintCallList prints the call list of day.
func (sc *Schedule) PrintCallList(day string) (Printout, error) {
	return call(sc.a, func(ctx context.Context, s chart.Session) (Printout, error) { return printCallList(ctx, s, day) })
}

// ExportCallList writes the call list of day as CSV into folder and
// returns the file's path.
func (sc *Schedule) ExportCallList(day, folder string) (string, error) {
	return call(sc.a, func(ctx context.Context, s chart.Session) (string, error) { return exportCallList(ctx, s, day, folder) })
}

// ChooseFolder asks where to save an export ("" when cancelled).
func (sc *Schedule) ChooseFolder() (string, error) {
	return ready(sc.a, func(ctx context.Context) (string, error) {
		return sc.a.dialogs().ChooseFolder(ctx, "Choose where to save the call list")
	})
}

// PrintNurseDay prints the home-visit sheet of a nurse's day, one section
// per visit in her order, each with its booked time and address.
func (sc *Schedule) PrintNurseDay(nurse, day string) (Printout, error) {
	return call(sc.a, func(ctx context.Context, s chart.Session) (Printout, error) { return printNurseDay(ctx, s, nurse, day) })
}

// scheduleWhat names the appointment book in errors.
const scheduleWhat = "keep the appointment book"

// scheduleOf is the session's appointment book.
func scheduleOf(s chart.Session) (chart.ScheduleService, error) {
	ss, ok := s.(chart.ScheduleService)
	if !ok {
		return nil, chart.Errorf(chart.EINTERNAL, "This workstation cannot %s.", scheduleWhat)
	}
	return ss, nil
}

func printCallList(ctx context.Context, s chart.Session, day string) (Printout, error) {
	ss, err := scheduleOf(s)
	if err != nil {
		return Printout{}, err
	}
	calls, err := ss.CallList(ctx, day)
	if err != nil {
		return Printout{}, err
	}
	pdf, err := printout.CallList(s.Practice(), day, calls, time.Now())
	if err != nil {
		return Printout{}, fmt.Errorf("render call list: %w", err)
	}
	if err := auditEach(ctx, ss, calls, "call list of "+day); err != nil {
		return Printout{}, err
	}
	return Printout{FileName: "call-list-" + day + ".pdf", PDF: pdf}, nil
}

func auditEach(ctx context.Context, s chart.ScheduleService, calls []chart.CallListEntry, what string) error {
	ids := make([]chart.PatientID, len(calls))
	for i, c := range calls {
		ids[i] = c.Appointment.Patient
	}
	return s.AuditScheduleExport(ctx, ids, what)
}

func printNurseDay(ctx context.Context, s chart.Session, nurse, day string) (Printout, error) {
	ss, err := scheduleOf(s)
	if err != nil {
		return Printout{}, err
	}
	id, err := userID(nurse)
	if err != nil {
		return Printout{}, err
	}
	appts, err := nurseDay(ctx, ss, id, day)
	if err != nil {
		return Printout{}, err
	}
	if len(appts) == 0 || len(appts) > maxRouteSize {
		return Printout{}, chart.Errorf(chart.EINVALID, "There are no home visits to print on %s.", day)
	}
	visits := make([]printout.HomeVisit, len(appts))
	for i := range appts {
		sum, err := s.ChartSummary(ctx, appts[i].Patient)
		if err != nil {
			return Printout{}, err
		}
		visits[i] = printout.HomeVisit{Summary: sum, Appointment: &appts[i]}
	}
	units, err := s.PracticeUnits(ctx)
	if err != nil {
		return Printout{}, err
	}
	pdf, err := printout.HomeVisitDay(s.Practice(), visits, units, time.Now())
	if err != nil {
		return Printout{}, fmt.Errorf("render home-visit sheet: %w", err)
	}
	for _, v := range visits {
		if err := s.AuditExport(ctx, v.Summary.Patient.ID, "home-visit sheet of "+day); err != nil {
			return Printout{}, err
		}
	}
	return Printout{FileName: "home-visits-" + day + ".pdf", PDF: pdf}, nil
}
