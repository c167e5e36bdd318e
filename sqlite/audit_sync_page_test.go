package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// TestAuditPageStoredInFewStatements: a pulled page of audit batches (one
// per patient, two entries each, as a day's pull brings them) is written
// into audit_remote a few hundred entries per statement, not one statement
// an entry; with the batches over auditRunSealed, a statement a run of them
// (here each alone). Every entry is shown once and A's copy verifies, no
// fork.
func TestAuditPageStoredInFewStatements(t *testing.T) {
	for _, tc := range []struct {
		name      string
		runSealed int
		want      int64 // -1: one a batch
	}{{"one run", auditRunSealed, 1}, {"a run a batch", 1, -1}} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(was int) { auditRunSealed = was }(auditRunSealed)
			auditRunSealed = tc.runSealed
			ctx := context.Background()
			fa := newFixture(t)
			fb := joinPractice(t, fa)
			ids := make([]chart.PatientID, 30)
			for i := range ids {
				ids[i] = chart.NewPatientID()
			}
			page := auditRound(t, fa.admin, ids, 2)
			before, statements := countRows(t, fb.w, "audit_remote"), auditRowsStatements.Load()
			if _, _, err := fb.admin.ApplyRemote(ctx, page, 1); err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want < 0 {
				want = 0
				for _, c := range page {
					if c.Kind == kindAuditBatch {
						want++
					}
				}
			}
			if n := auditRowsStatements.Load() - statements; n != want {
				t.Errorf("B wrote the page's entries in %d statements, want %d", n, want)
			}
			if n := countRows(t, fb.w, "audit_remote") - before; n < len(ids)*2 {
				t.Errorf("B shows %d new entries, want at least the %d written", n, len(ids)*2)
			}
			v, err := fb.admin.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !v.OK || v.Workstations != 1 {
				t.Fatalf("after one page of batches: %+v; want A's copy verified, no fork", v)
			}
		})
	}
}

// TestAuditPageRefusesTheForgedBatchAlone: in one page, a copy of a batch
// under its record id (a forged second version, sealed and tagged by a key
// holder) follows the genuine one; it alone is held back, the page's other
// batches are stored, and nothing of the copy is shown.
func TestAuditPageRefusesTheForgedBatchAlone(t *testing.T) {
	ctx := context.Background()
	fa, fb, p, q, out := outboxOfTwo(t)
	orig, b := patientBatch(t, fa.admin, p.ID, out)
	b.Entries[0].Detail = "forged"
	forged := resealBatch(t, fa.admin, orig, b)
	forged.RecordID = orig.RecordID // a second version of orig
	forged.Sealed = fa.admin.key.Seal(mustJSON(t, b), auditBatchAD(forged.RecordID, forged.ChangeID))
	forged.Auth = tagChange(fa.admin.key, &forged)
	var page []wire.Change
	for _, c := range out {
		page = append(page, c)
		if c.ChangeID == orig.ChangeID {
			page = append(page, forged)
		}
	}
	if _, _, err := fb.admin.ApplyRemote(ctx, page, 1); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, fb.w, "quarantine"); n != 1 {
		t.Errorf("%d changes held back, want the forged copy alone", n)
	}
	for _, patient := range []chart.PatientID{p.ID, q.ID} {
		trail := practiceAudit(t, fb.admin, chart.AuditFilter{PatientID: patient})
		if len(trail) == 0 {
			t.Errorf("B shows no entry about %s", patient)
		}
		for _, e := range trail {
			if e.Detail == "forged" {
				t.Errorf("B shows the forged entry %+v", e)
			}
		}
	}
	v, err := fb.admin.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK {
		t.Fatalf("forged copy held back: %+v; want A's copy verified", v)
	}
}
