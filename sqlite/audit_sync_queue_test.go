package sqlite

import (
	"strings"
	"testing"
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
