package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
)

// TestJoinFirstSignInKeepsOneMRNTag: two workstations gave one MRN out
// offline, and a third joins. Its first sign-in merges the patients in id
// order, each batch's MRN owners read at once (sync_merge_patient_mrn.go):
// the first of the two keeps the uniqueness tag, the second is stored
// without it, as the merge one by one did. Every patient opens.
func TestJoinFirstSignInKeepsOneMRNTag(t *testing.T) {
	ctx := context.Background()
	server, a, b := twoStations(t)
	withMRN := func(given, family, mrn string) chart.Patient {
		p := samplePatient(given, family)
		p.MRN = mrn
		return p
	}
	pa := register(t, a.admin, withMRN("Ottoline", "Abernathy", "DUP-1"))
	pb := register(t, b.admin, withMRN("Percival", "Birkenshaw", "DUP-1"))
	solo := register(t, a.admin, withMRN("Quentin", "Castellane", "SOLO-1"))
	a.sync(t)
	b.sync(t)

	fc, _ := joinThroughServer(t, server)
	fc.admin = fc.signIn(t, "ada", adminPass)
	first, second := pa, pb
	if pb.ID < pa.ID {
		first, second = pb, pa
	}
	tags := map[chart.PatientID]bool{}
	for _, id := range []chart.PatientID{pa.ID, pb.ID, solo.ID} {
		var tagged bool
		if err := fc.w.db.QueryRow(`SELECT mrn_tag IS NOT NULL FROM records WHERE id = ?`, id).Scan(&tagged); err != nil {
			t.Fatalf("records row of %s: %v", id, err)
		}
		tags[id] = tagged
		if p, err := fc.admin.OpenPatient(ctx, id); err != nil || p.MRN == "" {
			t.Fatalf("open %s after the join: %+v, %v", id, p, err)
		}
	}
	if !tags[first.ID] || tags[second.ID] || !tags[solo.ID] {
		t.Fatalf("MRN tags after the join: first %v, second %v, solo %v; want the first of the shared MRN and the solo one",
			tags[first.ID], tags[second.ID], tags[solo.ID])
	}
}
