package sqlite

import (
	"slices"
	"testing"

	"outpost/chart"
)

// TestSyncRouteByDate: a nurse's laptop on a route by date holds exactly
// the patients of her home visits of the coming two days. A visit booked
// at the office and a cancellation move the set at the next syncs without
// anyone choosing again; choosing patients by hand ends the route by date.
func TestSyncRouteByDate(t *testing.T) {
	c := newRouteClinic(t)
	nurse := c.a.addUser(t, c.a.admin, "nina", chart.RoleNurse, nursePass).ID
	visit := func(i int, start string, typ chart.AppointmentType) chart.Appointment {
		return must(c.docA.SaveAppointment(ctxb, booking(c.pats[i].ID, nurse, start, typ)))(t)
	}
	today := visit(0, "2026-11-23T14:00", chart.ApptHomeVisit)
	visit(1, "2026-11-24T10:00", chart.ApptHomeVisit)
	visit(2, "2026-11-26T10:00", chart.ApptHomeVisit) // after the two days
	visit(3, "2026-11-23T15:00", chart.ApptOffice)    // not a home visit
	c.a.sync(t)
	c.b.sync(t)

	sc := must(c.b.admin.SetRouteByDate(ctxb, nurse, 2))(t)
	if sc.ByDate == nil || sc.ByDate.Days != 2 || sc.ByDate.NurseName != "Staff nina" ||
		!slices.Equal(scopeIDs(sc, false), sorted(c.ids(0, 1))) {
		t.Fatalf("scope of the route by date = %+v", sc)
	}
	c.b.sync(t)
	for i, p := range c.pats {
		wantHeld(t, c.b.w, p.ID, i < 2)
	}

	// The office books Castellane for tomorrow and cancels today's visit.
	visit(2, "2026-11-24T12:00", chart.ApptHomeVisit)
	must(c.docA.MoveAppointment(ctxb, today.ID, today.Version, chart.ApptCancelled, "in hospital"))(t)
	c.a.sync(t)
	c.b.sync(t) // brings the bookings
	c.b.sync(t) // the route follows them: Castellane backfilled, Abernathy leaves
	c.b.sync(t)
	for i, p := range c.pats {
		wantHeld(t, c.b.w, p.ID, i == 1 || i == 2)
	}
	if p := must(c.b.admin.OpenPatient(ctxb, c.pats[2].ID))(t); p.FamilyName != "Castellane" {
		t.Fatalf("the new route patient's chart = %+v", p)
	}

	sc = must(c.b.admin.SetSyncScope(ctxb, false, c.ids(1)))(t)
	if sc.ByDate != nil {
		t.Fatalf("a hand-picked route still follows the book: %+v", sc.ByDate)
	}
	if _, err := c.b.admin.SetRouteByDate(ctxb, nurse, 0); chart.ErrorField(err) != "days" {
		t.Fatalf("a route of 0 days: %v", err)
	}
	if _, err := c.b.admin.SetRouteByDate(ctxb, chart.UserID(chart.NewRecordID()), 2); chart.ErrorField(err) != "nurse" {
		t.Fatalf("a route of an unknown nurse: %v", err)
	}
}
