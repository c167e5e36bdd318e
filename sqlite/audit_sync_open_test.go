package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// A page of many audit batches, opened on every core (openRemoteAuditRun),
// two of them not opening under the practice key, one in each half of the
// run: those two alone are held back and every other batch's entries are
// stored, as on a workstation that applied the page without them.
func TestAuditRunOpenedOnEveryCoreRefusesItsBadBatchesAlone(t *testing.T) {
	ctx := context.Background()
	fa := newFixture(t)
	fb, fc := joinPractice(t, fa), joinPractice(t, fa)
	ids := make([]chart.PatientID, 4*minParallelOpen)
	for i := range ids {
		ids[i] = chart.NewPatientID()
	}
	page := auditRound(t, fa.admin, ids, 2)
	var batches []int
	for i, c := range page {
		if c.Kind == kindAuditBatch {
			batches = append(batches, i)
		}
	}
	if len(batches) < len(ids) {
		t.Fatalf("the page holds %d batches for %d patients", len(batches), len(ids))
	}
	bad := []int{batches[3], batches[len(batches)-5]}
	tampered := make([]wire.Change, len(page))
	copy(tampered, page)
	var badEntries int
	for _, i := range bad {
		b := openBatchForTest(t, fa.admin, page[i])
		badEntries += len(b.Entries)
		c := page[i]
		c.Sealed = append([]byte(nil), c.Sealed...)
		c.Sealed[len(c.Sealed)-1] ^= 1
		c.Auth = tagChange(fa.admin.key, &c)
		tampered[i] = c
	}
	clean, before := countRows(t, fc.w, "audit_remote"), countRows(t, fb.w, "audit_remote")
	if _, _, err := fc.admin.ApplyRemote(ctx, page, 1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := fb.admin.ApplyRemote(ctx, tampered, 1); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, fb.w, "quarantine"); n != len(bad) {
		t.Errorf("%d changes held back, want the %d that do not open", n, len(bad))
	}
	want := countRows(t, fc.w, "audit_remote") - clean - badEntries
	if got := countRows(t, fb.w, "audit_remote") - before; got != want {
		t.Errorf("B stored %d entries, want %d (every batch's but the two held back)", got, want)
	}
}

// openBatchForTest opens audit batch c under s's key.
func openBatchForTest(t *testing.T, s *Session, c wire.Change) auditBatch {
	t.Helper()
	b, why := openRemoteAuditBatch(s, &c)
	if why != "" {
		t.Fatalf("batch %s: %s", c.RecordID, why)
	}
	return b
}
