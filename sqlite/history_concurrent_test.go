package sqlite

import (
	"testing"
	"time"

	"outpost/chart"
)

// TestHistoryOfConcurrentEdits: two workstations edited one record before
// syncing, so two versions carry the same number. The history lists both,
// told apart by change id, marked concurrent and naming the other
// workstation, each at the time it was written (it once listed them under
// one key, and the History dialog never finished loading).
func TestHistoryOfConcurrentEdits(t *testing.T) {
	c := newResolveClinic(t, 2)
	nameDevice(t, c.ws[1].fixture, "Home visits laptop")
	c.ws[1].fixture.clock.Advance(time.Hour) // B writes an hour after A in wall time
	c.phoneConflict(t)
	allergy := must(c.doc[0].SaveAllergy(ctxb, sampleAllergy(c.patient.ID, "Quillwort pollen")))(t)
	c.syncAll(t)
	for i, d := range c.doc {
		a := must(d.Allergies(ctxb, c.patient.ID))(t)[0]
		a.Reaction = []string{"rash", "wheeze"}[i]
		must(d.SaveAllergy(ctxb, a))(t)
	}
	c.syncAll(t)

	hist := must(c.ws[0].admin.PatientHistory(ctxb, c.patient.ID))(t)
	if len(hist) != 3 || hist[0].Version != 2 || hist[1].Version != 2 || !hist[0].Concurrent || !hist[1].Concurrent ||
		hist[2].Concurrent || hist[0].ChangeID == hist[1].ChangeID {
		t.Fatalf("patient history = %+v; want two concurrent version 2s, then version 1", hist)
	}
	var fromB *chart.PatientVersion
	for i := range hist[:2] {
		if hist[i].DeviceName != "" {
			fromB = &hist[i]
		}
	}
	if fromB == nil || fromB.DeviceName != "Home visits laptop" {
		t.Fatalf("no version names workstation B: %+v", hist[:2])
	}
	if !fromB.ChangedAt.After(hist[2].ChangedAt.Add(50 * time.Minute)) {
		t.Fatalf("B's version shows %v, the first %v: want the time B wrote it", fromB.ChangedAt, hist[2].ChangedAt)
	}

	rh := must(c.doc[1].RecordHistory(ctxb, chart.KindAllergy, allergy.ID))(t)
	if len(rh) != 3 || rh[0].Version != rh[1].Version || !rh[0].Concurrent || rh[0].ChangeID == rh[1].ChangeID {
		t.Fatalf("allergy history = %+v; want two concurrent versions told apart", rh)
	}
}
