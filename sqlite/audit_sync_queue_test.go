package sqlite

import (
	"strings"
	"testing"

	"outpost/chart"
)

// TestQueuedAuditChunkWalksTheQueue: packing reads each chunk of queued
// entries by walking the queue from its start and looking each entry up,
// not by first listing every queued seq (a LIST SUBQUERY, rebuilt for each
// chunk) or sorting (a TEMP B-TREE): an initial push packs 50,000 entries
// in ten chunks.
func TestQueuedAuditChunkWalksTheQueue(t *testing.T) {
	f := newFixture(t)
	plan := queryPlan(t, f.w.db, strings.NewReplacer("?", "1").Replace(queuedAuditQuery))
	for _, bad := range []string{"LIST SUBQUERY", "TEMP B-TREE", "SCAN"} {
		if strings.Contains(plan, bad) {
			t.Errorf("plan of the queued entries' read:\n%s\nwant no %s", plan, bad)
		}
	}
	if !strings.Contains(plan, "SEARCH audit_sync_queue") || !strings.Contains(plan, "SEARCH audit_log") {
		t.Errorf("plan of the queued entries' read:\n%s\nwant the queue searched by seq, then each entry", plan)
	}
}

// TestPackingKeepsTheClockOnce: packing a chunk of batches writes the
// clock's reading to meta once, the newest batch's, not once a batch (an
// end-of-day push packs hundreds), and no batch is stamped past it.
func TestPackingKeepsTheClockOnce(t *testing.T) {
	f := newFixture(t)
	s := f.admin
	ids := []chart.PatientID{chart.NewPatientID(), chart.NewPatientID(), chart.NewPatientID()}
	writeAuditRound(t, s, ids, 2)
	for _, q := range []string{`CREATE TABLE hlc_writes (value BLOB)`,
		`CREATE TRIGGER hlc_inserted AFTER INSERT ON meta WHEN NEW.key = 'hlc' BEGIN INSERT INTO hlc_writes VALUES (NEW.value); END`,
		`CREATE TRIGGER hlc_updated AFTER UPDATE ON meta WHEN NEW.key = 'hlc' BEGIN INSERT INTO hlc_writes VALUES (NEW.value); END`,
	} {
		if _, err := f.w.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	out := auditRoundPacked(t, s)
	batches := 0
	for _, c := range out {
		if c.Kind == kindAuditBatch {
			batches++
		}
	}
	if batches < len(ids) {
		t.Fatalf("%d batches sent, want one for each of %d patients", batches, len(ids))
	}
	var writes int
	var kept string
	if err := f.w.db.QueryRow(`SELECT count(*), coalesce(max(value), '') FROM hlc_writes`).Scan(&writes, &kept); err != nil {
		t.Fatal(err)
	}
	if writes != 1 {
		t.Errorf("packing %d batches wrote the clock %d times, want once", batches, writes)
	}
	for _, c := range out {
		if c.HLC > kept {
			t.Errorf("batch %s stamped %s, after the clock kept (%s)", c.ChangeID, c.HLC, kept)
		}
	}
}
