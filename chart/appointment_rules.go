package chart

import (
	"cmp"
	"slices"
	"time"
)

// Pure rules of the appointment book: what a day or week shows, which
// bookings overlap, a nurse's day in order, tomorrow's call list and the
// patients of a route by date. The store lists the bookings; these decide.

// Overlaps maps each active booking to the other active bookings of the
// same book (clinician or nurse) whose time it shares. Two workstations
// booking one slot offline both keep their booking; this is how the
// double booking is shown for someone to resolve.
func Overlaps(appts []Appointment) map[RecordID][]RecordID {
	type span struct {
		id         RecordID
		start, end time.Time
	}
	byBook := map[UserID][]span{}
	for i := range appts {
		a := &appts[i]
		if !a.Status.Active() || a.EnteredInError != nil {
			continue
		}
		s, e := a.Interval()
		if s.IsZero() {
			continue
		}
		byBook[a.ClinicianID] = append(byBook[a.ClinicianID], span{a.ID, s, e})
	}
	out := map[RecordID][]RecordID{}
	for _, spans := range byBook {
		slices.SortFunc(spans, func(x, y span) int { return x.start.Compare(y.start) })
		for i, x := range spans {
			// Sorted by start: only later spans starting before x ends overlap.
			for _, y := range spans[i+1:] {
				if !y.start.Before(x.end) {
					break
				}
				out[x.id] = append(out[x.id], y.id)
				out[y.id] = append(out[y.id], x.id)
			}
		}
	}
	return out
}

// SortAppointments orders bookings by start, then book, then id.
func SortAppointments(appts []Appointment) {
	slices.SortFunc(appts, func(x, y Appointment) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.ClinicianName, y.ClinicianName),
			cmp.Compare(x.ID, y.ID))
	})
}

// InDays returns the bookings of book (every book when empty) whose day is
// in [from, from+days), sorted by start. Cancelled bookings stay: the day
// view shows them struck out.
func InDays(appts []Appointment, book UserID, from string, days int) []Appointment {
	first, err := time.Parse(time.DateOnly, from)
	if err != nil || days < 1 {
		return nil
	}
	last := first.AddDate(0, 0, days).Format(time.DateOnly)
	var out []Appointment
	for _, a := range appts {
		if (book == "" || a.ClinicianID == book) && a.Day() >= from && a.Day() < last && a.EnteredInError == nil {
			out = append(out, a)
		}
	}
	SortAppointments(out)
	return out
}

// WeekStart is the Monday of the week holding day ("YYYY-MM-DD").
func WeekStart(day string) (string, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return "", FieldError("day", "The day must be a real date, written YYYY-MM-DD.")
	}
	back := (int(d.Weekday()) + 6) % 7 // Monday 0 … Sunday 6
	return d.AddDate(0, 0, -back).Format(time.DateOnly), nil
}

// NurseDay is the ordered list of a nurse's active home visits on day:
// the visits she placed (RouteOrder) first in that order, then the others
// by start time.
func NurseDay(appts []Appointment, nurse UserID, day string) []Appointment {
	var out []Appointment
	for _, a := range InDays(appts, nurse, day, 1) {
		if a.Type == ApptHomeVisit && a.Status.Active() {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(x, y Appointment) int {
		return cmp.Compare(routeKey(x.RouteOrder), routeKey(y.RouteOrder))
	})
	return out
}

func routeKey(order int) int {
	if order <= 0 {
		return 1 << 30
	}
	return order
}

// Reorder returns the nurse's day with the visits in the order ids gives,
// each with RouteOrder set to its place (1-based). ids must name exactly
// the day's visits.
func Reorder(day []Appointment, ids []RecordID) ([]Appointment, error) {
	if len(ids) != len(day) {
		return nil, Errorf(ECONFLICT, "The day's visits changed since you opened it. Reopen the day and reorder again.")
	}
	at := map[RecordID]int{}
	for i, id := range ids {
		at[id] = i + 1
	}
	out := slices.Clone(day)
	for i := range out {
		n, ok := at[out[i].ID]
		if !ok {
			return nil, Errorf(ECONFLICT, "The day's visits changed since you opened it. Reopen the day and reorder again.")
		}
		out[i].RouteOrder = n
	}
	slices.SortFunc(out, func(x, y Appointment) int { return cmp.Compare(x.RouteOrder, y.RouteOrder) })
	return out, nil
}

// CallList is the bookings to remind on day: every booking still booked,
// in every book, by start.
func CallList(appts []Appointment, day string) []Appointment {
	var out []Appointment
	for _, a := range InDays(appts, "", day, 1) {
		if a.Status == ApptBooked {
			out = append(out, a)
		}
	}
	return out
}

// RoutePatients is the set of patients of a nurse's active home visits in
// the days [from, from+days): what her laptop holds when its route is by
// date.
func RoutePatients(appts []Appointment, nurse UserID, from string, days int) []PatientID {
	var out []PatientID
	for _, a := range InDays(appts, nurse, from, days) {
		if a.Type == ApptHomeVisit && a.Status.Active() {
			out = append(out, a.Patient)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// PatientAppointments splits one patient's bookings into upcoming (from
// now on, soonest first) and past (most recent first).
func PatientAppointments(appts []Appointment, patient PatientID, now time.Time) (upcoming, past []Appointment) {
	cut := now.In(time.Local).Format(LocalDateTimeLayout)
	for _, a := range appts {
		switch {
		case a.Patient != patient || a.EnteredInError != nil:
		case a.Start >= cut:
			upcoming = append(upcoming, a)
		default:
			past = append(past, a)
		}
	}
	SortAppointments(upcoming)
	SortAppointments(past)
	slices.Reverse(past)
	return upcoming, past
}
