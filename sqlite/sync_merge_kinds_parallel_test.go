package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/apply"
)

// newClinicWithEditedProblems is a synced clinic whose patient has n
// problems, edited after the sync: every third on A alone (a line: the
// delta merge), every third after it on A and on B (two heads: the whole
// merge, a conflict kept), the rest not at all; B holds every version.
func newClinicWithEditedProblems(t *testing.T, n int) (*syncedClinic, []apply.Record) {
	t.Helper()
	c := newSyncedClinic(t)
	p := c.patient.ID
	recs := make([]apply.Record, n)
	for i := range recs {
		prob := must(c.docA.SaveProblem(ctxb, chart.Problem{Meta: chart.Meta{PatientID: p}, Status: chart.ProblemActive,
			Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes"}}))(t)
		recs[i] = apply.Record{Kind: chart.KindProblem, ID: string(prob.ID)}
	}
	c.roundTrip(t)
	for i, r := range recs {
		if i%3 < 2 {
			editProblem(t, c.docA, p, chart.RecordID(r.ID), fmt.Sprint("on A ", i))
		}
		if i%3 == 1 {
			editProblem(t, c.docB, p, chart.RecordID(r.ID), fmt.Sprint("on B ", i))
		}
	}
	c.roundTrip(t)
	return c, recs
}

// A preloaded batch's clinical records are opened and planned at the
// preload (on every core, planKinds), and Plan takes the plan made: it
// opens nothing more. On the old code the preload opened nothing and each
// Plan opened its record's versions in the transaction's goroutine.
func TestPreloadPlansTheClinicalRecords(t *testing.T) {
	c, recs := newClinicWithEditedProblems(t, 9)
	err := c.b.w.write(ctxb, func(t2 *tx) error {
		a := applyTx{s: c.b.admin, t: t2}
		before := versionsOpened.Load()
		release, err := a.Preload(ctxb, recs)
		if err != nil {
			return err
		}
		defer release()
		atPreload := versionsOpened.Load() - before
		for _, r := range recs {
			if p, err := a.Plan(ctxb, r); err != nil || p == nil {
				t.Fatalf("plan %s: %v, %v", r.ID, p, err)
			}
		}
		if inPlan := versionsOpened.Load() - before - atPreload; atPreload == 0 || inPlan != 0 {
			t.Fatalf("the preload opened %d versions, Plan %d more; want every one opened at the preload", atPreload, inPlan)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The plans a preloaded batch makes on every core are, record by record,
// what planKindFrom makes of the same versions alone: same head, fields,
// conflicts and derived columns, the same row's bytes for a fast-forward
// (a merge of two heads is sealed anew, under a fresh nonce each time).
func TestPreloadPlansEachClinicalRecordAsAlone(t *testing.T) {
	c, recs := newClinicWithEditedProblems(t, 12)
	s := c.b.admin
	err := c.b.w.write(ctxb, func(t2 *tx) error {
		pre, err := preload(ctxb, t2, recs)
		if err != nil {
			return err
		}
		s.planKinds(pre, recs)
		if len(pre.kinds) != len(recs) {
			t.Fatalf("planned %d records of %d", len(pre.kinds), len(recs))
		}
		conflicts := 0
		for _, r := range recs {
			got, ok := pre.plannedKind(r)
			alone, err := s.planKindFrom(r.Kind, r.ID, kindMergers[r.Kind], pre.versions[r],
				func() (bool, chart.ChangeID, error) { return pre.currentOf(r) })
			if !ok || !got.head.ready || fmt.Sprint(got.err) != fmt.Sprint(err) || planSummary(t, got.head) != planSummary(t, alone) {
				t.Fatalf("%s planned in the batch %s (%v); alone %s (%v)", r.ID, planSummary(t, got.head), got.err,
					planSummary(t, alone), err)
			}
			conflicts += len(got.head.conflicts)
		}
		if conflicts == 0 {
			t.Fatal("no plan kept a conflict: the batch took no whole merge")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// planSummary is what a plan writes, but for the bytes a merge seals anew.
func planSummary(t *testing.T, h kindHead) string {
	t.Helper()
	fields, err := json.Marshal(h.fields)
	if err != nil {
		t.Fatal(err)
	}
	row := h.row
	sealed := h.built.sealed
	if !row.fastForward {
		sealed = nil
	}
	row.sealed = nil
	return fmt.Sprintf("%v %+v %x %+v %s %+v %d", h.ready, row, sealed, h.built.flags, fields, h.conflicts, len(h.versions))
}

// A panic while a record is planned on a worker goroutine becomes that
// record's error: nothing on the worker would recover it, and it would end
// the app. (A session without its keys is what makes opening panic here.)
func TestPlanKindPanicIsTheRecordsError(t *testing.T) {
	c, recs := newClinicWithEditedProblems(t, 1)
	var pl plannedKind
	err := c.b.w.write(ctxb, func(t2 *tx) error {
		pre, err := preload(ctxb, t2, recs)
		if err != nil {
			return err
		}
		pl = (&Session{w: c.b.w}).planKindGuarded(pre, recs[0])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pl.err == nil || !strings.Contains(pl.err.Error(), "internal error") || pl.head.ready {
		t.Fatalf("planned %+v; want the panic as this record's error", pl)
	}
}
