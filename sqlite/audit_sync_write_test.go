package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// TestPackedBatchesAreWrittenOnce: a packed audit batch's change-log row
// is written once, empty, and its bytes, tag and packing go straight to
// change_bodies, change_tags and audit_batch_packing: no row of the change
// log is rewritten while packing (the triggers of migrations 0019 and 0022
// used to insert each batch with its bytes and tag and then empty it
// twice). The batches still travel whole, tagged, and open. 300 patients
// make more batches than one INSERT carries.
func TestPackedBatchesAreWrittenOnce(t *testing.T) {
	f := newFixture(t)
	s := f.admin
	ctx := context.Background()
	ids := make([]chart.PatientID, 300)
	for i := range ids {
		ids[i] = chart.NewPatientID()
	}
	writeAuditRound(t, s, ids, 1)
	for _, q := range []string{`CREATE TABLE change_rewrites (seq INTEGER)`,
		`CREATE TRIGGER change_rewritten AFTER UPDATE ON changes BEGIN INSERT INTO change_rewrites VALUES (NEW.seq); END`,
	} {
		if _, err := f.w.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	out, err := s.OutboxBatch(ctx, wire.MaxChangesPerPush, wire.MaxSealedLen)
	if err != nil {
		t.Fatal(err)
	}
	var rewrites, batches, misplaced int
	err = f.w.db.QueryRow(`SELECT (SELECT count(*) FROM change_rewrites), count(*),
		coalesce(sum(c.sealed != x'' OR c.auth IS NOT NULL
			OR (SELECT count(*) FROM change_bodies b WHERE b.seq = c.seq) != 1
			OR (SELECT count(*) FROM change_tags g WHERE g.seq = c.seq) != 1
			OR (SELECT count(*) FROM audit_batch_packing p WHERE p.seq = c.seq) != 1), 0)
		FROM changes c WHERE c.kind = ?`, kindAuditBatch).Scan(&rewrites, &batches, &misplaced)
	if err != nil {
		t.Fatal(err)
	}
	if batches <= auditWriteRows {
		t.Fatalf("%d batches packed, want more than %d", batches, auditWriteRows)
	}
	if rewrites != 0 {
		t.Errorf("packing %d batches rewrote change-log rows %d times, want none", batches, rewrites)
	}
	if misplaced != 0 {
		t.Errorf("%d of %d batches not stored as an empty row with one body, tag and packing beside it", misplaced, batches)
	}
	sent := 0
	for i := range out {
		c := &out[i]
		if c.Kind != kindAuditBatch {
			continue
		}
		sent++
		if err := checkChangeTag(s.key, c); err != nil {
			t.Errorf("batch %s: tag: %v", c.ChangeID, err)
		}
		if _, why := openRemoteAuditBatch(s, c); why != "" {
			t.Errorf("batch %s: %s", c.ChangeID, why)
		}
	}
	if sent != batches {
		t.Errorf("%d batches in the outbox, want %d", sent, batches)
	}
}
