package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
)

// BenchmarkSessionAudit measures what one audited chart read costs through
// the session: "commit" is a transaction per entry (as auditRead does, so
// dominated by fsync), "in-tx" is the audit alone inside a long
// transaction, on the statements a write keeps prepared (the local entry
// and its place in the sync queue).
func BenchmarkSessionAudit(b *testing.B) {
	e := chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: chart.NewPatientID(), RecordKind: kindPatient,
		Detail: "opened chart from search"}
	e.RecordID = string(e.PatientID)
	ctx := context.Background()
	b.Run("commit", func(b *testing.B) {
		s := benchFixture(b).admin
		for b.Loop() {
			if err := s.w.write(ctx, func(t *tx) error { return s.audit(ctx, t, e) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("in-tx", func(b *testing.B) {
		s := benchFixture(b).admin
		sqlTx, err := s.w.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		// Through the statements kept prepared, as every write's (writeOn);
		// handed back once the transaction is rolled back.
		t := &tx{Tx: sqlTx, now: s.w.now().UTC(), q: &cachedTx{tx: sqlTx, cache: s.w.stmts}}
		defer t.q.release()
		defer sqlTx.Rollback()
		for b.Loop() {
			if err := s.audit(ctx, t, e); err != nil {
				b.Fatal(err)
			}
		}
	})
}
