package sqlite

import (
	"fmt"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/apply"
)

// TestPreloadPlansEachPatientAsAlone: the plans a preloaded batch makes on
// every core (planPatients) are, patient by patient, what planPatient
// makes of the same versions alone (same head, same fields, same
// conflicts, same error), for patients with one version, several, and
// concurrent edits from two workstations (two heads, merged and sealed
// anew).
func TestPreloadPlansEachPatientAsAlone(t *testing.T) {
	c, ids := newClinicWithEditedPatients(t, 12, "Alone")
	s := c.a.admin
	batch := make([]apply.Record, len(ids))
	for i, id := range ids {
		batch[i] = apply.Record{Kind: kindPatient, ID: string(id)}
	}
	err := c.a.w.write(ctxb, func(t2 *tx) error {
		pre, err := preload(ctxb, t2, batch)
		if err != nil {
			return err
		}
		if err := s.planPatients(ctxb, t2, pre, batch); err != nil {
			return err
		}
		if len(pre.patients) != len(ids) {
			t.Fatalf("planned %d patients of %d", len(pre.patients), len(ids))
		}
		for _, id := range ids {
			got, ok := pre.plannedPatient(string(id))
			head, ready, err := s.planPatientFrom(string(id), pre.versions[apply.Record{Kind: kindPatient, ID: string(id)}])
			if !ok || got.ready != ready || fmt.Sprint(got.err) != fmt.Sprint(err) || got.head.patient.ID != id ||
				fmt.Sprintf("%+v %s %+v", got.head.patient, got.head.head, got.head.conflicts) !=
					fmt.Sprintf("%+v %s %+v", head.patient, head.head, head.conflicts) {
				t.Fatalf("patient %s planned in the batch %+v (%v, %v); alone %+v (%v, %v)", id, got.head, got.ready, got.err,
					head, ready, err)
			}
			if (got.tag != nil) != (head.patient.MRN != "") {
				t.Fatalf("patient %s: MRN %q, tag %x", id, head.patient.MRN, got.tag)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// newClinicWithEditedPatients is a synced clinic with n patients, half of
// them edited after the sync (every other one on both workstations: two
// heads), both workstations holding every version.
func newClinicWithEditedPatients(t *testing.T, n int, name string) (*syncedClinic, []chart.PatientID) {
	c, ids := newClinicWithPatients(t, n, name)
	for i, id := range ids[:n/2] {
		editPhone(t, c.a.admin, id, fmt.Sprintf("+1 555 0100 %03d", i))
		if i%2 == 0 {
			editPhone(t, c.b.admin, id, fmt.Sprintf("+1 555 0199 %03d", i))
		}
	}
	c.roundTrip(t)
	c.b.sync(t)
	return c, ids
}

// A panic while a patient is planned on a worker goroutine becomes that
// patient's error: nothing on the worker would recover it, and it would end
// the app. (A session without its keys is what makes opening panic here.)
func TestPlanPatientPanicIsThePatientsError(t *testing.T) {
	c := newSyncedClinic(t)
	rec := apply.Record{Kind: kindPatient, ID: string(c.patient.ID)}
	var pl plannedPatient
	err := c.a.w.write(ctxb, func(t2 *tx) error {
		pre, err := preload(ctxb, t2, []apply.Record{rec})
		if err != nil {
			return err
		}
		pl = (&Session{w: c.a.w}).planPatientGuarded(rec.ID, pre.versions[rec])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pl.err == nil || !strings.Contains(pl.err.Error(), "internal error") || pl.ready {
		t.Fatalf("planned %+v; want the panic as this patient's error", pl)
	}
}
