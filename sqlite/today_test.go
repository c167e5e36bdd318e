package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
)

func TestTodaysPatients(t *testing.T) {
	c := newClinic(t)
	seen := c.patient
	opened := register(t, c.desk, samplePatient("Olive", "Opened"))
	register(t, c.admin, samplePatient("Nobody", "Today"))
	// Each session indexes the patients there were when it signed in.
	c.doc, c.desk, c.admin = c.signIn(t, "cleo", clinicianPass), c.signIn(t, "desk", deskPass), c.signIn(t, "ada", adminPass)

	enc := c.todaysEncounter(t, c.nurse) // a nurse's visit: the clinician sees it too
	past := sampleEncounter(opened.ID)
	past.Start = "2026-11-20T10:00"
	must(c.nurse.SaveEncounter(ctxb, past))(t)
	must(c.doc.ChartSummary(ctxb, opened.ID))(t)

	searches := auditCount(t, c.w, chart.AuditSearch, "", "")
	list := must(c.doc.TodaysPatients(ctxb))(t)
	if n := auditCount(t, c.w, chart.AuditSearch, "", ""); n != searches+1 {
		t.Fatalf("listing today's patients audited %d times, want once", n-searches)
	}
	if len(list) != 2 || list[0].Patient.ID != seen.ID || list[1].Patient.ID != opened.ID {
		t.Fatalf("today = %+v, want the visit, then the chart opened", list)
	}
	if v := list[0].Visits; len(v) != 1 || v[0].EncounterID != enc.ID || v[0].Signed || list[0].OpenedAt != nil {
		t.Fatalf("visit line = %+v", list[0])
	}
	if len(list[1].Visits) != 0 || list[1].OpenedAt == nil {
		t.Fatalf("opened line = %+v: an old visit is not today's", list[1])
	}
	signedNote(t, c.doc, seen.ID, enc.ID, chart.NoteClinical)
	if list := must(c.doc.TodaysPatients(ctxb))(t); !list[0].Visits[0].Signed || list[0].OpenedAt == nil {
		t.Fatalf("after signing (and so opening) = %+v", list[0])
	}

	// Front desk: only the charts they had open, never a visit.
	desk := must(c.desk.TodaysPatients(ctxb))(t)
	if len(desk) != 2 {
		t.Fatalf("front desk today = %d patients, want the 2 it registered", len(desk))
	}
	for _, p := range desk {
		if len(p.Visits) != 0 {
			t.Fatalf("front desk sees a visit: %+v", p)
		}
	}
	if a := must(c.admin.TodaysPatients(ctxb))(t); len(a) != 1 || a[0].Patient.FamilyName != "Today" {
		t.Fatalf("administrator today = %+v, want the one they registered", a)
	}
}

// TestTodaysEncountersAreARangeOfIDs checks that finding today's
// encounters reads a range of the primary key, not every encounter.
func TestTodaysEncountersAreARangeOfIDs(t *testing.T) {
	c := newClinic(t)
	p := queryPlan(t, c.w.db, `SELECT `+clinicalColumns+` FROM records WHERE id >= ? AND +kind = ? ORDER BY id`,
		idFloor(c.clock.Now()), chart.KindEncounter)
	if !strings.Contains(p, "(id>?)") || strings.Contains(p, "records_by_kind") {
		t.Fatalf("query plan %q: want a search of the primary key by id", p)
	}
	id := string(chart.NewRecordID())
	if floor := idFloor(c.clock.Now()); floor > id || len(floor) != len(id) {
		t.Fatalf("floor %s is after an id minted now (%s)", floor, id)
	}
}
